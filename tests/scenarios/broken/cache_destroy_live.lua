-- expect: 2 broken/cache_destroy_live.lua:5:
-- and: kmem_cache_destroy: cache files still has 1 live object(s), 0xffff888
local c = kmem_cache_create("files", 256)
local o = kmem_cache_alloc(c)
kmem_cache_destroy(c)
