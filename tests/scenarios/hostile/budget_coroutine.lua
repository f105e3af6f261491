-- expect: 2 hostile/budget_coroutine.lua:
-- and: instruction budget of 100000000 instructions used up
-- coroutine.resume catches errors too: it must not buy more time either.
while true do
	coroutine.resume(coroutine.create(function() while true do end end))
end
