-- expect: 2 hostile/coroutine_loop.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- A coroutine inherits the budget of the thread that made it.
local co = coroutine.wrap(function()
	while true do end
end)
co()
