-- expect: 2 hostile/loadlib.lua:3:
-- and: 'package' is not available in a scenario (sandbox)
local system = package.loadlib("libc.so.6", "system")
system("touch /tmp/memstep-sandbox-escaped")
