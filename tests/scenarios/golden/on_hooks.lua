-- on(kind, fn) calls fn with each event of that kind as a table of fields;
-- several hooks for one kind run in the order they were added.
title("on() hooks")
machine{memory = "1M", page_size = "64K"}
local splits, merges, order, fails = {}, {}, {}, {}
on("split", function(e)
	splits[#splits + 1] = string.format("%d/%d/%d", e.pfn, e.buddy, e.order)
	order[#order + 1] = "first@" .. e.step
	print(string.format("hook: step %d op %d line %d split %s keep %d buddy %d order %d",
		e.step, e.op, e.line, e.zone, e.pfn, e.buddy, e.order))
end)
on("split", function(e)
	order[#order + 1] = "second@" .. e.step
	print("second split hook, step " .. e.step)
end)
on("merge", function(e)
	merges[#merges + 1] = string.format("%d/%d", e.pfn, e.order)
	print("hook: merge into order " .. e.order .. " at " .. e.pfn)
end)
on("watermark", function(e)
	print("hook: watermark", e.zone, e.wmark, e.mark, e.ok)
end)
on("fail", function(e)
	fails[#fails + 1] = e.order .. " " .. e.reason
	print("hook: fail", e.order, e.gfp, e.reason)
end)
local a = alloc_pages(2)
local b = alloc_pages(0)
-- a: 0 (order 4) keeps 0 and frees 8 (order 3), then 4 (order 2); b finds
-- orders 0 and 1 empty and splits 4, keeping 4: 6 (order 1), 5 (order 0).
-- Fields are (kept pfn, buddy, order of the halves); steps 4, 5 and 10, 11.
expect_eq(table.concat(splits, " "), "0/8/3 0/4/2 4/6/1 4/5/0", "4 -> 3 -> 2 for a, then 2 -> 1 -> 0 for b")
expect_eq(table.concat(order, " "), "first@4 second@4 first@5 second@5 first@10 second@10 first@11 second@11",
	"both split hooks run for each split, in the order they were added")
expect_eq(b.pfn, 4, "b is the kept half of 4")
free_pages(b)
free_pages(a)
-- b (4) merges with 5 and 6; a (0, order 2) then with 4 and 8
expect_eq(table.concat(merges, " "), "4/1 4/2 0/3 0/4", "every split merged back")
-- order 5 is a valid order, but 16 free less 2^5 - 1 is below any mark
expect_eq(alloc_pages(5), nil, "order 5 does not fit in 16 frames")
expect_eq(table.concat(fails, " "), "5 watermark", "the fail hook sees the order and the reason")
