-- expect: 2 hostile/gc_finalizer_loop.lua:
-- (ends with an error however the sandbox stops it: a budget error, or
-- refusing a __gc metamethod)
-- An endless loop in a __gc finalizer, run when the collector frees the
-- object (here: at the latest when the scenario ends).
setmetatable({}, {__gc = function() while true do end end})
local t = {}
for i = 1, 200000 do t[i % 100] = {i} end
