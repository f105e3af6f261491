-- expect: 2 hostile/gc_finalizer_loop.lua:7:
-- and: __gc metamethods are not available in a scenario (sandbox)
-- The sandbox refuses the __gc field when setmetatable is called, so the
-- finalizer never exists.
-- An endless loop in a __gc finalizer, run when the collector frees the
-- object (here: at the latest when the scenario ends).
setmetatable({}, {__gc = function() while true do end end})
local t = {}
for i = 1, 200000 do t[i % 100] = {i} end
