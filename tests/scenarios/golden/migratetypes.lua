-- 26-migratetypes.lua: grouping pages by mobility keeps high orders possible.
--
-- Teaches: migrate types and pageblocks (mm/page_alloc.c, 6.18).  The same
-- interleaved unmovable and movable allocations run twice on a 16M machine:
-- first on the textbook buddy (migratetypes=false), where the unmovable
-- blocks end up scattered over every pageblock; then with the kernel's
-- migrate types, where the first unmovable request claims a whole pageblock
-- pair (claim_block) and every later one stays inside it.  Freeing the
-- movable blocks then gives back nothing above order 5 in the first run and
-- whole order-10 blocks in the second, so the order-9 request fails, then
-- succeeds.  (On the textbook run direct compaction tries first and moves
-- nothing: no page in use is on an LRU, so none is movable.)  Per-cpu lists are off (pcp=false): 27-pcp.lua shows them.

local function interleave()
	local movable = {}
	for i = 1, 62 do
		alloc_pages(5, "GFP_KERNEL")
		movable[i] = alloc_pages(5, "GFP_HIGHUSER_MOVABLE")
	end
	for i = 1, 62 do free_pages(movable[i]) end
end

local claims = 0
on("claim_block", function() claims = claims + 1 end)

-- 16M of 4K pages: 4096 frames, 8 pageblocks of 512 (pageblock order 9).
machine{memory = "16M", min_free_kbytes = 0, migratetypes = false, pcp = false}
title("Migrate types")
say("The textbook buddy first: 62 unmovable and 62 movable order-5 blocks, interleaved; then the movable ones are freed. Will an order-9 block be left?")
pause()
interleave()
expect_eq(zone("DMA").nr_free[9] + zone("DMA").nr_free[10], 0, "no free block of order 9 or more")
local none, why = alloc_pages(9, "GFP_HIGHUSER_MOVABLE")
expect_eq(none, nil, "order 9 fails on the textbook buddy")
expect(why and why:find("fragmented", 1, true) == 1, "and the reason is fragmentation")
say("Nothing above order 5: every unmovable block splits a pageblock. Now the same with the kernel's migrate types. What will the first unmovable request do?")
pause()

machine{memory = "16M", min_free_kbytes = 0, migratetypes = true, pcp = false}
expect_eq(pageblock(0).migratetype, "Movable", "memmap_init marks every pageblock movable")
interleave()
expect(claims >= 1, "an unmovable request claimed a movable block")
expect_eq(pageblock(0).migratetype, "Unmovable", "the first pageblock pair became unmovable")
expect_eq(pageblock(0x200).migratetype, "Unmovable", "both halves of the order-10 block it claimed")
print(proc("pagetypeinfo"))
say("The unmovable blocks stayed in the pageblocks they claimed, so the movable space merged back into whole order-10 blocks. Can order 9 be served now?")
pause()
local big = alloc_pages(9, "GFP_HIGHUSER_MOVABLE")
expect(big ~= nil, "order 9 succeeds with migrate types")
say("It can: grouping by mobility kept the unmovable pages together, and high orders stay possible.")
