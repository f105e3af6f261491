-- 04-watermarks.lua: zone watermarks, the slow path and lowmem_reserve.
--
-- Teaches: how __setup_per_zone_wmarks derives each zone's min, low and high
-- from min_free_kbytes; that get_page_from_freelist's fast path wants free
-- pages above low, walking the zonelist (Normal > DMA32 > DMA: the
-- "fallback" event); that when every zone is below low,
-- __alloc_pages_slowpath retries at min ("slowpath"); that GFP_ATOMIC may
-- dig below min (ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK); and that lowmem_reserve
-- keeps a lower zone's last pages for the requests that need that zone.

-- 4096 pages of 4K: DMA 64, DMA32 192, Normal 3840.
-- The textbook buddy: machine{migratetypes=false, pcp=false} gives one
-- free list per order and no per-CPU lists (the kernel's defaults add
-- both: 26-migratetypes.lua and 27-pcp.lua show them).
machine{memory = "16M", zones = {DMA = "256K", DMA32 = "768K", Normal = "15M"}, min_free_kbytes = 1024,
	migratetypes = false, pcp = false}
title("Watermarks")

local fallbacks, slowpaths, wm, wakes = {}, 0, nil, 0
on("fallback", function(e) fallbacks[#fallbacks + 1] = e.from .. ">" .. e.to end)
on("slowpath", function() slowpaths = slowpaths + 1 end)
on("watermark", function(e) wm = e end)
on("wakeup_kswapd", function() wakes = wakes + 1 end)

-- min_free_kbytes=1024 is 256 pages, shared among the zones by their managed
-- pages: min = 256 * managed / 4096.  gap = max(min/4, managed * 10/10000)
-- (watermark_scale_factor 10); low = min + gap; high = min + 2*gap.
for _, z in ipairs(zones()) do
	if z.managed > 0 then
		local min = 256 * z.managed // 4096
		local gap = math.max(min // 4, z.managed * 10 // 10000)
		expect_eq(z.min, min, z.name .. " min")
		expect_eq(z.low, min + gap, z.name .. " low")
		expect_eq(z.high, min + 2 * gap, z.name .. " high")
		print(string.format("%-7s managed %4d  min %3d  low %3d  high %3d", z.name, z.managed, z.min, z.low, z.high))
	end
end
-- lowmem_reserve: a lower zone keeps (managed pages of the zones above it)
-- / 256 (sysctl_lowmem_reserve_ratio) from requests that could go higher.
expect_eq(zone("DMA").lowmem_reserve.Normal, (192 + 3840) // 256, "DMA keeps 15 pages from Normal-capable requests")
expect_eq(zone("DMA32").lowmem_reserve.Normal, 3840 // 256, "DMA32 keeps 15 pages from them too")
say("min_free_kbytes=1024: 256 pages, shared by size. min/low/high: DMA 4/5/6, DMA32 12/15/18, Normal 240/300/360.")
mark("watermarks")

local function has_block(z, order)
	for o = order, 10 do
		if z.nr_free[o] > 0 then return true end
	end
	return false
end

-- Allocate GFP_KERNEL blocks, as large as fit, until zone `name` has
-- `target` free pages; every block must come from that zone.
local function drain(name, target)
	local z = zone(name)
	while z.free > target do
		local o = 10
		while (1 << o) > z.free - target or not has_block(z, o) do o = o - 1 end
		local p = alloc_pages(o)
		expect(p and p.zone == name, "drain " .. name .. ": block from " .. name)
		z = zone(name)
	end
end

drain("Normal", 300)
expect_eq(zone("Normal").free, 300, "Normal is at its low watermark")
say("GFP_KERNEL took Normal down to 300 free pages, its low mark. Where will the next GFP_KERNEL page come from?")
pause()

fallbacks = {}
local p = alloc_pages(0)
expect_eq(p.zone, "DMA32", "from DMA32")
expect_eq(table.concat(fallbacks, " "), "Normal>DMA32", "one fallback, Normal to DMA32")
drain("DMA32", 30)
say("DMA32: Normal failed the fast path's check (free > low), so the walk fell back. DMA32 is now at its line, low 15 + reserve 15 = 30: and next?")
pause()

fallbacks = {}
p = alloc_pages(0)
expect_eq(p.zone, "DMA", "with DMA32 at 30, the next page comes from DMA")
expect_eq(table.concat(fallbacks, " "), "Normal>DMA32 DMA32>DMA", "Normal > DMA32 > DMA")
drain("DMA", 20)
say("DMA, the walk's last zone (its line: low 5 + reserve 15 = 20), now drained to it too. Every zone is at low: will the next one fail?")
mark("all-at-low")
pause()

p = alloc_pages(0)
expect_eq(slowpaths, 1, "the fast path failed: one slowpath event")
expect_eq(p.zone, "Normal", "the slow path served it from Normal")
expect_eq(wm.wmark, "min", "checked at the min watermark")
-- The slow path first woke kswapd (wake_all_kswapds); it runs once this
-- allocation is over and finds nothing to reclaim: no page here is on an
-- LRU list.  The retry at min served the page meanwhile.
expect(wakes >= 1, "the slow path woke kswapd")
drain("Normal", 240)
drain("DMA32", 12 + 15)
drain("DMA", 4 + 15)
say("No: the slow path woke kswapd (it had nothing to reclaim) and retried at min: Normal 300 > 240, served. Every zone now at min: will GFP_KERNEL get a page?")
pause()

local none, why = alloc_pages(0)
expect_eq(none, nil, "at min everywhere, GFP_KERNEL returns nil")
expect(why:find("the OOM killer would run next", 1, true), "reason: direct reclaim freed nothing, the OOM killer is next")
expect(wm.zone == "DMA" and wm.wmark == "min" and wm.reserve == 15, "DMA was checked last, at min + 15")
-- GFP_KERNEL at order <= 3 reclaims directly (try_to_free_pages): nothing
-- is reclaimable, so should_reclaim_retry gives up; the kernel would then
-- call the OOM killer (not modelled yet: the allocation fails).
say("No: direct reclaim found nothing to free and should_reclaim_retry gave up; the OOM killer would run next. GFP_ATOMIC cannot sleep: will it get a page?")
mark("all-at-min")
pause()

local atomic = alloc_pages(0, "GFP_ATOMIC")
expect(atomic and atomic.zone == "Normal", "GFP_ATOMIC succeeds from Normal, below min")
expect_eq(wm.mark, 240 - 120 - 30, "its line: min - min/2 (__GFP_HIGH), then less a quarter of what remains (cannot block)")
expect_eq(zone("DMA").free, 19, "DMA has 19 free pages")
say("Yes: __GFP_HIGH halves min (120), not blocking takes a quarter of what remains (30): 240 -> 90. DMA has 19 free. Will GFP_DMA get one?")
pause()

local dma = alloc_pages(0, "GFP_DMA")
expect(dma and dma.zone == "DMA", "GFP_DMA gets a DMA page")
expect_eq(wm.reserve, 0, "with no reserve: DMA is its highest zone")
print(proc("zoneinfo"):match("Node 0, zone +DMA\n.-protection: %b()"))
say("Yes: lowmem_reserve keeps 15 DMA pages from requests that could use Normal. GFP_DMA cannot, so its reserve is 0.")
mark("reserve")
