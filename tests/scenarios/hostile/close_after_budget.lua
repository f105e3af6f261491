-- expect: 2 hostile/close_after_budget.lua:8:
-- and: instruction budget of 100000000 instructions used up
-- A to-be-closed variable's __close runs when pcall unwinds the budget's
-- error: an endless one must end too, and the error it raises instead must
-- not let pcall catch the budget's.
pcall(function()
	local x <close> = setmetatable({}, {__close = function() while true do end end})
	while true do end
end)
print("not reached")
