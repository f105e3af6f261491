-- expect: 2 hostile/table_sort_loop.lua:
-- and: instruction budget of 100000000 instructions used up
-- Sorting a big table again and again: C work, one instruction per call.
local t = {}
for i = 1, 200000 do t[i] = i end
while true do table.sort(t) end
