-- GFP_KERNEL on x86_64 with 64 MiB: DMA (16 MiB) and DMA32 (48 MiB), no
-- Normal.  The zonelist is tried from the highest zone the gfp allows down:
-- DMA32 first, then DMA.  Bring DMA32 exactly down to its low watermark and
-- the next request falls back to DMA, which must also keep lowmem_reserve
-- pages for requests that could have used a higher zone.
title("zone fallback: DMA32 to DMA")
machine{arch = "x86_64", memory = "64M"}
local dma32 = zone("DMA32")
print("DMA32 free", dma32.free, "low", dma32.low)
local held = {}
for i = 1, 11 do held[#held + 1] = alloc_pages(10) end
held[#held + 1] = alloc_pages(9)
held[#held + 1] = alloc_pages(8)
held[#held + 1] = alloc_pages(4)
for _, p in ipairs(held) do expect_eq(p.zone, "DMA32", "served from DMA32 while above low") end
expect_eq(zone("DMA32").free, zone("DMA32").low, "DMA32 sits at its low watermark")
say("DMA32 is at its low watermark: the next request falls back to DMA")
local p = alloc_pages(0)
expect_eq(p.zone, "DMA", "fell back to DMA")
expect_eq(zone("DMA").lowmem_reserve.DMA32, 48, "DMA keeps 12288/256 pages for DMA32 requests")
print(proc("buddyinfo"))
