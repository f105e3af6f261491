-- expect: 2 broken/syntax.lua:5:
-- and: unexpected symbol
-- A syntax error is reported before anything runs, with its line.
machine{memory = "1M", page_size = "64K"}
local p = = alloc_pages(0)
