-- 06-kmalloc-classes.lua: kmalloc's size classes and the bytes they waste.
--
-- Teaches: kmalloc (mm/slab_common.c) serves a request from the smallest of
-- its caches that holds it: powers of two from 8 bytes to 8K, plus 96 and
-- 192 to cut the worst waste between 64 and 256 (kmalloc_index).  The
-- difference between the class and the request is internal fragmentation.
-- Above the largest class (2 pages: kmalloc-8k with 4K pages) kmalloc takes
-- pages straight from the buddy at the order of the size, wasting just
-- under half of the block at worst (kmalloc(8193) in 16 KiB).

machine{memory = "4M", min_free_kbytes = 0}
title("kmalloc size classes")

local last
on("kmalloc", function(e) last = e end)
on("kmalloc_large", function(e) last = e end)

local requests = {
	{1, "kmalloc-8", 7}, {8, "kmalloc-8", 0}, {9, "kmalloc-16", 7}, {65, "kmalloc-96", 31},
	{96, "kmalloc-96", 0}, {100, "kmalloc-128", 28}, {129, "kmalloc-192", 63}, {200, "kmalloc-256", 56},
	{1000, "kmalloc-1k", 24}, {1025, "kmalloc-2k", 1023}, {5000, "kmalloc-8k", 3192},
}
-- a question before the requests that teach something: the first, the
-- first past a power of two (96 exists for it), the worst case (1025)
local ask = {
	[1] = "Each request lands in the smallest class that holds it. kmalloc(1): which class, and how many bytes wasted?",
	[4] = "8 bytes fit kmalloc-8 exactly, 9 take kmalloc-16. kmalloc(65), just past 64: which class, 128?",
	[10] = "kmalloc-96 exists to cut that waste (31 bytes, not 63); 192 likewise. kmalloc(1025): which class, what waste?",
}
local objs, asked, used = {}, 0, 0
for i, r in ipairs(requests) do
	local size, class, wasted = r[1], r[2], r[3]
	if ask[i] then
		say(ask[i])
		pause()
	end
	local o = kmalloc(size)
	objs[#objs + 1] = o
	expect_eq(o.cache, class, "kmalloc(" .. size .. ") lands in " .. class)
	expect_eq(last.cache, class, "the kmalloc event names the class")
	expect_eq(last.wasted, wasted, "kmalloc(" .. size .. ") wastes " .. wasted .. " bytes")
	asked, used = asked + size, used + size + wasted
end
expect_eq(asked, 7633, "bytes asked for")
expect_eq(used, 12064, "bytes of the slots they occupy")
mark("classes")
say(string.format("kmalloc-2k, 1023 wasted. In all %d bytes asked, %d of slots: %d%% wasted. kmalloc(9000), above kmalloc-8k: served how?",
	asked, used, (used - asked) * 100 // used))
pause()
local big = kmalloc(9000)
expect_eq(last.kind, "kmalloc_large", "9000 bytes is above kmalloc-8k")
expect_eq(last.order, 2, "an order-2 block (16K) from the buddy")
expect_eq(last.wasted, 16384 - 9000, "7384 bytes wasted")
expect_eq(big.cache, nil, "no cache: the pages are the object")
expect_eq(frame(big.pfn).state, "kmalloc", "not a slab page: the large_kmalloc page type")
-- nine classes got a slab each: 1 page for 8..256, 2 for 1k, 4 for 2k,
-- 8 for 8k (their orders): 20 pages, 80K; and the 16K block
expect(proc("meminfo"):find("SUnreclaim:           96 kB", 1, true),
	"SUnreclaim counts the slabs (80K) and the large block (16K)")
print(proc("meminfo"):match("Slab:[^\n]*\nSReclaimable:[^\n]*\nSUnreclaim:[^\n]*"))
mark("large")
say("An order-2 block (16 KiB) from the buddy, 7384 bytes wasted; its frames are not slab pages. Freeing it all: where does each go?")
pause()

for _, o in ipairs(objs) do kfree(o) end
kfree(big)
expect(proc("meminfo"):find("SUnreclaim:           80 kB", 1, true),
	"the large block went back; empty CPU slabs stay with their caches")
say("The objects went back to their slabs (empty CPU slabs stay with their caches), the large block to the buddy.")
