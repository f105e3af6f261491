-- expect: 2 hostile/loadfile.lua:3:
-- and: 'loadfile' is not available in a scenario (sandbox)
local f = loadfile("/etc/passwd")
