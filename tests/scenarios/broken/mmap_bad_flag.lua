-- expect: 2 broken/mmap_bad_flag.lua:4:
-- and: mmap: unknown flag 'MAP_SHRED' (flags: MAP_PRIVATE, MAP_SHARED
local p = process{name = "p"}
mmap(p, {len = "4K", prot = "rw", flags = "MAP_SHRED|MAP_ANONYMOUS"})
