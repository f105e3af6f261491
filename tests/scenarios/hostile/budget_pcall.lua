-- expect: 2 hostile/budget_pcall.lua:
-- and: instruction budget of 100000000 instructions used up
-- Catching the budget's error and looping again must not buy more time.
while true do
	pcall(function() while true do end end)
end
