-- GFP_DMA confines an allocation to ZONE_DMA: when DMA is below its
-- watermark the request fails (nil, reason) although DMA32 is nearly empty.
-- On a machine without a DMA zone it fails at once: no zone can serve it.
title("GFP_DMA confinement")
machine{arch = "x86_64", memory = "64M"}
-- DMA is 16 MiB: four order-10 blocks 0x0, 0x400, 0x800, 0xc00, put on the
-- list at boot in address order; each request takes the head.
for i = 1, 3 do
	local p = alloc_pages(10, "GFP_DMA")
	expect_eq(p.zone, "DMA", "GFP_DMA is served from DMA")
	expect_eq(p.pfn, (i - 1) * 0x400, "the lowest order-10 block left")
end
-- min_free_kbytes 1024 kB = 256 pages; DMA's share 256 * 4096 / 16384 = 64,
-- low 64 + 16 = 80.  1024 free less 2^10 - 1 is 1: below low and min.
expect_eq(zone("DMA").low, 80, "DMA low")
local p, why = alloc_pages(10, "GFP_DMA")
expect_eq(p, nil, "DMA has one order-10 block left, below its watermark")
expect(why and why:match("^out of memory"), "the reason is a watermark, not fragmentation")
print(why)
expect_eq(zone("DMA32").free, zone("DMA32").managed, "DMA32 was never touched")
p = alloc_pages(0, "GFP_DMA")
expect_eq(p.zone, "DMA", "a small GFP_DMA request still fits")
expect_eq(p.pfn, 0xc00, "it splits the last block and keeps its lowest frame")

say("a machine with only a Normal zone")
machine{arch = "x86_64", memory = "64M", zones = {Normal = "64M"}}
p, why = alloc_pages(0, "GFP_DMA")
expect_eq(p, nil, "no DMA zone")
expect(why and why:match("^no populated zone"), "the reason is the missing zone")
print(why)
p, why = alloc_pages(0, "GFP_DMA32")
expect_eq(p, nil, "GFP_DMA32 may not use Normal either")
expect(why and why:match("^no populated zone"), "the reason is the missing zone")
p = alloc_pages(0)
expect_eq(p.zone, "Normal", "GFP_KERNEL may")
expect_eq(p.pfn, 0, "Normal starts at address 0 when it is the only zone")
