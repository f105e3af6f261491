-- 28-compaction.lua: compaction moves user pages to make a large free block.
--
-- Teaches: memory compaction (mm/compaction.c) and page migration
-- (mm/migrate.c).  A process's pages are freed one in two: half the zone is
-- free, none of it in a block of the machine's largest order.  An order-4
-- request fails the fast and slow paths, so the allocator compacts: the
-- migrate scanner walks up from the zone's start isolating pages it can
-- move, the free scanner walks down from the end isolating free frames as
-- targets, and each page moves (its PTE becomes a migration entry, the
-- content is copied, the PTE maps the new frame).  Then kernel pages sit in
-- every pageblock: compaction cannot move them, because the kernel holds
-- their physical addresses and no page table tells it who to update.

-- 64 frames of 4K; max_order 5 makes order 4 (16 frames, one pageblock)
-- the largest block; watermarks at 0 so that only fragmentation matters.
-- The bare buddy (migratetypes=false, pcp=false): a zone of 4 pageblocks
-- is below the kernel's threshold for grouping by mobility at all
-- (page_group_by_mobility_disabled: fewer pages than pageblock_nr_pages
-- * MIGRATE_TYPES), where every request counts as unmovable and the
-- first, asynchronous compaction finds no movable block to move pages
-- into; here every block counts as movable, so the scanners' block checks
-- pass and the two scanners can be watched.  Freed pages go straight back
-- to the free lists (no per-CPU lists), so the counts below are exact.
machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, max_order = 5, migratetypes = false, pcp = false}
title("Compaction")

local moved = 0
on("migrated", function() moved = moved + 1 end)

local function largest_free_order()
	local z = zone("DMA")
	for o = 4, 0, -1 do
		if z.nr_free[o] > 0 then return o end
	end
	return -1
end

-- The app touches n pages, with a kernel page allocated after every
-- kernel_every of them (0: none), then unmaps every other page.
local function fragment(n, kernel_every)
	local app = process{name = "app"}
	local a = mmap(app, {len = n * 4096, prot = "rw"})
	local kernel = {}
	for i = 0, n - 1 do
		access(app, a + i * 4096, "w", 1000 + i)
		if kernel_every > 0 and i % kernel_every == kernel_every - 1 then
			kernel[#kernel + 1] = alloc_pages(0, "GFP_KERNEL")
		end
	end
	for i = 0, n - 1, 2 do munmap(app, a + i * 4096, 4096) end
	return app, a, kernel
end

local app, a = fragment(48, 0)
expect_eq(zone("DMA").free, 36, "36 frames free")
expect_eq(largest_free_order(), 3, "the largest free block has order 3")
expect_eq(zone("DMA").nr_free[0], 24, "24 of them single frames")
print(proc("buddyinfo"))
print(proc("extfrag_index"))
say("The app touched 48 pages and unmapped every other one: 36 frames are free, none in a 16-frame block. Can alloc_pages(4) get one?")
mark("fragmented")
pause()
local frag = fragmentation_index("DMA", 4)
expect(frag > 0.5, "a high fragmentation index: the failure is fragmentation, not a lack of memory")
local first_pte = translate(app.mm, a + 4096).pa // 4096
local big = alloc_pages(4, "GFP_HIGHUSER_MOVABLE")
expect(big ~= nil, "the allocation succeeds after direct compaction")
expect_eq(big.order, 4, "an order-4 block")
expect(moved > 0, "pages were migrated")
local after_pte = translate(app.mm, a + 4096).pa // 4096
expect(after_pte ~= first_pte, "the app's page 1 lives in another frame now")
expect_eq(page(after_pte).content, 1001, "with its content")
say(string.format("Yes, after compacting: %d pages moved up, and page 1 moved from frame 0x%x to 0x%x. Did the app notice?",
	moved, first_pte, after_pte))
pause()

expect_eq(access(app, a + 4096, "r").value, 1001, "the app reads page 1 again: the same value")
say("No: its PTE named the new frame before it ran again, and the value is the same. Now kernel pages sit among the app's. Can compaction still help?")
pause()

machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, max_order = 5, migratetypes = false, pcp = false}
local _, _, kernel = fragment(40, 5)
local blocks = {}
for _, p in ipairs(kernel) do blocks[p.pfn // 16] = true end
expect(blocks[0] and blocks[1] and blocks[2] and blocks[3], "kernel pages in every pageblock")
moved = 0
local result = compact("DMA")
expect_eq(result, "complete", "the scanners met")
expect(moved > 0, "compaction moved the app's pages")
expect(largest_free_order() < 4, "still no order-4 block")
local again = alloc_pages(4, "GFP_HIGHUSER_MOVABLE")
expect(again == nil, "and the allocation fails")
print(proc("buddyinfo"))
print(proc("vmstat"))
say(string.format("No: %d pages moved, but a kernel page in each pageblock pins it. The kernel holds their physical addresses; no page table lets it update them.",
	moved))
