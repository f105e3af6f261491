-- expect: 2 broken/madvise_mergeable_nothing.lua:4:
-- and: madvise: 0x20000000 is not mapped (the range must be mapped throughout: ENOMEM)
local p = process{name = "p"}
madvise(p, 0x20000000, "4K", "MADV_MERGEABLE")
