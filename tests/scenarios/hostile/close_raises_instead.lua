-- expect: 2 hostile/close_raises_instead.lua:7:
-- and: instruction budget of 100000000 instructions used up
-- __close replaces the budget's error by one of its own: still final.
while true do
	pcall(function()
		local x <close> = setmetatable({}, {__close = function() error("caught, go on") end})
		while true do end
	end)
end
