-- expect: 2 hostile/xpcall_handler_loop.lua:6:
-- and: instruction budget of 100000000 instructions used up
-- xpcall's handler runs inside the error, where hooks are off: after the
-- budget's error it must not run at all.
xpcall(function()
	while true do end
end, function()
	while true do end
end)
