-- expect: 2 broken/inc/bad_include.lua:3:
-- and: attempt to call a nil value
-- An error in an included file names that file and its line.
include("inc/bad_include.lua")
