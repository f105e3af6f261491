-- proc("buddyinfo"), proc("zoneinfo") and proc("meminfo") in the kernel's
-- format, on a 32-bit x86 machine with HighMem, before and after allocating.
-- The checkpoints read numbers back out of the text and compare them with
-- what mm/page_alloc.c computes for 1 GiB on x86: DMA 16 MiB (4096 pages),
-- Normal up to 896 MiB (225280), HighMem the last 128 MiB (32768).
title("/proc files")
machine{arch = "x86", memory = "1G"}

-- buddyinfo's row for a zone: the eleven counts as one string
local function buddy(text, zone)
	return (text:match("zone%s+" .. zone .. "%s+([%d%s]-)%s*\n"):gsub("%s+", " "))
end
-- meminfo's value in kB
local function kb(text, name) return tonumber(text:match("\n?" .. name .. ":%s+(%d+) kB")) end
-- zoneinfo: the text of one zone's block
local function zoneblock(text, zone) return text:match("zone%s+" .. zone .. "\n(.-)\nNode") or text:match("zone%s+" .. zone .. "\n(.*)") end

local bi = proc("buddyinfo")
print(bi)
-- every zone is a whole number of 4 MiB (order-10) blocks
expect_eq(buddy(bi, "DMA"), "0 0 0 0 0 0 0 0 0 0 4", "DMA: 4 order-10 blocks")
expect_eq(buddy(bi, "Normal"), "0 0 0 0 0 0 0 0 0 0 220", "Normal: 880 MiB / 4 MiB")
expect_eq(buddy(bi, "HighMem"), "0 0 0 0 0 0 0 0 0 0 32", "HighMem: 128 MiB / 4 MiB")

local zi = proc("zoneinfo")
print(zi)
-- min_free_kbytes = sqrt(16 * 917504 kB of lowmem) = 3831 kB = 957 pages,
-- shared by managed pages: DMA 957 * 4096 / 229376 = 17, Normal 939.
-- HighMem's min is managed / 1024 = 32 (clamped to 32..128).  The gaps are
-- max(share / 4, managed * 10 / 10000): DMA 4, Normal 234, HighMem
-- max(136 / 4, 32) = 34 (HighMem's share would be 136).
local function wm(zone)
	local b = zoneblock(zi, zone)
	return string.format("%s %s %s", b:match("min%s+(%d+)"), b:match("low%s+(%d+)"), b:match("high%s+(%d+)"))
end
expect_eq(wm("DMA"), "17 21 25", "DMA min, low, high")
expect_eq(wm("Normal"), "939 1173 1407", "Normal min, low, high")
expect_eq(wm("HighMem"), "32 66 100", "HighMem min, low, high")
-- lowmem_reserve: the managed pages above the zone, up to the request's
-- highest zone, over the ratio (DMA 256, Normal 32): 225280 / 256 = 880,
-- (225280 + 32768) / 256 = 1008; Normal: 32768 / 32 = 1024.
expect_eq(zoneblock(zi, "DMA"):match("protection: (%b())"), "(0, 880, 1008, 1008)", "DMA protection")
expect_eq(zoneblock(zi, "Normal"):match("protection: (%b())"), "(0, 0, 1024, 1024)", "Normal protection")
expect_eq(tonumber(zoneblock(zi, "HighMem"):match("start_pfn:%s+(%d+)")), 229376, "HighMem starts at 896 MiB")

local mi = proc("meminfo")
print(mi)
expect_eq(kb(mi, "MemTotal"), 1048576, "MemTotal is 1 GiB")
expect_eq(kb(mi, "HighTotal"), 131072, "HighTotal is 128 MiB")
expect_eq(kb(mi, "LowTotal"), 917504, "LowTotal is 896 MiB")
-- MemAvailable = free - totalreserve_pages, the sum over zones of the
-- largest lowmem_reserve plus the high mark, capped at managed:
-- (1008 + 25) + (1024 + 1407) + (0 + 100) + 0 = 3564 pages = 14256 kB
expect_eq(kb(mi, "MemAvailable"), 1048576 - 14256, "MemAvailable")
expect_eq(kb(mi, "VmallocUsed"), 0, "nothing vmalloc'ed yet")

local h = alloc_pages(10, "GFP_HIGHUSER")
local k = alloc_pages(3, "GFP_KERNEL")
local d = alloc_pages(0, "GFP_DMA")
-- GFP_HIGHUSER may use HighMem and starts there; GFP_KERNEL's highest zone
-- is Normal; each takes the lowest block of its zone (boot order).
expect_eq(h.pfn, 229376, "GFP_HIGHUSER: HighMem's first block")
expect_eq(k.pfn, 4096, "GFP_KERNEL: Normal's first block, split to order 3")
expect_eq(d.pfn, 0, "GFP_DMA: DMA's first frame")
bi = proc("buddyinfo")
print(bi)
expect_eq(buddy(bi, "DMA"), "1 1 1 1 1 1 1 1 1 1 3", "an order-0 split leaves one block of each lower order")
expect_eq(buddy(bi, "Normal"), "0 0 0 1 1 1 1 1 1 1 219", "an order-3 split leaves orders 3 to 9")
expect_eq(buddy(bi, "HighMem"), "0 0 0 0 0 0 0 0 0 0 31", "one order-10 block taken whole")
mi = proc("meminfo")
print(mi)
-- (1024 + 8 + 1) pages of 4 kB gone, 1024 of them HighMem
expect_eq(kb(mi, "MemFree"), 1048576 - 4132, "MemFree")
expect_eq(kb(mi, "HighFree"), 131072 - 4096, "HighFree")
expect_eq(kb(mi, "LowFree"), 917504 - 36, "LowFree")
expect_eq(kb(mi, "MemAvailable"), 1048576 - 4132 - 14256, "MemAvailable keeps the same reserve")
