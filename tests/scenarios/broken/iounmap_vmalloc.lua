-- expect: 2 broken/iounmap_vmalloc.lua:4:
-- and: is a vmalloc area, not an ioremap mapping: vfree it
local a = vmalloc("8K")
iounmap(a.addr)
