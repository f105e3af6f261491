-- expect: 2 broken/kmap_free_page.lua:7:
-- and: kmap: pfn 0x2000 is free
machine{arch = "x86", memory = "40M", zones = {DMA = "16M", Normal = "16M", HighMem = "8M"}}
local p = alloc_pages(0, "GFP_HIGHUSER")
local pfn = p.pfn
free_pages(p)
kmap(pfn)
