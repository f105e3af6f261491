-- expect: 2 broken/include_missing.lua:3:
-- and: cannot read broken/inc/no-such-file.lua
include("inc/no-such-file.lua")
