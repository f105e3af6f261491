-- The classic buddy example: a 1 MiB machine with 64 KiB pages has 16 page
-- frames, one free order-4 block.  Allocate orders 0, 1, 0, 1, then free the
-- 2nd, 4th, 1st and 3rd block: every split is undone by a merge and the
-- machine ends with its single order-4 block again.
title("split and merge")
machine{memory = "1M", page_size = "64K"}
print(proc("buddyinfo"))

local a = alloc_pages(0)
local b = alloc_pages(1)
local c = alloc_pages(0)
local d = alloc_pages(1)
print(a.pfn, b.pfn, c.pfn, d.pfn)
expect_eq(a.pfn, 0, "a takes the first frame")
expect_eq(b.pfn, 2, "b takes the order-1 buddy split off for a")
expect_eq(c.pfn, 1, "c takes a's order-0 buddy")
expect_eq(d.pfn, 4, "d splits the order-2 block at 4")
print(proc("buddyinfo"))

free_pages(b)
free_pages(d)
free_pages(a)
free_pages(c)
expect_eq(zone("DMA").nr_free[4], 1, "one order-4 block again")
expect_eq(zone("DMA").free, 16, "all 16 frames free")
print(proc("buddyinfo"))
