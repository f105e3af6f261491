-- expect: 2 broken/machine_slab_unknown.lua:3:
-- and: machine: slab must be "slub", "slab" or "slob" (the allocator behind kmalloc), not slab_alloc
machine{memory = "16M", slab = "slab_alloc"}
