-- expect: 2 hostile/table_concat_loop.lua:
-- and: instruction budget of 100000000 instructions used up
-- Concatenating a big table again and again.
local t = {}
for i = 1, 100000 do t[i] = "x" end
while true do local s = table.concat(t) end
