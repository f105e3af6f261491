-- expect: 2 hostile/debug_sethook.lua:4:
-- and: 'debug' is not available in a scenario (sandbox)
-- Removing the instruction budget's hook would allow an endless loop.
debug.sethook()
while true do end
