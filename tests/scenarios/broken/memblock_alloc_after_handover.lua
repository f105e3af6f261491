-- expect: 2 broken/memblock_alloc_after_handover.lua:6:
-- and: memblock_alloc: memblock_free_all has run: the buddy allocator owns memory now
machine{memory_map = {{0, "640K", "usable"}, {"1M", "15M", "usable"}}, boot = true}
memblock_alloc("4K")
memblock_free_all()
memblock_alloc("4K")
