-- expect: 2 broken/slab_use_after_free.lua:6:
-- and: use after free: object 0xffff888
-- and: of cache kmalloc-64 was freed at step
local o = kmalloc(40)
kfree(o)
print(o.addr)
