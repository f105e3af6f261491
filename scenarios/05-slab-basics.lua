-- 05-slab-basics.lua: a slab cache from its first object to an empty slab
-- going back to the buddy.
--
-- Teaches: SLUB (mm/slub.c).  A cache carves buddy blocks ("slabs") into
-- equal objects and threads a free list through the free ones.  Allocation
-- takes the CPU slab's first free object; when the CPU slab is full, the
-- next allocation takes a slab from the partial list or, with none, a new
-- slab from the buddy.  A free goes back to the object's own slab: a full
-- slab becomes partial, and a slab left empty goes back to the buddy once
-- the node keeps min_partial partial slabs (the kernel computes
-- ilog2(size) / 2, clamped to 5..10; here we ask for 1 to see it sooner).
-- The cache's per-CPU partial list is switched off (cpu_partial = 0, as
-- writing 0 to /sys/kernel/slab/NAME/cpu_partial does), so that frees go
-- to the node's lists; tests/scenarios/golden/slab_paths.lua shows it on.
-- 512-byte objects with 1 CPU: min_objects = 4 * (fls(1) + 1) = 8, and 8 * 512
-- fills one 4K page exactly: 8 objects per order-0 slab.

machine{memory = "1M", min_free_kbytes = 0}
title("Slab basics")

local new_slabs, discards, moved = 0, 0, 0
on("new_slab", function() new_slabs = new_slabs + 1 end)
on("discard_slab", function() discards = discards + 1 end)
on("slab_partial", function() moved = moved + 1 end)

local c = kmem_cache_create("demo", 512, {min_partial = 1, cpu_partial = 0})
expect_eq(c.objects_per_slab, 8, "8 objects of 512 bytes per slab")
expect_eq(c.order, 0, "a slab is one page (order 0)")
expect_eq(c.num_slabs, 0, "a new cache has no slab yet")
say("demo: 8 objects of 512 B per order-0 slab, no slab yet (per-CPU partial list off). Where will the first object come from?")
pause()

local obj = {}
obj[1] = kmem_cache_alloc(c)
expect_eq(new_slabs, 1, "the first allocation takes a new slab from the buddy")
expect_eq(frame(obj[1].slab).state, "slab", "its page frame is now in state slab")
expect_eq(#c.freelist, 7, "7 free objects are left on the CPU slab's freelist")
expect_eq(c.freelist[1], obj[1].addr + 512, "the freelist runs in address order: next is the object after")
mark("first")
for i = 2, 8 do obj[i] = kmem_cache_alloc(c) end
expect_eq(new_slabs, 1, "the next 7 come from the same slab")
expect_eq(obj[8].addr - obj[1].addr, 7 * 512, "objects sit 512 bytes apart")
expect_eq(#c.freelist, 0, "the CPU slab is full")
say("The slab is full. Where does the 9th object come from?")
pause()

obj[9] = kmem_cache_alloc(c)
expect_eq(new_slabs, 2, "no slab has room: a second slab from the buddy")
expect_eq(c.nr_full, 1, "the first slab left the CPU: on no list in SLUB, on slub_debug's full list here")
expect(obj[9].slab ~= obj[1].slab, "the 9th object is in the new slab")
print(proc("slabinfo"):match("demo[^\n]*"))
mark("two slabs")
say("A new slab from the buddy: the full one left the CPU (SLUB keeps full slabs on no list; slub_debug's list here). Free one of its objects: where does its slab go?")
pause()

kmem_cache_free(c, obj[3])
expect_eq(moved, 1, "the full slab has a free object again: onto the partial list")
expect_eq(c.nr_partial, 1, "one partial slab")
expect_eq(c.active_objs, 8, "8 objects in use")
say("To the node's partial list (cpu_partial on: the CPU's). Freeing its other 7, the node holds min_partial (1) slabs counting it: what happens?")
pause()

for _, i in ipairs{1, 2, 4, 5, 6, 7} do kmem_cache_free(c, obj[i]) end
expect_eq(discards, 0, "a slab with one object in use stays")
kmem_cache_free(c, obj[8])
expect_eq(discards, 1, "the empty slab goes back to the buddy")
expect_eq(c.num_slabs, 1, "one slab is left: the CPU slab")
expect_eq(frame(obj[9].slab).state, "slab", "the CPU slab stays")
mark("discarded")

kmem_cache_free(c, obj[9])
expect_eq(c.num_slabs, 1, "an empty CPU slab is kept: it is not on the partial list")
expect_eq(c.active_objs, 0, "no object in use")
kmem_cache_destroy(c)
expect_eq(discards, 2, "destroying the cache returns its last slab")
expect(not proc("slabinfo"):find("demo", 1, true), "the cache is gone from /proc/slabinfo")
say("Discarded: nr_partial 1 >= min_partial 1, so the empty slab went back to the buddy; destroy returned the CPU slab. The cache is gone.")
