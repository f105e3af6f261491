-- expect: 2 broken/slab_double_free.lua:7:
-- and: kmem_cache_free: double free: object 0xffff888
-- and: of cache inode was freed at step
local c = kmem_cache_create("inode", 600)
local o = kmem_cache_alloc(c)
kmem_cache_free(c, o)
kmem_cache_free(c, o)
