-- expect: 2 broken/order_out_of_range.lua:4:
-- and: order 11 is out of range: this machine has orders 0..10
-- max_order counts orders: the default 11 means orders 0..10.
alloc_pages(11)
