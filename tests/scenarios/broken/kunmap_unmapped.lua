-- expect: 2 broken/kunmap_unmapped.lua:5:
-- and: kunmap: pfn 0x2000 is not kmapped
machine{arch = "x86", memory = "40M", zones = {DMA = "16M", Normal = "16M", HighMem = "8M"}}
local p = alloc_pages(0, "GFP_HIGHUSER")
kunmap(p)
