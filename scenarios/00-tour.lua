-- 00-tour.lua: a guided tour of memstep, the first thing to open.
--
-- Teaches: what memstep shows (page frames, zones, the buddy allocator's
-- free lists), how a scenario drives it, how to step forwards and back, and
-- how to try things yourself.  Open it with `memstep scenarios/00-tour.lua`.
--
-- memstep simulates Linux memory management.  The frame map shows every page
-- frame; the free lists pane shows free_area[order], the buddy allocator's
-- lists of free blocks of 2^order pages; the events pane lists every step.
-- This file is a Lua scenario: each call like alloc_pages() is one operation,
-- made of steps (one event each).  The caption shows the latest say().
--
-- Keys: space or s = one step, n = one operation, b (or Left) = step back,
-- N = back one operation, c = continue to the next pause(), p = play,
-- g = goto a step or a mark(), : = command line, ? = help, q = quit.

-- The textbook buddy: machine{migratetypes=false, pcp=false} gives one
-- free list per order and no per-CPU lists (the kernel's defaults add
-- both: 26-migratetypes.lua and 27-pcp.lua show them).
machine{memory = "1M", page_size = "64K", migratetypes = false, pcp = false}
title("memstep tour")
expect_eq(zone("DMA").free, 16, "16 free frames")
expect_eq(zone("DMA").nr_free[4], 1, "one free block of 16 pages")
-- 64K base pages: x86_64 only has 4K ones (arm64 can use 64K); big pages
-- keep this machine small enough to see every frame.
say("1M of RAM in 64K pages (a toy size on x86_64; arm64 has 64K pages): 16 frames, one free block. alloc_pages(0) wants one page: which pfn? Press n.")
mark("start")
pause()

local pages = {}
pages[1] = alloc_pages(0)
expect_eq(pages[1].pfn, 0, "the first page is pfn 0")
expect_eq(pages[1].order, 0, "an order-0 block: one page")
say("pfn 0: alloc_pages(0) halved the 16-page block 4 times (b steps back to watch). alloc_pages(2) wants 4 contiguous pages: which pfns?")
pause()

pages[2] = alloc_pages(2)
expect_eq(pages[2].pfn, 4, "the free order-2 block at pfn 4")
expect_eq(pages[2].phys, 4 * 65536, "its physical address: pfn times the page size")
say("pfn 4..7: the free order-2 block left by the first split, taken whole. Both are freed next: will the 16-page block come back? (c goes on)")
mark("allocated")
pause()

free_pages(pages[1])
free_pages(pages[2])
expect_eq(zone("DMA").free, 16, "all free again")
expect_eq(zone("DMA").nr_free[4], 1, "as one order-4 block: freed buddies merged")
say("Freed: each block merged with its free buddy, back to one 16-page block. Your turn: press : and type p = alloc_pages(1)")
mark("freed")
-- At the command line (:), any Lua runs: p = alloc_pages(1), free_pages(p),
-- zone("DMA").free; and commands: info buddy, break split, goto allocated,
-- help.  Next: 01-buddy-basics.lua, 02-fragmentation, 03-zones,
-- 04-watermarks.
