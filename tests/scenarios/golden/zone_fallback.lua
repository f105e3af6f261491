-- GFP_KERNEL on x86_64 with 64 MiB: DMA (16 MiB) and DMA32 (48 MiB), no
-- Normal.  The zonelist is tried from the highest zone the gfp allows down:
-- DMA32 first, then DMA.  Bring DMA32 exactly down to its low watermark and
-- the next request falls back to DMA, which must also keep lowmem_reserve
-- pages for requests that could have used a higher zone.
title("zone fallback: DMA32 to DMA")
machine{arch = "x86_64", memory = "64M"}
local dma32 = zone("DMA32")
print("DMA32 free", dma32.free, "low", dma32.low)
-- min_free_kbytes = sqrt(16 * 65536 kB) = 1024 kB = 256 pages, shared by
-- managed pages: DMA32 gets 256 * 12288 / 16384 = 192; the gap to low is
-- max(192 / 4, 12288 * 10 / 10000) = 48.
expect_eq(dma32.min, 192, "DMA32 min")
expect_eq(dma32.low, 240, "DMA32 low = min + 48")
expect_eq(dma32.free, 12288, "DMA32 is 48 MiB of 4 KiB pages, all free")
local held = {}
for i = 1, 11 do held[#held + 1] = alloc_pages(10) end
held[#held + 1] = alloc_pages(9)
held[#held + 1] = alloc_pages(8)
held[#held + 1] = alloc_pages(4)
for _, p in ipairs(held) do expect_eq(p.zone, "DMA32", "served from DMA32 while above low") end
-- Boot put DMA32's twelve order-10 blocks on the list in address order and
-- each request takes the head: 0x1000, 0x1400, … for the first eleven.
local lowest_first = true
for i = 1, 11 do lowest_first = lowest_first and held[i].pfn == 0x1000 + (i - 1) * 0x400 end
expect(lowest_first, "order-10 requests take the blocks in address order")
-- The last order-10 block 0x3c00 splits for order 9 (keeps 0x3c00), its
-- upper half 0x3e00 for order 8 (keeps 0x3e00), and 0x3f00 for order 4.
expect_eq(held[12].pfn, 0x3c00, "order 9 keeps the lower half of 0x3c00")
expect_eq(held[13].pfn, 0x3e00, "order 8 splits the free upper half 0x3e00")
expect_eq(held[14].pfn, 0x3f00, "order 4 splits the free upper half 0x3f00")
-- 12288 - 11 * 1024 - 512 - 256 - 16 = 240, the low mark: "free - (2^order
-- - 1) must exceed low" fails for every order from now on.
for k = 4, 7 do expect_eq(zone("DMA32").nr_free[k], 1, "the order-4 split left one block of order " .. k) end
expect_eq(zone("DMA32").free, zone("DMA32").low, "DMA32 sits at its low watermark")
say("DMA32 is at its low watermark: the next request falls back to DMA")
local p = alloc_pages(0)
expect_eq(p.zone, "DMA", "fell back to DMA")
-- DMA's four order-10 blocks at 0x0, 0x400, … : the head 0x0 splits down.
expect_eq(p.pfn, 0, "DMA serves from its lowest block")
expect_eq(zone("DMA").free, 4095, "one DMA frame used")
expect_eq(zone("DMA").lowmem_reserve.DMA32, 48, "DMA keeps 12288/256 pages for DMA32 requests")
print(proc("buddyinfo"))
