-- 43-slab-allocator.lua: the classic SLAB allocator (mm/slab.c as Linux 6.7
-- had it, the last version before its removal in 6.8).
--
-- Teaches: SLAB keeps freed objects in a per-CPU array (LIFO, limit and
-- batchcount from enable_cpucache); an empty array is refilled with a batch
-- from the shared array or the node's slabs (partial first, then free, then
-- a new slab); a full array flushes its oldest batch to the shared array;
-- slabs live on three lists (full, partial, free) and successive slabs
-- start their objects one colour (a cache line) later; free objects in the
-- arrays still count as active in /proc/slabinfo.

machine{arch = "x86_64", memory = "64M", cpus = 2, slab = "slab"}
title("SLAB: array caches, three lists and colouring")

-- 1100-byte objects: 1104-byte slots, 7 in an order-1 slab, 464 bytes left
-- over = 7 colours of 64 bytes; limit 24 and batchcount 12 (slots over 1 KiB)
local c = kmem_cache_create("demo", 1100)
local v = slab_arrays("demo")
expect_eq(v.limit, 24, "enable_cpucache: 24 for slots between 1 KiB and a page")
expect_eq(v.batchcount, 12, "batchcount (limit + 1) / 2")
expect_eq(v.shared, 8, "two CPUs: a shared array of 8 batches")
expect_eq(v.num, 7, "7 objects per order-1 slab")
expect_eq(v.colour, 7, "464 bytes left over: 7 colours of 64 bytes")
say(string.format("Cache demo: %d objects per order-%d slab, CPU array limit %d, batchcount %d, %d colours of %d bytes. The first kmem_cache_alloc finds every array empty: how many objects leave the new slab?",
	v.num, v.order, v.limit, v.batchcount, v.colour, v.colour_off))
pause()

local objs = {}
objs[1] = kmem_cache_alloc(c)
v = slab_arrays("demo")
expect_eq(v.cpu.avail, 6, "all 7 went to the CPU array, one was handed out")
expect_eq(#v.full, 1, "the slab is full: its objects are all in the array or in use")
say("cache_alloc_refill moved the whole new slab (7 objects, under the batch of 12) to the CPU array and gave out one; the slab is on slabs_full with 6 unused. Where does the next slab start?")
pause()

for i = 2, 8 do objs[i] = kmem_cache_alloc(c) end
expect_eq(slab_colour(objs[1].addr), 0, "the first slab: colour 0")
expect_eq(slab_colour(objs[8].addr), 64, "the second slab: one cache line later")
say(string.format("The second slab's objects start at +%d: colour_next cycles through the leftover, so equal offsets land on different cache lines. 35 allocated, then 24 freed: do they go to their slabs?",
	slab_colour(objs[8].addr)))
pause()

for i = 9, 35 do objs[i] = kmem_cache_alloc(c) end
expect_eq(slab_arrays("demo").cpu.avail, 0, "5 slabs, 35 objects, all handed out")
for i = 1, 24 do kmem_cache_free(c, objs[i]) end
v = slab_arrays("demo")
expect_eq(v.cpu.avail, 24, "24 frees fill the CPU array")
expect_eq(#v.free, 0, "no slab has a free object: the array holds them")
say("24 frees filled the CPU array; the slabs still count every object as active. The 25th free finds the array full: where do its oldest 12 go?")
pause()

kmem_cache_free(c, objs[25])
v = slab_arrays("demo")
expect_eq(v.shared_array.avail, 12, "cache_flusharray: 12 to the shared array")
expect_eq(v.cpu.avail, 13, "12 left, plus the new one")
local line = proc("slabinfo"):match("\ndemo[^\n]*")
expect(line:find(": tunables   24   12    8 :", 1, true) ~= nil, "slabinfo shows SLAB's real tunables")
print(line:sub(2))
say("They went to the node's shared array (" .. v.shared_array.avail .. " of " .. v.shared_array.limit .. "), still not to their slabs (slabinfo's line above). What will two passes of cache_reap give back?")
pause()

cache_reap()
v = slab_arrays("demo")
expect_eq(v.cpu.avail, 13, "a touched CPU array only loses its touched flag")
expect_eq(v.shared_array.avail, 6, "the untouched shared array gives back half of its 12")
cache_reap()
v = slab_arrays("demo")
expect_eq(v.cpu.avail, 13 - 5, "the second reap drains (24 + 4) / 5 of the now untouched CPU array")
say(string.format("cache_reap's first pass spared the CPU array (used since) and gave half the idle shared array back; the second gave back 5 of the CPU array's oldest (%d free in slabs, free_limit %d).",
	v.free_objects, v.free_limit))
pause()
