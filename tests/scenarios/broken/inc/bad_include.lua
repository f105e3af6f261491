-- Included by broken/include_error.lua: line 3 calls a misspelt function.
machine{memory = "1M", page_size = "64K"}
alloc_page(0)
