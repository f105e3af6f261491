-- expect: 2 broken/kfree_bad.lua:5:
-- and: kfree: 0x
-- and: is inside object 0x
local o = kmalloc(100)
kfree(o.addr + 16)
