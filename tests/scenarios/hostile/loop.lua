-- expect: 2 hostile/loop.lua:3:
-- and: instruction budget of 100000000 instructions used up
while true do end
