-- expect: 2 hostile/string_format_loop.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- string.format copying a big string, again and again.
local s = string.rep("x", 256 << 10)
while true do local t = string.format("%s%s", s, "y") end
