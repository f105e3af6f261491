-- expect: 2 broken/compact_order.lua:4:
-- and: compact: order 11 is out of range: -1 (compact fully) or 0..10
machine{memory = "256K", min_free_kbytes = 0}
compact("DMA", 11)
