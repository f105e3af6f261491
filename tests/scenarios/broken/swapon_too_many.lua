-- expect: 2 broken/swapon_too_many.lua:4:
-- and: swapon: all 25 swap types are in use (MAX_SWAPFILES)
for i = 1, 25 do swapon{size = "8K"} end
swapon{size = "8K"}
