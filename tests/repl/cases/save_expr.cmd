machine{memory="1M", page_size="64K"}
a = alloc_pages(1)
a.pfn
zone("DMA").free
save saved.lua
