-- 16-numa-zonelist.lua: where a page comes from on a machine of two nodes.
--
-- Teaches: each node has its own zones; an allocation walks a zonelist that
-- lists every zone of the local node first (highest first), then the other
-- nodes' (build_zonelists with node ordering, the only order since Linux
-- 4.14 removed numa_zonelist_order's zone ordering); so a local lower zone
-- is preferred to a remote Normal zone, and a remote node is used only when
-- every local zone fails its watermark check.  With two nodes the order
-- is the same whatever the distances (36-numa-policy shows a SLIT).

-- A small machine with the shape of a big one: the zones are laid out as
-- an 8G x86_64 machine would have them (node 0 below 4G, node 1 above),
-- scaled down so that every step stays quick to check.
machine{arch = "x86_64", memory = "64M", nodes = 2, zones = {DMA = "16M", DMA32 = "16M", Normal = "32M"}}
title("NUMA: a zonelist per node")

local walked = {}
on("fallback", function(e) walked[#walked + 1] = e.from .. " > " .. e.to end)

local function zone_of(p) return "node" .. p.node .. "/" .. p.zone end

expect_eq(zone("DMA32", 0).present + zone("DMA", 0).present, 8192, "node 0: the lower half, DMA and DMA32")
expect_eq(zone("Normal", 1).present, 8192, "node 1: the upper half, all Normal")
expect_eq(zone("Normal", 0).present, 0, "node 0 has no Normal memory")
say("Two nodes of 32M: node 0 holds DMA and DMA32 (as below 4G), node 1 only Normal. A GFP_KERNEL page asked on node 1: which zone?")
pause()

local p = alloc_pages{order = 0, node = 1}
expect_eq(zone_of(p), "node1/Normal", "the local node's highest zone")
say("node1/Normal: the local node's highest allowed zone. Asked on node 0, whose Normal is empty: node 1's Normal, or node 0's DMA32?")
pause()

local q = alloc_pages{order = 0, node = 0}
expect_eq(zone_of(q), "node0/DMA32", "every local zone comes before any remote one")
-- Fill node 1's Normal down to its low watermark, in the largest blocks
-- that fit, so that its next fast-path check fails.
local function drain(node, name, target)
	local z = zone(name, node)
	while z.free > target do
		local o = 10
		while (1 << o) > z.free - target do o = o - 1 end
		local b = alloc_pages{order = o, node = node}
		expect(b and b.node == node and b.zone == name, "drain: a block of node" .. node .. "/" .. name)
		z = zone(name, node)
	end
end
say("node0/DMA32: the local node first, even a lower zone. Node 1 is filled to its low mark next: where will its next page come from?")
pause()

drain(1, "Normal", zone("Normal", 1).low)
walked = {}
local r = alloc_pages{order = 0, node = 1}
expect_eq(zone_of(r), "node0/DMA32", "node 1 failed its check: on to node 0")
expect_eq(walked[1], "node1/Normal > node0/DMA32", "one fallback, across the nodes")
-- zone_statistics counts such a page as numa_miss on node 0 (and
-- numa_foreign on node 1): the page is not on the node that was preferred.
say("node0/DMA32: node 1's Normal failed the fast path's low check, so the zonelist went on to node 0 (the kernel counts it as numa_miss).")
