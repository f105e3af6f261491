-- 03-zones.lua: memory zones and what each gfp flag may use.
--
-- Teaches: x86_64 splits physical memory into ZONE_DMA (below 16M, for ISA
-- devices), ZONE_DMA32 (below 4G, for 32-bit devices) and ZONE_NORMAL (the
-- rest).  gfp_zone() turns the gfp flags into the highest zone a request may
-- use; the zonelist then walks down from it (Normal > DMA32 > DMA), never up.
-- So GFP_DMA is confined to ZONE_DMA and fails when it is full, however much
-- the other zones hold.  Also: 32-bit x86, where GFP_HIGHUSER is what may
-- use HighMem, and an explicit layout with machine{zones=...}.
-- The first two machines are a preview; the marks and pauses are on the
-- last one.  Each machine{} after the first is a step of its own (the new
-- machine booting), and stepping back crosses into the machine before.

title("Zones and gfp flags")

-- Which zones an allocation's fast path looked at (its watermark checks).
local walked = {}
on("watermark", function(e)
	if e.wmark == "low" then walked[#walked + 1] = e.zone end
end)
local function try(order, gfp)
	walked = {}
	local p, why = alloc_pages(order, gfp)
	return p, table.concat(walked, " > "), why
end

machine{}   -- the default: x86_64, 64M
expect_eq(zone("DMA").spanned, 4096, "DMA: 16M = 4096 pages of 4K")
expect_eq(zone("DMA32").start_pfn, 4096, "DMA32 starts at 16M")
expect_eq(zone("Normal").present, 0, "no memory above 4G: ZONE_NORMAL is empty")
say("x86_64: DMA below 16M, DMA32 below 4G, Normal above. A 64M machine has no Normal, so GFP_KERNEL pages come from DMA32.")
local p = alloc_pages(0)
expect_eq(p.zone, "DMA32", "so GFP_KERNEL pages come from DMA32")

machine{arch = "x86", memory = "1G"}
expect_eq(zone("HighMem").present, 32768, "HighMem: the 128M above 896M")
say("32-bit x86: RAM above 896M is ZONE_HIGHMEM, not kept mapped by the kernel. One page with GFP_HIGHUSER, one with GFP_KERNEL: which zones?")
pause()
expect_eq(alloc_pages(0, "GFP_HIGHUSER").zone, "HighMem", "GFP_HIGHUSER may use HighMem")
expect_eq(alloc_pages(0, "GFP_KERNEL").zone, "Normal", "GFP_KERNEL may not: the kernel needs its pages mapped")

-- Zones are laid out from address 0 in rank order; min_free_kbytes=0 keeps
-- the watermarks (scenario 04) out of the way.  This machine is the
-- textbook buddy (migratetypes=false, pcp=false): with the kernel's per-CPU
-- lists, each single page below would bring a batch of pages out of the
-- zone's order-9 block onto the lists, where they stay after the free, and
-- the order-9 counts would depend on the batch sizes.
machine{memory = "16M", zones = {DMA = "1M", DMA32 = "3M", Normal = "12M"}, min_free_kbytes = 0,
	migratetypes = false, pcp = false}
for _, z in ipairs(zones()) do
	if z.present > 0 then
		print(string.format("%-7s pfn %4d..%4d  %4d pages", z.name, z.start_pfn,
			z.start_pfn + z.spanned - 1, z.present))
	end
end
expect_eq(zone("DMA32").start_pfn, 256, "DMA32 starts at 1M")
expect_eq(zone("Normal").start_pfn, 1024, "Normal starts at 4M")
expect_eq(zone("Normal").present, 3072, "Normal has 12M")
expect(not pcall(zone, "HighMem"), "x86_64 has no HighMem zone")
say("HighMem for GFP_HIGHUSER, Normal for GFP_KERNEL. Now a toy x86_64 layout, DMA 1M, DMA32 3M, Normal 12M: one page per gfp flag, which zones?")
mark("toy-layout")
pause()

local first = {GFP_KERNEL = "Normal", GFP_ATOMIC = "Normal", GFP_HIGHUSER = "Normal",
	GFP_DMA32 = "DMA32", GFP_DMA = "DMA"}
for _, gfp in ipairs{"GFP_KERNEL", "GFP_ATOMIC", "GFP_HIGHUSER", "GFP_DMA32", "GFP_DMA"} do
	local pg = try(0, gfp)
	print(string.format("%-13s -> %s (pfn 0x%x)", gfp, pg.zone, pg.pfn))
	expect_eq(pg.zone, first[gfp], gfp .. " starts at its highest allowed zone")
	free_pages(pg)
end
-- gfp_zone(): __GFP_DMA -> DMA, __GFP_DMA32 -> DMA32, __GFP_HIGHMEM ->
-- HighMem if the arch has it (not x86_64: Normal), otherwise Normal.
say("Each starts at the highest zone gfp_zone() allows and walks down only. GFP_DMA32 may not use Normal: will a 2nd order-9 (2M) request work?")
pause()

local a = try(9, "GFP_DMA32")
expect_eq(a.zone, "DMA32", "the first order-9 block comes from DMA32")
local b, path, why = try(9, "GFP_DMA32")
expect_eq(b, nil, "the second fails")
expect_eq(path, "DMA32 > DMA", "its walk went DMA32 > DMA and stopped")
expect(zone("DMA32").free == 256 and zone("DMA").free == 256, "256 pages left in each: too few for 512")
expect(why:find("below its watermark", 1, true), "free pages less 511 is negative: below the watermark")
expect(zone("Normal").nr_free[10] > 0, "while Normal has free order-10 blocks")
-- Order 9 is above PAGE_ALLOC_COSTLY_ORDER: after reclaim and compaction
-- (not modelled; nothing here is reclaimable) the kernel fails it too.
say("No: DMA32 > DMA have 256 free pages each, too few for 512; Normal was never looked at. GFP_DMA in order-4 blocks: how many before it fails?")
mark("dma32")
free_pages(a)
pause()
local got, last_why, last_path = {}, nil, nil
while true do
	local pg, path3, why3 = try(4, "GFP_DMA")
	if not pg then last_why, last_path = why3, path3; break end
	expect_eq(pg.zone, "DMA", "every GFP_DMA block is in DMA")
	got[#got + 1] = pg
end
expect_eq(#got, 16, "16 blocks of 16 pages: all of DMA")
expect_eq(zone("DMA").free, 0, "DMA is full")
expect_eq(last_path, "DMA", "the 17th request looked at DMA only")
expect(last_why:find("below its watermark", 1, true), "and failed: DMA is below its watermark (empty)")
expect(zone("DMA32").free + zone("Normal").free == 3840, "while DMA32 and Normal hold 3840 free pages")
print(proc("buddyinfo"))
local k = try(4, "GFP_KERNEL")
expect_eq(k.zone, "Normal", "GFP_KERNEL still succeeds, from Normal")
say("16: the 17th GFP_DMA request fails with DMA empty while DMA32 and Normal held 3840 free pages. GFP_KERNEL still succeeds, from Normal.")
mark("dma-full")
