-- expect: 2 broken/swapon_size0.lua:3:
-- and: swapon: size 0 bytes is 0 page(s): an area needs its header page
swapon{size = 0}
