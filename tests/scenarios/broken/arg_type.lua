-- expect: 2 broken/arg_type.lua:4:
-- and: alloc_pages: order must be a whole number, not string
machine{memory = "1M", page_size = "64K"}
alloc_pages("x")
