-- expect: 2 hostile/pattern_backtrack.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- Backtracking in C: 40 greedy repetitions that can never match.  Lua's own
-- matcher would run for ages without one VM instruction.
local i = string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")
