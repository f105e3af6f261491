-- expect: 2 broken/textbook_opt_norefs.lua:3:
-- and: OPT and UNOPT need the reference string
local c = replacement{policy = "OPT", frames = 3}
