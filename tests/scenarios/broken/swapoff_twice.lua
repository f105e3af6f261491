-- expect: 2 broken/swapoff_twice.lua:5:
-- and: swapoff: swap area 0 is not swapped on
local a = swapon{size = "64K"}
swapoff(a)
swapoff(a)
