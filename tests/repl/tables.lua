-- Two address spaces with a mapping each, for `info pgtable`.
machine{memory = "16M"}
local a, b = mm_alloc(), mm_alloc()
map(a, 0x400000, alloc_pages(0), "rx")
map(b, 0x7f0000000000, alloc_pages(0), "rwu")
