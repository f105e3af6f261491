-- The classic buddy example: a 1 MiB machine with 64 KiB pages has 16 page
-- frames, one free order-4 block.  Allocate orders 0, 1, 0, 1, then free the
-- 2nd, 4th, 1st and 3rd block: every split is undone by a merge and the
-- machine ends with its single order-4 block again.
-- The checkpoints follow mm/page_alloc.c: expand() keeps the lower half and
-- puts the upper half at the head of its list; __rmqueue_smallest takes the
-- head of the smallest order that has a block; __free_one_page merges while
-- the buddy (pfn ^ 1 << order) is free at that order, then puts the block at
-- the tail when buddy_merge_likely (the next-order buddy is free), else at
-- the head.
title("split and merge")
machine{memory = "1M", page_size = "64K"}
print(proc("buddyinfo"))
local puts = {}
on("put", function(e) puts[#puts + 1] = string.format("%d/%d/%s", e.pfn, e.order, e.side) end)

local a = alloc_pages(0)
-- 0 (order 4) splits four times keeping the lower half: 8, 4, 2, 1 go free
for k = 0, 3 do expect_eq(zone("DMA").nr_free[k], 1, "the split chain left one block of order " .. k) end
expect_eq(zone("DMA").nr_free[4], 0, "the order-4 block is gone")
local b = alloc_pages(1)
local c = alloc_pages(0)
local d = alloc_pages(1)
print(a.pfn, b.pfn, c.pfn, d.pfn)
expect_eq(a.pfn, 0, "a takes the first frame")
expect_eq(b.pfn, 2, "b takes the order-1 buddy split off for a")
expect_eq(c.pfn, 1, "c takes a's order-0 buddy")
expect_eq(d.pfn, 4, "d splits the order-2 block at 4")
-- d's split put 6 on the order-1 list; 8 (order 3) is untouched: 2 + 8 free
expect_eq(zone("DMA").nr_free[1], 1, "6 is the only order-1 block")
expect_eq(zone("DMA").nr_free[3], 1, "8 is the only order-3 block")
expect_eq(zone("DMA").free, 10, "16 - 1 - 2 - 1 - 2 frames free")
print(proc("buddyinfo"))

-- b (2, order 1): its buddy 0 holds a and c, so no merge; the block 0-3 it
-- would make has buddy 4, which d holds: no merge likely, head.  The
-- order-1 list now holds two blocks, 2 before 6.
free_pages(b)
expect_eq(puts[1], "2/1/head", "b goes to the head of the order-1 list")
expect_eq(zone("DMA").nr_free[1], 2, "two order-1 blocks: 2 and 6")
-- d (4, order 1) merges with 6 into 4 (order 2); its buddy 0 (order 2) is
-- not free.  The order-3 block 0-7 it would make has buddy 8, free: tail.
free_pages(d)
expect_eq(puts[2], "4/2/tail", "d merges with 6; a merge with 8 is likely: tail")
-- a (0): buddy 1 is c, allocated; the pair 0-1 has order-1 buddy 2, free: tail
free_pages(a)
expect_eq(puts[3], "0/0/tail", "a waits at the tail for c")
-- c (1) merges with 0, 2, 4 and 8 into 0 (order 4), the whole zone: its
-- order-5 buddy 16 is outside the zone, so no merge is likely: head
free_pages(c)
expect_eq(puts[4], "0/4/head", "four merges back to the order-4 block")
expect_eq(#puts, 4, "one put per free")
expect_eq(zone("DMA").nr_free[4], 1, "one order-4 block again")
expect_eq(zone("DMA").free, 16, "all 16 frames free")
print(proc("buddyinfo"))
