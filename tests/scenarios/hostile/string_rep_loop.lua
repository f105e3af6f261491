-- expect: 2 hostile/string_rep_loop.lua:4:
-- and: instruction budget of 100000000 instructions used up
-- string.rep making 4 MiB each time, below the memory cap.
while true do local s = string.rep("ab", 2 << 20) end
