-- Every SLUB step in order: a cache with two objects per slab and
-- min_partial 0 on a toy machine of 1K pages; new slab, full, partial,
-- refill from partial, empty slab discarded; kmalloc classes and a large
-- kmalloc; slabinfo before and after destroy.
title("slab paths")
machine{memory = "64K", page_size = "1K", max_order = 4, min_free_kbytes = 0}
local c = kmem_cache_create("pair", 3000, {min_partial = 0})
local a = kmem_cache_alloc(c)
local b = kmem_cache_alloc(c)
local d = kmem_cache_alloc(c)
kmem_cache_free(c, a)
local e = kmem_cache_alloc(c)
local f = kmem_cache_alloc(c)
kmem_cache_free(c, b)
kmem_cache_free(c, e)
print(proc("slabinfo"))
kmem_cache_free(c, d)
kmem_cache_free(c, f)
kmem_cache_destroy(c)
local k = kmalloc(100)
local big = kmalloc(3000)
kfree(k)
kfree(big)
print(proc("slabinfo"))
print(proc("meminfo"))
