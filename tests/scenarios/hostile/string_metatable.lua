-- expect: 2 hostile/string_metatable.lua:5:
-- and: 'string.dump' is not available in a scenario (sandbox)
-- The strings' metatable leads to the string table, whose dump is replaced.
local index = getmetatable("").__index
local chunk = index.dump(print)
