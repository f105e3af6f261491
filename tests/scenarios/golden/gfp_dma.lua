-- GFP_DMA confines an allocation to ZONE_DMA: when DMA is below its
-- watermark the request fails (nil, reason) although DMA32 is nearly empty.
-- On a machine without a DMA zone it fails at once: no zone can serve it.
title("GFP_DMA confinement")
machine{arch = "x86_64", memory = "64M"}
for i = 1, 3 do
	local p = alloc_pages(10, "GFP_DMA")
	expect_eq(p.zone, "DMA", "GFP_DMA is served from DMA")
end
local p, why = alloc_pages(10, "GFP_DMA")
expect_eq(p, nil, "DMA has one order-10 block left, below its watermark")
print(why)
expect_eq(zone("DMA32").free, zone("DMA32").managed, "DMA32 was never touched")
p = alloc_pages(0, "GFP_DMA")
expect_eq(p.zone, "DMA", "a small GFP_DMA request still fits")

say("a machine with only a Normal zone")
machine{arch = "x86_64", memory = "64M", zones = {Normal = "64M"}}
p, why = alloc_pages(0, "GFP_DMA")
expect_eq(p, nil, "no DMA zone")
print(why)
p, why = alloc_pages(0, "GFP_DMA32")
expect_eq(p, nil, "GFP_DMA32 may not use Normal either")
p = alloc_pages(0)
expect_eq(p.zone, "Normal", "GFP_KERNEL may")
