-- The buddy allocator's placement rules (mm/page_alloc.c), on free lists
-- that hold several blocks, so that head, tail and "which block" matter:
-- - __rmqueue_smallest takes the first block (the head) of the smallest
--   order that has one;
-- - expand() keeps the lower half of a split block, and the upper halves
--   go on the (then empty) lists of the orders below;
-- - __free_one_page merges with the buddy while it is free at the same
--   order, then puts the block at the tail when buddy_merge_likely (the
--   buddy of the block it would form is free at the next order), else at
--   the head, so a block that may soon merge is used last.
machine{arch = "x86_64", memory = "4M", min_free_kbytes = 0}
local function pfns(list)
	local s = {}
	for i, p in ipairs(list) do s[i] = string.format("%d", p.pfn) end
	return table.concat(s, " ")
end
local function take(n, order)
	local got = {}
	for i = 1, n do got[i] = alloc_pages(order) end
	return got
end
local sides = {}
on("put", function(e) sides[#sides + 1] = e.pfn .. ":" .. e.side end)
local function puts()
	local s = table.concat(sides, " ")
	sides = {}
	return s
end

-- One order-10 block 0: the first request splits it down keeping 0; each
-- later one takes the head of the smallest list, so frames go out in order.
local pages = take(16, 0)
expect_eq(pfns(pages), "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", "16 frames in address order")

-- Free 2, 6 and 10: each pair's order-1 buddy (0, 4, 8) is in use, so no
-- merge is likely and each goes to the head: the list is 10, 6, 2.
free_pages(pages[3]); free_pages(pages[7]); free_pages(pages[11])
expect_eq(puts(), "2:head 6:head 10:head", "no merge likely: head")
local r = alloc_pages(0)
expect_eq(r.pfn, 10, "the head of a three-block list is the block freed last")
free_pages(r)
-- r goes back to the head.  14 then 15: 15 merges with 14 into an order-1 block (its order-2 buddy 12
-- is in use: head).  Then 12: its buddy 13 is in use, but the pair 12-13
-- would have the free order-1 buddy 14: a merge is likely, so the tail.
free_pages(pages[15]); free_pages(pages[16])
free_pages(pages[13])
expect_eq(puts(), "10:head 14:head 14:head 12:tail", "10 back at the head; 14, then 14-15, head; 12 tail")
-- the order-0 list is 10, 6, 2, 12: four requests take them in that order
expect_eq(pfns(take(4, 0)), "10 6 2 12", "head first; the tail block last")

-- Free 5, then 4: 4 merges with 5 (order 1); its order-2 buddy 0 is in
-- use: head.  The order-1 list is 4, 14.
free_pages(pages[6]); free_pages(pages[5])
expect_eq(puts(), "5:head 4:head", "5 alone, then 4-5 at the head")
local o1 = take(2, 1)
expect_eq(pfns(o1), "4 14", "order 1: the head, then the next")
-- Orders 1 to 3 are now empty: order 4's block 16 splits, keeping 16; its
-- upper halves 24 (order 3), 20 (order 2), 18 (order 1) go free.
local s = take(2, 1)
expect_eq(pfns(s), "16 18", "the lower half is kept; the next request gets the upper order-1 half")
expect_eq(zone("DMA").nr_free[2], 1, "20 waits at order 2")
expect_eq(zone("DMA").nr_free[3], 1, "24 waits at order 3")
-- Free 16: 18 is in use; the pair 16-19 would have the free order-2 buddy
-- 20: tail.  Free 18: it merges with 16, 20 and 24 into 16 (order 4); its
-- order-4 buddy 0 is in use, and the block 0-31 would have the free order-5
-- buddy 32: tail again.
free_pages(s[1]); free_pages(s[2])
expect_eq(puts(), "16:tail 16:tail", "both frees expect a merge")
expect_eq(zone("DMA").nr_free[4], 1, "16 is an order-4 block again")
