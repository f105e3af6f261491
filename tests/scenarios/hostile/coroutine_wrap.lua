-- expect: 2 hostile/coroutine_wrap.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- coroutine.wrap passes errors on; pcall around it must not catch the budget.
while true do
	local f = coroutine.wrap(function() while true do end end)
	pcall(f)
end
