-- expect: 2 hostile/error_object.lua:4:
-- and: (error object is a table value)
-- An error that is not a string still ends the run with file:line.
error(setmetatable({}, {__tostring = function() while true do end end}))
