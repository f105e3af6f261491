-- expect: 2 broken/madvise_bad_advice.lua:5:
-- and: madvise: unknown advice "MADV_SWAPOUT" (the model has MADV_PAGEOUT, MADV_MERGEABLE, MADV_UNMERGEABLE)
local p = process{name = "p"}
local a = mmap(p, {len = "8K"})
madvise(p, a, "8K", "MADV_SWAPOUT")
