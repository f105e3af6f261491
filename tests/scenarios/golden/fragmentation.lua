-- Free memory that is all in order-0 blocks cannot serve an order-1 request:
-- the allocation fails with the reason "fragmented", not "watermark".
title("fragmentation")
machine{memory = "1M", page_size = "64K", min_free_kbytes = 0}
local pages = {}
for i = 1, 16 do pages[i] = alloc_pages(0) end
-- Each split keeps the lower half and each request takes the head of the
-- smallest non-empty list, so the frames go out in address order.
local inorder = true
for i = 1, 16 do inorder = inorder and pages[i].pfn == i - 1 end
expect(inorder, "the 16 order-0 requests get frames 0, 1, …, 15 in order")
expect_eq(zone("DMA").free, 0, "every frame allocated")
-- Free every other frame: no two free frames are buddies, so nothing merges.
-- Each freed frame's pair (2k, 2k+1) would have buddy 2k ^ 2 at order 1,
-- never free at order 1, so no merge is likely: each goes to the head.
local sides = {}
on("put", function(e) sides[#sides + 1] = e.side end)
for i = 1, 16, 2 do free_pages(pages[i]) end
print(proc("buddyinfo"))
expect_eq(zone("DMA").free, 8, "half the frames free")
expect_eq(zone("DMA").nr_free[0], 8, "eight order-0 blocks, none merged")
expect_eq(table.concat(sides, " "), "head head head head head head head head", "each free goes to the head")
local p, why = alloc_pages(1)
expect_eq(p, nil, "no order-1 block")
-- 8 free, 7 usable (8 - (2^1 - 1)) is above the mark 0: only the missing
-- order-1 block fails it.
expect(why and why:match("^fragmented"), "the reason is fragmentation, not a watermark")
print(why)
-- Freeing one more frame lets frames 0 and 1 merge.
free_pages(pages[2])
p = alloc_pages(1)
expect_eq(p.pfn, 0, "the merged pair serves the order-1 request")
-- The order-0 list holds seven blocks, freed in the order 2, 4, …, 14 and
-- each put at the head: the next order-0 request takes the last one freed.
local q = alloc_pages(0)
expect_eq(q.pfn, 14, "LIFO: the head of the order-0 list is the frame freed last")
