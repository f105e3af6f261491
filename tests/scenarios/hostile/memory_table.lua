-- expect: 2 hostile/memory_table.lua:
-- and: Lua memory cap of 64 MiB reached
local t, i = {}, 0
while true do
	i = i + 1
	t[i] = {i, tostring(i)}
end
