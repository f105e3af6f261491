-- expect: 2 broken/mempolicy_no_node.lua:6:
-- and: mbind: the node set 0x4 names a node that does not exist (nodes 0..1)
machine{nodes = 2}
local t = process{name = "a"}
local a = mmap(t, {len = "8K", prot = "rw"})
mbind(t, a, "8K", "MPOL_INTERLEAVE", {2})
