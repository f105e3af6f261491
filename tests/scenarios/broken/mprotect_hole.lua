-- expect: 2 broken/mprotect_hole.lua:5:
-- and: has a hole
local p = process{name = "p"}
local a = mmap(p, {len = "4K"})
mprotect(p, a - 4096, "8K", "r")
