-- expect: 2 broken/stale_handle.lua:6:
-- and: machine{} replaced
-- A handle from before machine{} refers to a machine that is gone.
local p = alloc_pages(0)
machine{memory = "1M", page_size = "64K"}
print(p.order)
