-- 27-pcp.lua: per-cpu page lists batch the buddy's work.
--
-- Teaches: the per-cpu lists (mm/page_alloc.c, 6.18: rmqueue_pcplist,
-- rmqueue_bulk, free_frozen_page_commit, drain_all_pages).  On a 64M
-- machine with two CPUs, DMA32's pagesets have batch 3 (zone_batchsize:
-- 12288 pages >> 10 is 12, a quarter is 3, kept as 2^2 - 1), high_min 120
-- (the low mark 240 over two CPUs) and high_max 768 (an eighth of the zone
-- over two CPUs).  The first order-0 allocation refills its list with 3
-- pages in one buddy trip; the next two need no buddy at all; the fourth
-- refills with 6 (the refill doubles while allocations come without frees).
-- A page freed on CPU 1 stays on CPU 1's list, not in the zone's free pages,
-- until drain_all_pages gives every list back.

machine{memory = "64M", cpus = 2, pcp = true, migratetypes = true}
title("Per-cpu page lists")

local trips, takes = 0, 0
on("rmqueue_bulk", function() trips = trips + 1 end)
on("take", function() takes = takes + 1 end)

local p0 = pcp(0, "DMA32")
expect_eq(p0.batch, 3, "zone_batchsize of 12288 pages")
expect_eq(p0.high_min, 120, "the low watermark shared by two CPUs")
expect_eq(p0.high_max, 768, "an eighth of the zone shared by two CPUs")
say("Each CPU keeps lists of free pages per order and migrate type. How many trips to the buddy will three order-0 allocations take?")
pause()

local a = alloc_pages(0)
expect_eq(trips, 1, "one refill")
expect_eq(takes, 3, "three blocks off the buddy's lists in that trip")
expect_eq(pcp(0, "DMA32").count, 2, "two pages left on CPU 0's list")
local b, c = alloc_pages(0), alloc_pages(0)
expect_eq(trips, 1, "the next two came from the list: no buddy trip")
expect_eq(takes, 3, "and nothing taken off the buddy")
local d = alloc_pages(0)
expect_eq(trips, 2, "the fourth refilled")
expect_eq(pcp(0, "DMA32").count, 5, "with 6 pages this time: batch << alloc_factor")
say("One trip served three allocations, and the next refill doubled. Where does a page freed on CPU 1 go?")
pause()

local free_before = zone("DMA32").free
free_pages(b, {cpu = 1})
expect_eq(pcp(1, "DMA32").count, 1, "onto CPU 1's list")
expect_eq(zone("DMA32").free, free_before, "not back into the zone's free pages")
expect_eq(frame(b.pfn).state, "pcp", "the frame is free but not a buddy page")
print(proc("zoneinfo"):match("Node 0, zone    DMA32.-start_pfn[^\n]*"))
say("It waits on CPU 1's list, invisible to the buddy. What does drain_all_pages, as compaction and reclaim call it, give back?")
pause()

local moved = drain_all_pages()
expect_eq(moved, 6, "CPU 0's five pages and CPU 1's one")
expect_eq(pcp(0, "DMA32").count + pcp(1, "DMA32").count, 0, "every list is empty")
free_pages(a); free_pages(c); free_pages(d)
drain_all_pages()
expect_eq(zone("DMA32").nr_free[10], 12, "the pages merged back into the 12 order-10 blocks of boot")
expect_eq(pageblock(a.pfn).migratetype, "Unmovable", "the block the first GFP_KERNEL request claimed stays unmovable")
say("Every list is back in the buddy, merged with its neighbours: the pages were only borrowed. The claimed pageblock keeps its unmovable type.")
