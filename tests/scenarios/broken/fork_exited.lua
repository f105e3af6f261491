-- expect: 2 broken/fork_exited.lua:5:
-- and: has exited
local p = process{name = "p"}
exit(p)
fork(p)
