-- expect: 2 hostile/pattern_gmatch_backtrack.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- The same inside gmatch's iterator and gsub.
local s = string.rep("a", 30)
for w in s:gmatch(string.rep("a-", 30) .. "b") do print(w) end
