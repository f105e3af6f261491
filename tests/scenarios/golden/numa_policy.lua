-- Three nodes with a SLIT: zonelists, a task's faults under each policy,
-- zoneinfo's and numastat's NUMA counters.
machine{arch = "x86_64", memory = "48M", nodes = 3, cpus = 3, distance = {{10, 20, 30}, {20, 10, 20}, {30, 20, 10}}}
local t = process{name = "p"}
set_task_cpu(t, 2)
local a = mmap(t, {len = "32K", prot = "rw"})
access(t, a, "w")
set_mempolicy(t, "MPOL_INTERLEAVE", {0, 1, 2})
for i = 1, 3 do access(t, a + i * 4096, "w") end
set_mempolicy(t, "MPOL_BIND", {0, 1})
access(t, a + 4 * 4096, "w")
mbind(t, a + 5 * 4096, 4096, "MPOL_PREFERRED", {0})
access(t, a + 5 * 4096, "w")
set_mempolicy(t, "MPOL_LOCAL")
access(t, a + 6 * 4096, "w")
alloc_pages_node(1, 0)
print(table.concat(zonelist(0), " "))
print(table.concat(zonelist(2), " "))
print(proc("node0/numastat"))
print(proc("node2/numastat"))
print(proc("zoneinfo"))
