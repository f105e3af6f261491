-- 01-buddy-basics.lua: the buddy allocator, split and merge.
--
-- Teaches: free blocks of 2^order pages kept on free_area[order]; how
-- __rmqueue_smallest takes the smallest block that fits and expand() halves
-- it; how __free_one_page finds the buddy (pfn XOR 2^order) and merges while
-- the buddy is free.  The worked example: allocate 1, 2, 1, 2 pages, then
-- free the 2nd, 4th, 1st and 3rd.  A 1M machine of 64K pages has 16 frames,
-- so every frame is visible; max_order=5 gives orders 0..4, so all of memory
-- is one order-4 block.  On x86_64 the first 16M are ZONE_DMA: one zone.

-- The textbook buddy: machine{migratetypes=false, pcp=false} gives one
-- free list per order and no per-CPU lists (the kernel's defaults add
-- both: 26-migratetypes.lua and 27-pcp.lua show them).
machine{memory = "1M", page_size = "64K", max_order = 5, migratetypes = false, pcp = false}
title("Buddy: split and merge")

local splits, merges, side = 0, 0, nil
on("split", function() splits = splits + 1 end)
on("put", function(e) side = e.side end)
on("merge", function(e)
	merges = merges + 1
	-- The two halves differ only in bit (order-1) of the pfn.
	expect_eq(e.pfn, e.buddy & ~(1 << (e.order - 1)), "merged block starts at the lower buddy")
end)

-- Free blocks per order, as a string "o0 o1 o2 o3 o4".
local function lists()
	local z, t = zone("DMA"), {}
	for o = 0, 4 do t[#t + 1] = z.nr_free[o] end
	return table.concat(t, " ")
end

mark("boot")
expect_eq(zone("DMA").free, 16, "all 16 frames are free")
expect_eq(lists(), "0 0 0 0 1", "one order-4 block on free_area[4]")
print(proc("buddyinfo"))
say("16 frames, pfn 0..15: one order-4 block. alloc_pages(0) wants 1 page: how many times must the block be halved?")
pause()

local a = alloc_pages(0)
expect_eq(a.pfn, 0, "1st: the lowest half is kept each time")
expect_eq(splits, 4, "order 4 -> 3 -> 2 -> 1 -> 0: four splits")
expect_eq(lists(), "1 1 1 1 0", "one free block at each order 0..3")
say("4 times: expand() kept the lower half and put the upper halves, pfn 8, 4, 2, 1, on free_area[3], [2], [1], [0]. Next alloc_pages(1): which block?")
mark("first-split")
pause()

splits = 0
local b = alloc_pages(1)
expect_eq(b.pfn, 2, "2nd: the free order-1 block at pfn 2")
local c = alloc_pages(0)
expect_eq(c.pfn, 1, "3rd: the free order-0 block at pfn 1")
expect_eq(splits, 0, "exact fits: no split")
say("Exact fits need no split: pfn 2 (order 1), then pfn 1 (order 0). Order 1 again, but free_area[1] is empty: where from?")
pause()

local d = alloc_pages(1)
expect_eq(d.pfn, 4, "4th: from the order-2 block at pfn 4")
expect_eq(splits, 1, "one split: 4 is kept, 6 goes on free_area[1]")
expect_eq(lists(), "0 1 0 1 0", "free: order-1 at 6, order-3 at 8")
expect_eq(zone("DMA").free, 10, "6 pages allocated, 10 free")
print(proc("buddyinfo"))
say("Block 4 (order 2) split once: 4-5 used, 6-7 free. Now free the 2nd, 4th, 1st, 3rd: which merge? Buddy: pfn XOR 2^order.")
mark("allocated")
pause()

free_pages(b)
expect_eq(merges, 0, "2nd (pfn 2, order 1): buddy pfn 0 is in use, no merge")
expect_eq(side, "head", "pfn 2 was put at the head of free_area[1]")
say("pfn 2, order 1: its buddy 2 XOR 2 = 0 is in use. No merge: it goes on free_area[1]. Next pfn 4, order 1: does it merge?")
pause()

free_pages(d)
expect_eq(merges, 1, "4th (pfn 4, order 1): buddy 6 is free, one merge")
say("pfn 4, order 1: buddy 6 is free, so they merge into order-2 block 4. Its buddy, 0, is in use: stop. Next pfn 0, order 0: merge?")
pause()

free_pages(a)
expect_eq(merges, 1, "1st (pfn 0, order 0): buddy 1 is in use, no merge")
expect_eq(frame(0).state, "free", "pfn 0 is free")
-- buddy_merge_likely: the order-1 block 0 would make has a free buddy (2),
-- so pfn 0 goes at the tail, to stay unused until its buddy comes back.
expect_eq(side, "tail", "pfn 0 was put at the tail of free_area[0]")
say("pfn 0: buddy 1 is in use; put at the tail, as a merge looks likely (buddy_merge_likely). Last, pfn 1: how many merges?")
pause()

merges = 0
free_pages(c)
expect_eq(merges, 4, "0+1, then +2, +4, +8: four merges")
expect_eq(lists(), "0 0 0 0 1", "back to one order-4 block")
expect_eq(zone("DMA").free, 16, "everything is free again")
print(proc("buddyinfo"))
say("Four merges in a row: 0+1, +2, +4, +8. One order-4 block again, as at boot.")
mark("merged")
