-- expect: 2 hostile/dofile.lua:3:
-- and: 'dofile' is not available in a scenario (sandbox)
dofile("/etc/passwd")
