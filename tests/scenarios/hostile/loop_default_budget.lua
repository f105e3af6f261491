-- expect: 2 hostile/loop_default_budget.lua:4:
-- and: instruction budget of 2000000000 instructions used up
-- Run with the default budget: it must end by itself (about 5 s).
while true do end
