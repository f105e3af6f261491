-- expect: 2 hostile/hook_loop.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- An endless loop inside an on() hook.
on("split", function(e)
	while true do end
end)
alloc_pages(0)
