-- expect: 2 broken/mmap_bad_prot.lua:4:
-- and: 'q' is not one of r, w, x
local p = process{name = "p"}
mmap(p, {len = "4K", prot = "rq"})
