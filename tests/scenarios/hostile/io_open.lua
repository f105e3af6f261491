-- expect: 2 hostile/io_open.lua:3:
-- and: 'io' is not available in a scenario (sandbox)
local f = io.open("/etc/passwd")
print(f:read("a"))
