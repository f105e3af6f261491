-- expect: 2 broken/bad_size.lua:3:
-- and: bad size "1.5M"
machine{memory = "1.5M"}
