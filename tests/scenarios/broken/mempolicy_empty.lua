-- expect: 2 broken/mempolicy_empty.lua:5:
-- and: set_mempolicy: MPOL_BIND needs a non-empty set of nodes
machine{nodes = 2}
local t = process{name = "a"}
set_mempolicy(t, "MPOL_BIND", {})
