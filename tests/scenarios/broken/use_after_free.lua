-- expect: 2 broken/use_after_free.lua:6:
-- and: use after free
-- Reading a field of a freed page's handle is an error, not a stale value.
local p = alloc_pages(2)
free_pages(p)
print(p.pfn)
