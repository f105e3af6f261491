-- 02-fragmentation.lua: free memory that cannot serve a high-order request.
--
-- Teaches: external fragmentation.  Fill a 64-frame machine with order-0
-- pages, free every other one: half of memory is free, yet no two free pages
-- are buddies, so an order-3 request fails with reason "fragmented"
-- (__zone_watermark_ok passes the free-page count but finds no free block of
-- order >= 3).  /proc/buddyinfo shows it at a glance.  Then freeing four
-- well-placed pages merges an order-3 block back: what compaction
-- (mm/compaction.c, 28-compaction.lua) achieves by moving pages instead.

-- 256K of 4K pages: 64 frames, one order-6 block at boot.  min_free_kbytes=0
-- sets the watermarks to 0, so only fragmentation matters here (see 04).
-- The textbook buddy: machine{migratetypes=false, pcp=false} gives one
-- free list per order and no per-CPU lists (the kernel's defaults add
-- both: 26-migratetypes.lua and 27-pcp.lua show them).
machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, migratetypes = false, pcp = false}
title("Fragmentation")

local merges, fail_reason, wm = 0, nil, nil
on("merge", function() merges = merges + 1 end)
on("fail", function(e) fail_reason = e.reason end)
on("watermark", function(e) wm = e end)

-- Free pages that sit in blocks of at least this order.
local function pages_in_blocks(order)
	local z, n = zone("DMA"), 0
	for o = order, 10 do n = n + z.nr_free[o] * (1 << o) end
	return n
end

expect_eq(zone("DMA").nr_free[6], 1, "one order-6 block at boot")
expect(zone("DMA").min == 0 and zone("DMA").low == 0, "watermarks at 0")
say("64 frames of 4K, watermarks at 0. Allocate all 64, one page at a time, then free every other one.")

local pages = {}
for i = 1, 64 do
	pages[i] = alloc_pages(0)
end
expect_eq(pages[64].pfn, 63, "the 64th page is the last frame")
expect_eq(zone("DMA").free, 0, "memory is full")
mark("full")

for i = 1, 64, 2 do   -- pfn 0, 2, 4, ... 62
	free_pages(pages[i])
	pages[i] = nil
end
expect_eq(merges, 0, "no free page has a free buddy: no merge")
expect_eq(zone("DMA").free, 32, "half of memory is free")
expect_eq(zone("DMA").nr_free[0], 32, "all of it as 32 order-0 blocks")
print(proc("buddyinfo"))
say("Half of memory is free, but every free page's buddy (pfn XOR 1) is in use. Can alloc_pages(3) get 8 contiguous pages?")
mark("checkerboard")
pause()

local big, why = alloc_pages(3)
expect_eq(big, nil, "the model's order-3 request returns nil (no compaction or reclaim yet)")
expect_eq(fail_reason, "fragmented", "the fail event's reason is fragmented")
expect(why:find("fragmented", 1, true) == 1, "the returned reason starts with 'fragmented'")
-- __zone_watermark_ok: free less the 2^3 - 1 pages that cannot serve an
-- order-3 request is 25, above the watermark (0); but then it looks for a
-- free block of order 3 or more, and free_area[3..10] are all empty.
expect_eq(wm.usable, 25, "usable: 32 free less the 2^3 - 1 pages too few to serve it")
expect(wm.usable > wm.mark + wm.reserve and not wm.ok, "the count passes, the check still fails")
-- Unusable free space index for order 3: (free - pages in blocks >= 3) / free.
expect_eq(pages_in_blocks(3), 0, "no free page lies in a block of order 3 or more: index 32/32 = 1.0")
-- The kernel would not give up here: for GFP_KERNEL at order <= 3
-- (PAGE_ALLOC_COSTLY_ORDER) __alloc_pages_slowpath wakes kswapd, compacts,
-- reclaims and retries, and ends in the OOM killer rather than fail.  The
-- model has no reclaim or compaction yet, so it stops after its retry.
say("No: fragmented. 32 free pages pass the count, but free_area[3..] are empty. (The kernel would compact and reclaim; the model stops.) Order 1? Order 0?")
mark("failed")
pause()

local two = alloc_pages(1)
expect_eq(two, nil, "even two contiguous pages are impossible")
expect_eq(fail_reason, "fragmented", "order 1 fails for the same reason")
local one = alloc_pages(0)
expect(one ~= nil, "a single page is still easy")
expect_eq(one.pfn, 62, "the head of free_area[0]: pfn 62, the last page freed")
free_pages(one)

say("Order 1 fails too; order 0 gets pfn 0x3e (62), the head of free_area[0] (freed last). Which frees make pfn 0..7 one order-3 block, in how many merges?")
pause()
merges = 0
for _, i in ipairs{2, 4, 6, 8} do   -- pfn 1, 3, 5, 7
	free_pages(pages[i])
	pages[i] = nil
end
expect_eq(merges, 7, "1 + 2 + 1 + 3 merges")
expect_eq(zone("DMA").nr_free[3], 1, "an order-3 block at pfn 0")
expect_eq(frame(0).order, 3, "pfn 0 heads an order-3 free block")
expect_eq(zone("DMA").free, 36, "36 pages free")
print(proc("buddyinfo"))
say("Freeing pfn 1, 3, 5, 7 took 7 merges (1, 2, 1, 3) and made an order-3 block at pfn 0. Will alloc_pages(3) succeed now, and where?")
pause()

big = alloc_pages(3)
expect(big ~= nil and big.pfn == 0, "now the order-3 request succeeds at pfn 0")
say("Yes, at pfn 0: 36 free pages serve it where 32 could not. Where pages are free matters; the kernel's compaction moves pages to make such blocks.")
mark("repaired")
