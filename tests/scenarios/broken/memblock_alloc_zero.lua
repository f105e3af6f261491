-- expect: 2 broken/memblock_alloc_zero.lua:4:
-- and: memblock_alloc: a size of 0
machine{boot = true}
memblock_alloc(0)
