-- expect: 2 broken/vfree_bad.lua:4:
-- and: vfree: 0xffff888000001000 is not a vmalloc address
local o = vmalloc("8K")
vfree(0xffff888000001000)
