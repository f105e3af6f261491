-- expect: 2 broken/alloc_during_boot.lua:5:
-- and: the buddy allocator has no memory yet: memblock owns it until memblock_free_all()
machine{boot = true}
memblock_reserve("1M", "1M")
alloc_pages(0)
