-- expect: 2 broken/kunmap_local_order.lua:7:
-- and: kunmap_local: 0xfffba000 is not cpu 0's most recent kmap_local mapping (that is 0xfffb9000)
machine{arch = "x86", memory = "40M", zones = {DMA = "16M", Normal = "16M", HighMem = "8M"}}
local p = alloc_pages(0, "GFP_HIGHUSER")
local a = kmap_local_page(p)
local b = kmap_local_page(p)
kunmap_local(a)
