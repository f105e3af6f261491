-- expect: 2 hostile/string_concat_loop.lua:6:
-- and: instruction budget of 100000000 instructions used up
-- One concatenation is one instruction, however long its result: the
-- memory it makes is charged.
local s = string.rep("x", 256 << 10)
while true do local t = s .. "y" end
