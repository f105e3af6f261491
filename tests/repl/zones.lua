-- zones.lua: two zones of 8 frames (DMA 0-7, Normal 8-15), for conditions on zones.
machine{memory="1M", page_size="64K", max_order=5, zones={DMA="512K", Normal="512K"}}
local a = alloc_pages(0)
local b = alloc_pages(0, "GFP_DMA")
local c = alloc_pages(2, "GFP_DMA")
free_pages(a)
free_pages(b)
