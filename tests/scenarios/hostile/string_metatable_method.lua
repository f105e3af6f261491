-- expect: 2 hostile/string_metatable_method.lua:6:
-- and: 'string.dump' is not available in a scenario (sandbox)
-- Rewiring the strings' metatable reaches nothing the sandbox removed.
getmetatable("").__index = function(s, k) return string[k] or rawget(_G, k) end
local f = ("x").dump
f(function() end)
