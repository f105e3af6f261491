-- expect: 2 broken/free_wrong_order.lua:4:
-- and: order mismatch
local p = alloc_pages(2)
__free_pages(p, 1)
