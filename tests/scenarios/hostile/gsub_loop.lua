-- expect: 2 hostile/gsub_loop.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- gsub over a long string: one call, a million matches.
local s = string.rep("x", 1000000)
while true do local n = select(2, s:gsub("y", "z")) end
