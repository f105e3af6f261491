-- expect: 2 hostile/require.lua:3:
-- and: 'require' is not available in a scenario (sandbox)
local io = require("io")
