-- expect: 2 hostile/memory_rep.lua:
-- and: Lua memory cap of 64 MiB reached
-- One request far above the cap (1 GiB).
local s = string.rep("x", 1 << 30)
