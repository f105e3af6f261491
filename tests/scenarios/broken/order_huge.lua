-- expect: 2 broken/order_huge.lua:4:
-- and: order 99 is out of range
-- The message names the order the scenario asked for.
alloc_pages(99)
