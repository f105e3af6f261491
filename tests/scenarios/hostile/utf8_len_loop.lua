-- expect: 2 hostile/utf8_len_loop.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- utf8.len scans its whole string in C.
local s = string.rep("x", 16 << 20)
while true do utf8.len(s) end
