-- expect: 2 broken/munmap_nothing.lua:4:
-- and: nothing is mapped
local p = process{name = "p"}
munmap(p, 0x20000000, "4K")
