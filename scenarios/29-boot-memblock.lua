-- 29-boot-memblock.lua: from the firmware's memory map to the buddy allocator.
--
-- Teaches: the e820 map a PC's firmware reports (usable RAM, reserved
-- ranges, holes); how e820__memblock_setup turns it into memblock.memory,
-- what the kernel reserves before anything else (the first page, the first
-- megabyte, its own image, the initrd); that memblock_alloc hands out early
-- memory top-down; and how memblock_free_all gives every free range to the
-- buddy allocator in the largest aligned blocks, leaving zones with holes
-- (spanned > present) and reserved pages (present > managed), as
-- /proc/zoneinfo shows on every real machine.

-- A QEMU-like PC with 64 MiB: low RAM below 640K, the BIOS area, RAM from
-- 1M, and the top 128K reserved by the firmware.
machine{memory_map = {
	{0x0, 0x9fc00, "usable"},
	{0x9fc00, 0x400, "reserved"},
	{0xf0000, 0x10000, "reserved"},
	{0x100000, 0x3fe0000 - 0x100000, "usable"},
	{0x3fe0000, 0x20000, "reserved"},
	{0xfffc0000, 0x40000, "reserved"},
}, kernel = "12M", reserve = {{"48M", "4M", "initrd"}}, boot = true}
title("Boot: e820, memblock and the hand-over")

print(proc("iomem"))
local mb = memblock()
-- usable RAM less the first page (trim_bios_range) and the partial page at 0x9fbff
expect_eq(#mb.memory, 2, "two usable ranges")
expect_eq(mb.memory[1].base, 0x1000, "page 0 is the BIOS's, not RAM")
expect_eq(mb.memory[1]["end"], 0x9fc00, "low RAM ends at 639K")
-- reserved: the first megabyte, the kernel at 16M, the initrd
expect_eq(#mb.reserved, 3, "three reservations")
expect_eq(mb.reserved[2].base, 16 << 20, "the kernel image at CONFIG_PHYSICAL_START")
say("The firmware's map becomes memblock.memory; the first 1M, the kernel and the initrd go in memblock.reserved. Which frames will the buddy never get?")
pause()

-- Free ranges now: [1M, 16M), [28M, 48M), [52M, 0x3fe0000).  Top-down, the
-- first allocation ends where the highest free range ends.
local a = memblock_alloc("64K", "4K")
expect_eq(a, 0x3fe0000 - 0x10000, "the highest 64K below the top of RAM")
local b = memblock_alloc("2M", "2M")
expect_eq(b, 0x3c00000, "(0x3fd0000 - 2M) rounded down to 2M")
print(proc("memblock/reserved"))
expect_eq(frame(a >> 12).state, "reserved", "early allocations are reserved frames")
expect_eq(frame(0x2000).state, "memblock", "free memory still belongs to memblock")
say("memblock_alloc searched from the top: 0x3fd0000 for 64K, then 0x3c00000 for 2M aligned. Why are the two not one region?")
pause()

-- an early buffer given back before the hand-over: the region splits
local c = memblock_alloc("8K")
memblock_free(c, "8K")
expect_eq(#memblock().reserved, 5, "freeing the 8K leaves the regions as they were")
say("Freed before the hand-over, the 8K never reached the buddy as reserved. Now memblock_free_all: which block sizes will the free ranges make?")
pause()

local blocks = {}
on("free_pages_core", function(e) blocks[#blocks + 1] = e.order end)
memblock_free_all()
-- [1M, 16M) = pfns 0x100..0x1000: 0x100 o8, 0x200 o9, 0x400, 0x800, 0xc00 o10
expect_eq(table.concat(blocks, " ", 1, 5), "8 9 10 10 10", "the DMA range in the largest aligned blocks")
local dma, dma32 = zone("DMA"), zone("DMA32")
-- DMA spans pfns 1..4095; present 158 + 3840 (the holes at 640K-1M are absent);
-- the first megabyte is reserved, so only 1M..16M is managed.
expect_eq(dma.spanned, 4095, "DMA spanned")
expect_eq(dma.present, 3998, "DMA present")
expect_eq(dma.managed, 3840, "DMA managed")
-- DMA32: pfns 0x1000..0x3fe0; less kernel 3072, initrd 1024, 16 + 512 early
expect_eq(dma32.spanned, 0x3fe0 - 0x1000, "DMA32 spanned")
expect_eq(dma32.managed, 0x3fe0 - 0x1000 - 3072 - 1024 - 16 - 512, "DMA32 managed")
-- min_free_kbytes = sqrt(lowmem kB * 16); each zone's min its share of it
local lowmem = dma.managed + dma32.managed
local kb = math.floor(math.sqrt(lowmem * 4 * 16))
local pages_min = math.max(kb, 128) // 4
expect_eq(dma32.min, pages_min * dma32.managed // lowmem, "DMA32 min")
print(proc("zoneinfo"):match("Node 0, zone +DMA32.-managed +%d+"))
say("The buddy has the memory: DMA spans 4095 pages, 3998 present, 3840 managed, as on a real PC. The 158 missing: the first 1M, reserved for good.")
