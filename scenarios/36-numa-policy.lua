-- 36-numa-policy.lua: where a task's pages go on a NUMA machine, and who decides.
--
-- Teaches: each node has its own memory; the firmware's SLIT says how far
-- apart nodes are, and build_zonelists orders every node's fallback by
-- that distance.  A fault allocates on the node of the CPU the task runs
-- on (MPOL_LOCAL, the default) unless a memory policy says otherwise:
-- MPOL_BIND restricts it to a set of nodes, MPOL_PREFERRED tries one node
-- first, MPOL_INTERLEAVE spreads pages round the set by their index in
-- the mapping.  The kernel counts each allocation as numa_hit or
-- numa_miss (and numa_foreign on the node it missed), local_node or
-- other_node: /sys/devices/system/node/nodeN/numastat.  The model follows
-- mm/mempolicy.c and build_zonelists of Linux 6.18 (src/mm/numa.c, mempolicy.c).

machine{arch = "x86_64", memory = "64M", nodes = 4, cpus = 4,
	distance = {{10, 20, 30, 40}, {20, 10, 20, 30}, {30, 20, 10, 20}, {40, 30, 20, 10}}}
title("NUMA: distances, zonelists and memory policies")

local t = process{name = "worker"}
set_task_cpu(t, 1)

expect_eq(node_distance(1, 3), 30, "the SLIT: node 1 to node 3")
expect_eq(proc("node1/distance"), "20 10 20 30\n", "as sysfs prints it")
local z2 = zonelist(2)
expect_eq(z2[1], "node2/DMA32", "the local node first")
expect_eq(z2[2], "node3/DMA32", "node 3 is at 20")
say("Four nodes in a row, each 20 from its neighbours. Node 2's zonelist: itself, then node 3 or node 1, both at distance 20. Which first?")
pause()

expect_eq(numa_node_id(1), 1, "cpu 1 is on node 1")
local a = mmap(t, {len = "64K", prot = "rw"})
local nodes = {}
on("mpol_alloc", function(e) nodes[#nodes + 1] = e.node end)
access(t, a, "w")
expect_eq(nodes[1], 1, "the default policy: the local node")
expect_eq(z2[3], "node1/DMA32", "then node 1")
expect_eq(z2[4], "node0/DMA", "then node 0, at 30")
say("Node 3: a node below the local one costs one more. The task on cpu 1 faulted a page on node 1, its own. Interleaving over 0, 1, 3: where next?")
pause()

set_mempolicy(t, "MPOL_INTERLEAVE", {0, 1, 3})
nodes = {}
for i = 1, 6 do access(t, a + i * 4096, "w") end
local first = (a // 4096 + 1) % 3
local set = {0, 1, 3}
for i = 1, 6 do expect_eq(nodes[i], set[(first + i - 1) % 3 + 1], "page " .. i .. " by its index") end
expect(proc("node3/numastat"):find("interleave_hit 2"), "two pages landed where interleave sent them")
say("Round the set by page index: each page's index in the mapping picks its node, so the pattern repeats 0, 1, 3. Binding to {2, 3} instead?")
pause()

set_mempolicy(t, "MPOL_BIND", {2, 3})
nodes = {}
access(t, a + 8 * 4096, "w")
expect_eq(nodes[1], 2, "node 1's zonelist (1 2 0 3) filtered to {2, 3}: node 2")
mbind(t, a + 12 * 4096, 4 * 4096, "MPOL_PREFERRED", {0})
access(t, a + 12 * 4096, "w")
expect_eq(nodes[2], 0, "the mbind range prefers node 0")
expect_eq(mempolicy(t, a + 12 * 4096).mode, "MPOL_PREFERRED", "the range's policy wins there")
local stat = proc("node1/numastat")
expect(stat:find("numa_hit 3\n"), "node 1: three pages, each asked for there")
expect(stat:find("local_node 3\n"), "all from a CPU of node 1")
say("Bound to {2, 3}, node 1's zonelist gives node 2 first; the mbind range prefers node 0. numastat counts every page where it was asked and landed.")
