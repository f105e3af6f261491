-- 22-kswapd.lua: kswapd wakes at the low watermark and stops above high.
--
-- Teaches: an allocation whose fast path fails at the low watermark wakes
-- the node's kswapd (wakeup_kswapd) and is served from the reserve down to
-- min; kswapd (balance_pgdat) then reclaims the page cache, priority by
-- priority from DEF_PRIORITY (12), each pass scanning size >> priority
-- pages, until a zone is above its high watermark, and sleeps.  In the
-- model kswapd runs as an operation of its own right after the one that
-- woke it.  Linux 6.18's classic LRU.

machine{arch = "x86_64", memory = "16M"}
title("kswapd: woken at low, asleep above high")

local wakes, passes, sleep = 0, {}, nil
on("wakeup_kswapd", function() wakes = wakes + 1 end)
on("shrink_node", function(e) if e.who == "kswapd" then passes[#passes + 1] = e end end)
on("kswapd_sleep", function(e) sleep = e end)

local z = zone("DMA")
say(string.format("16 MiB, one zone: %d free pages; min %d, low %d, high %d. A backup job reads a 64 MiB file through the page cache. When does kswapd wake?",
	z.free, z.min, z.low, z.high))
pause()

local f = file{name = "backup", size = "64M"}
local page = 0
while wakes == 0 do
	read(f, page * 4096, 4096)
	page = page + 1
end
z = zone("DMA")
expect_eq(wakes, 1, "one wake-up")
expect(sleep ~= nil, "kswapd ran right after the read that woke it")
expect(z.free > z.high, "and stopped above high")
expect(sleep.balanced, "balanced")
expect(#passes >= 1 and passes[1].priority < 12, "the first pass with pages to scan came below DEF_PRIORITY")
expect(z.free - z.high <= 2 * 32 + 1, "just above high: it stops once balanced, not when the cache is gone")
expect(f.nrpages > 3000, "most of the file is still cached")
say(string.format("Page %d hit low: kswapd woke and ran after the read, priority %d down to %d, freeing %d pages. It stopped at %d free, just above high (%d): the rest stays cached. When does it wake again?",
	page - 1, passes[1].priority, passes[#passes].priority, sleep.reclaimed, z.free, z.high))
print(proc("vmstat"):match("pgscan_kswapd %d+"), proc("vmstat"):match("pgsteal_kswapd %d+"), proc("vmstat"):match("pageoutrun %d+"))
pause()

local before = page
wakes = 0
while wakes == 0 do
	read(f, page * 4096, 4096)
	page = page + 1
end
expect_eq(wakes, 1, "it woke again")
expect(page - before > 20, "after the free pages above low were used up again")
say(string.format("After %d more pages: free memory fell to low again. kswapd keeps free memory between low and high while the cache fills the rest.",
	page - before))
print(proc("meminfo"):match("MemFree:[^\n]*"), proc("meminfo"):match("Inactive%(file%):[^\n]*"))
