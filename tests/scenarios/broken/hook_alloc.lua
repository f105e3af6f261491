-- expect: 2 broken/hook_alloc.lua:6:
-- and: alloc_pages cannot be called from an on() hook
-- A hook watches the allocator; it may not start another operation.
machine{memory = "1M", page_size = "64K"}
on("done", function(e)
	alloc_pages(0)
end)
alloc_pages(0)
