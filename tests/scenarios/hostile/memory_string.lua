-- expect: 2 hostile/memory_string.lua:
-- and: Lua memory cap of 64 MiB reached
local s = "x"
while true do s = s .. s end
