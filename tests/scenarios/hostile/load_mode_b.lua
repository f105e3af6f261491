-- expect: 2 hostile/load_mode_b.lua:5:
-- and: attempt to load a binary chunk (mode is 't')
-- Even when the caller asks for "bt", only text loads.
local f, err = load(string.char(27) .. "Lua", "=chunk", "bt")
if not f then error(err, 1) end
