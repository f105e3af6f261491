-- expect: 2 hostile/set_hook.lua:5:
-- and: 'debug' is not available in a scenario (sandbox)
-- Reaching debug through _G or _ENV is no way around it either.
local g = _G
local dbg = g.debug or _ENV["debug"]
dbg.sethook(function() end, "c")
