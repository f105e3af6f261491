-- expect: 2 hostile/recursion_metamethod.lua:
-- and: stack overflow
-- Recursion through a C boundary (an __index function) on every level.
local t = setmetatable({}, {__index = function(t, k) return t[k] end})
return t.x
