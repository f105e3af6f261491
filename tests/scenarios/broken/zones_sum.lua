-- expect: 2 broken/zones_sum.lua:4:
-- and: the zones add up to 50331648 bytes but memory is 67108864
-- 16M + 32M is not the machine's 64M.
machine{memory = "64M", zones = {DMA = "16M", DMA32 = "32M"}}
