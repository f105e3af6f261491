-- expect: 2 broken/double_free.lua:6:
-- and: double free
local p = alloc_pages(0)
local q = alloc_pages(0)
free_pages(p)
free_pages(p)
