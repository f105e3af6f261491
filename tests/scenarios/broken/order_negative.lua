-- expect: 2 broken/order_negative.lua:3:
-- and: order -1 is out of range
alloc_pages(-1)
