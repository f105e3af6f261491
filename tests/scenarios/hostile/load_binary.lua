-- expect: 2 hostile/load_binary.lua:6:
-- and: attempt to load a binary chunk (mode is 't')
-- A hand-made binary chunk, asking load() for mode "b": load refuses it and
-- returns nil and the reason, which this script raises.
local f, err = load("\27Lua\84\0\25\147\13\10\26\10\4\8\8", "=chunk", "b")
assert(f, err)
