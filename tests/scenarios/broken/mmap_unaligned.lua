-- expect: 2 broken/mmap_unaligned.lua:4:
-- and: not page-aligned
local p = process{name = "p"}
mmap(p, {len = "4K", addr = 0x10000001, flags = "MAP_PRIVATE|MAP_FIXED"})
