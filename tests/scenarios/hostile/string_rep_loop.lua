-- expect: 2 hostile/string_rep_loop.lua:4:
-- and: instruction budget of 100000000 instructions used up
-- string.rep making 256 KiB each time, below the memory cap.
while true do local s = string.rep("ab", 128 << 10) end
