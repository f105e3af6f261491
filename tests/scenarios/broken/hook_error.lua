-- expect: 2 broken/hook_error.lua:6:
-- and: in on("split") hook
-- An error inside a hook names the hook's line (6) and the operation's (8).
machine{memory = "1M", page_size = "64K"}
on("split", function(e)
	print(e.pfn + e.no_such_field)
end)
alloc_pages(0)
print("not reached")
