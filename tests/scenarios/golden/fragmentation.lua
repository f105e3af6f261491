-- Free memory that is all in order-0 blocks cannot serve an order-1 request:
-- the allocation fails with the reason "fragmented", not "watermark".
title("fragmentation")
machine{memory = "1M", page_size = "64K", min_free_kbytes = 0}
local pages = {}
for i = 1, 16 do pages[i] = alloc_pages(0) end
expect_eq(zone("DMA").free, 0, "every frame allocated")
-- Free every other frame: no two free frames are buddies, so nothing merges.
for i = 1, 16, 2 do free_pages(pages[i]) end
print(proc("buddyinfo"))
expect_eq(zone("DMA").free, 8, "half the frames free")
local p, why = alloc_pages(1)
expect_eq(p, nil, "no order-1 block")
print(why)
-- Freeing one more frame lets frames 0 and 1 merge.
free_pages(pages[2])
p = alloc_pages(1)
expect_eq(p.pfn, 0, "the merged pair serves the order-1 request")
