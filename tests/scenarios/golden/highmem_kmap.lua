-- kmap, kunmap, page_address, kmap_local nesting and the flush of unused
-- pkmap slots on a 32-bit machine with a small HighMem zone.
machine{arch = "x86", memory = "40M", cpus = 2, zones = {DMA = "16M", Normal = "16M", HighMem = "8M"}}
local low = alloc_pages(0)
local high = alloc_pages(0, "GFP_HIGHUSER")
page_address(low)
page_address(high)
local a = kmap(high)
kmap(high)
translate(init_mm(), a, "r", "kernel")
kunmap(high)
kunmap(high)
local l = kmap_local_page(high, 1)
local k = kmap_atomic(low, 1)
kunmap_atomic(k, 1)
kunmap_local(l, 1)
kmap_flush_unused()
page_address(high)
