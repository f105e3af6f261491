-- 23-direct-reclaim.lua: when kswapd is too slow, the allocation reclaims.
--
-- Teaches: kswapd works beside the allocating task; a burst of
-- allocations can outrun it.  Below the min watermark the slow path
-- reclaims itself (try_to_free_pages: SWAP_CLUSTER_MAX = 32 pages, the
-- priority falling from 12 until that much is freed), then retries the
-- zones (should_reclaim_retry); the task stalls meanwhile (allocstall).
-- When nothing can be reclaimed, the OOM killer would be next.  Here
-- kswapd runs only after the operation that woke it, so one big read()
-- is a burst it cannot keep up with.  Linux 6.18's classic LRU.

machine{arch = "x86_64", memory = "8M"}
title("Direct reclaim: the allocation reclaims for itself")

local woke, stalls, direct = nil, 0, {}
on("wakeup_kswapd", function(e) woke = woke or e.step end)
on("try_to_free_pages", function(e) stalls = stalls + 1; direct[#direct + 1] = e end)

local z = zone("DMA")
local f = file{name = "video", size = "32M"}
say(string.format("min %d, low %d, high %d; %d pages free. One read() of 2016 pages: kswapd is woken at low but runs only after the read. What happens below min?",
	z.min, z.low, z.high, z.free))
pause()

local r = read(f, 0, 2016 * 4096)
expect_eq(r.pages, 2016, "the read got every page")
expect(woke ~= nil, "kswapd was woken on the way down")
expect(stalls >= 1, "and the read stalled in direct reclaim")
expect(direct[1].step > woke, "after the wake-up: kswapd had not run yet")
expect(direct[1].reclaimed >= 32, "each stall reclaimed at least SWAP_CLUSTER_MAX pages")
local st = proc("vmstat")
expect_eq(tonumber(st:match("allocstall_movable (%d+)")), stalls, "each stall counted in allocstall (under Movable, the highest zone a page-cache page may use)")
local pages = f.pages
expect_eq(pages[1], false, "the file's first page is no longer cached")
expect(pages[2016] ~= false, "the last page read is")
say(string.format("The read stalled %d times: below min, try_to_free_pages freed %d pages from the inactive tail, the first ones read. Now a process fills memory with anonymous pages: how does that end?",
	stalls, direct[1].reclaimed))
print(st:match("pgscan_direct %d+"), st:match("pgsteal_direct %d+"), st:match("allocstall_movable %d+"))
pause()

local p = process{name = "hog"}
local a = mmap(p, {len = "8M"})
local n, last_why = 0, nil
for i = 0, 2047 do
	local res, why = access(p, a + i * 4096, "w", i)
	if not res then last_why = why; break end
	n = n + 1
end
expect(last_why ~= nil, "the hog ran out of memory")
expect(last_why:find("the OOM killer would run next", 1, true), "after direct reclaim found nothing more")
expect_eq(f.nrpages, 0, "every cached page was reclaimed on the way")
say(string.format("After %d anonymous pages the cache was gone and nothing more could be reclaimed: should_reclaim_retry gave up. The kernel would call the OOM killer; here the fault returns nil.",
	n))
print(last_why)
print(proc("meminfo"):match("Inactive%(anon%):[^\n]*"), proc("meminfo"):match("Cached:[^\n]*"))
