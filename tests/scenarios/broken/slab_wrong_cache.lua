-- expect: 2 broken/slab_wrong_cache.lua:6:
-- and: belongs to cache alpha, not to cache beta
local a = kmem_cache_create("alpha", 64)
local b = kmem_cache_create("beta", 64)
local o = kmem_cache_alloc(a)
kmem_cache_free(b, o)
