-- machine{slab="slub"} is the default made explicit: the same kmalloc
-- caches, the same paths, the same addresses as a machine without it.
machine{memory = "16M"}
local a = kmalloc(100)
local addr_default, cache_default = a.addr, a.cache
machine{memory = "16M", slab = "slub"}
local b = kmalloc(100)
expect_eq(b.cache, "kmalloc-128", "kmalloc(100) under slab=\"slub\"")
expect_eq(b.cache, cache_default, "the default allocator is SLUB")
expect_eq(b.addr, addr_default, "the same first object")
expect(proc("slabinfo"):find("kmalloc%-128 ") ~= nil, "SLUB's /proc/slabinfo lists the kmalloc caches")
kfree(b)
expect_eq(kmem_cache("kmalloc-128").active_objs, 0, "kfree through the table")
