-- 44-kcompactd.lua: kswapd wakes kcompactd, and the slow path compacts after reclaim.
--
-- Teaches: a high-order request that fails for fragmentation wakes kswapd
-- for its order (wakeup_kswapd).  kswapd reclaims; once it has reclaimed
-- twice the order's pages (compact_gap) it balances for order 0 only,
-- because reclaim frees single frames and making the block is compaction's
-- work (kswapd_shrink_node).  Going to sleep, it wakes kcompactd for the
-- order (kswapd_try_to_sleep -> wakeup_kcompactd), which compacts the node
-- synchronously (kcompactd_do_work).  Then an allocation that may block:
-- its first direct compaction is skipped, because compaction needs free
-- order-0 frames as targets (__compaction_suitable); it reclaims, then
-- compacts again at a higher priority (COMPACT_PRIO_SYNC_LIGHT) and gets
-- its block (__alloc_pages_slowpath, Linux 6.18).  In memstep kswapd runs
-- as an operation of its own after the one that woke it, and kcompactd
-- after kswapd's.

-- 64 frames of 4K, orders 0..2; watermarks at 0 so that only
-- fragmentation matters; the textbook buddy (one free list per order)
-- keeps the layout easy to read, and changes nothing in what is shown.
local function small()
	machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, max_order = 3,
		migratetypes = false, pcp = false}
end

-- free blocks of order 1 or 2: what an order-1 request can use
local function blocks()
	local z = zone("DMA")
	return z.nr_free[1] + z.nr_free[2]
end

-- n pairs of frames: an anonymous page of the app, then either a page
-- cache page or (gaps) a second anonymous page unmapped again.  No two
-- neighbours can ever both be free by reclaim alone: the app's pages
-- have no swap to go to.
local function fragment(n, gaps)
	local app = process{name = "app"}
	local a = mmap(app, {len = 2 * n * 4096, prot = "rw"})
	local f = file{name = "cache", size = n * 4096}
	for i = 0, n - 1 do
		access(app, a + 2 * i * 4096, "w", i)
		if gaps and i % 2 == 1 then
			access(app, a + (2 * i + 1) * 4096, "w")
		else
			read(f, i * 4096, 1)
		end
	end
	if gaps then
		for i = 1, n - 1, 2 do munmap(app, a + (2 * i + 1) * 4096, 4096) end
	end
	return app, a
end

local ev = {}
local function count(name) on(name, function(e) ev[name] = (ev[name] or 0) + 1; ev[name .. "_e"] = e end) end
for _, name in ipairs{"wakeup_kswapd", "kswapd_order0", "kswapd_sleep", "wakeup_kcompactd", "kcompactd",
		"direct_compact", "try_to_free_pages", "should_compact_retry", "migrated"} do
	count(name)
end

small()
title("kcompactd and compaction after reclaim")
local app = fragment(30, true)
expect_eq(blocks(), 0, "only single frames are free")
local free = zone("DMA").free
print(proc("buddyinfo"))
say(string.format("%d frames are free, each beside one of the app's pages. A driver asks GFP_ATOMIC for 2 frames (order 1): it cannot wait. What happens?", free))
mark("fragmented")
pause()

local atomic = alloc_pages(1, "GFP_ATOMIC")
expect(atomic == nil, "the atomic request fails: no free order-1 block, and it may not compact")
expect_eq(ev.wakeup_kswapd, 1, "but it woke kswapd for order 1")
expect_eq(ev.wakeup_kswapd_e.order, 1, "order 1")
expect_eq(ev.direct_compact, nil, "it could not compact itself: it may not block")
expect_eq(ev.kswapd_order0, 1, "kswapd gave up on order 1 once it had reclaimed twice its pages")
expect(ev.kswapd_order0_e.reclaimed >= 4, "at least compact_gap(1) = 4 pages")
expect(ev.kswapd_sleep_e.balanced, "balanced for order 0, kswapd sleeps")
expect_eq(ev.wakeup_kcompactd, 1, "and going to sleep it asked kcompactd")
expect(ev.wakeup_kcompactd_e.woken, "which woke: a zone where compaction for order 1 would continue")
expect_eq(ev.kcompactd, 1, "kcompactd ran after kswapd")
expect(ev.migrated > 0, "it moved the app's pages")
expect(blocks() >= 1, "now there is an order-1 block")
print(proc("buddyinfo"))
print(proc("vmstat"):match("compact_daemon_wake %d+"))
say(string.format("It failed but woke kswapd, which reclaimed %d cache pages (single frames), then balanced for order 0 only and, going to sleep, woke kcompactd: %d pages moved. Does the retry succeed?",
	ev.kswapd_order0_e.reclaimed, ev.migrated))
pause()

atomic = alloc_pages(1, "GFP_ATOMIC")
expect(atomic ~= nil, "the retry finds the block kcompactd made")
say("Yes: kswapd and kcompactd work for the next request, not the one that woke them. Now a request that can wait, with hardly a frame free. Will compacting first help?")
pause()

small()
ev = {}
fragment(30, false)
local before = zone("DMA").free
expect(before <= 4, "hardly a frame free")
ev.migrated = 0
local block = alloc_pages(1, "GFP_KERNEL")
expect(block ~= nil, "the allocation succeeds")
expect_eq(ev.direct_compact, 2, "it compacted twice")
expect_eq(ev.try_to_free_pages, 1, "with one direct reclaim between")
expect(ev.migrated > 0, "the second compaction moved pages")
expect_eq(ev.direct_compact_e.priority, "sync_light", "the second at COMPACT_PRIO_SYNC_LIGHT")
expect_eq(ev.should_compact_retry, nil, "no retry was needed")
say(string.format("No: compaction (async) was skipped, %d free frames are too few targets. Direct reclaim freed cache pages, and compaction after it (sync_light) moved %d pages: the block.",
	before, ev.migrated))
print(proc("vmstat"):match("compact_stall %d+"), proc("vmstat"):match("compact_success %d+"))
