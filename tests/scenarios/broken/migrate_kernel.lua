-- expect: 2 broken/migrate_kernel.lua:5:
-- and: migrate: frame 0x0 cannot move: it is a kernel allocation: the kernel holds its physical address
machine{memory = "256K", min_free_kbytes = 0}
local p = alloc_pages(0)
migrate(p, 0)
