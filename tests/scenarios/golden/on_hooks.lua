-- on(kind, fn) calls fn with each event of that kind as a table of fields;
-- several hooks for one kind run in the order they were added.
title("on() hooks")
machine{memory = "1M", page_size = "64K"}
local splits, merges = 0, 0
on("split", function(e)
	splits = splits + 1
	print(string.format("hook: step %d op %d line %d split %s keep %d buddy %d order %d",
		e.step, e.op, e.line, e.zone, e.pfn, e.buddy, e.order))
end)
on("split", function(e) print("second split hook, step " .. e.step) end)
on("merge", function(e)
	merges = merges + 1
	print("hook: merge into order " .. e.order .. " at " .. e.pfn)
end)
on("watermark", function(e)
	print("hook: watermark", e.zone, e.wmark, e.mark, e.ok)
end)
on("fail", function(e) print("hook: fail", e.order, e.gfp, e.reason) end)
local a = alloc_pages(2)
local b = alloc_pages(0)
expect_eq(splits, 4, "4 -> 3 -> 2 for a, then 2 -> 1 -> 0 for b")
free_pages(b)
free_pages(a)
expect_eq(merges, 4, "every split merged back")
expect_eq(alloc_pages(5), nil, "order 5 does not fit in 16 frames")
