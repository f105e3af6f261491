-- expect: 2 broken/use_after_free.lua:8:
-- and: map: use after free: page 0x1000 was freed at step 13
-- A freed page's handle may still be read (p.pfn), but using it as live
-- memory, here mapping it, is an error that names the step that freed it.
local p = alloc_pages(2)
free_pages(p)
local mm = mm_alloc()
map(mm, 0x400000, p, "rw")
