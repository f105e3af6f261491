-- expect: 2 hostile/coroutine_close.lua:6:
-- and: instruction budget of 100000000 instructions used up
-- coroutine.close runs the pending __close handlers and returns their error
-- as a value: the budget's error must go on, not be returned.
local co = coroutine.create(function()
	local x <close> = setmetatable({}, {__close = function() while true do end end})
	coroutine.yield()
end)
coroutine.resume(co)
local ok, err = coroutine.close(co)
print("caught:", ok, err)
