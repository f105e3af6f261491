-- Two nodes of 32 MiB each.  A request names its local node; the zonelist
-- tries every zone of that node first, then the other node.
title("NUMA: two nodes")
machine{arch = "x86_64", memory = "64M", nodes = 2}
for _, z in ipairs(zones()) do
	if z.present > 0 then print(z.node, z.name, z.start_pfn, z.present, z.min, z.low) end
end
local p = alloc_pages{order = 3, node = 1}
expect_eq(p.node, 1, "node 1 asked for")
expect_eq(p.zone, "DMA32", "node 1 has only DMA32")
local q = alloc_pages(0)
expect_eq(q.node, 0, "default: node 0")
free_pages(p)
say("fill node 1 to below its low watermark")
for i = 1, 7 do alloc_pages{order = 10, node = 1} end
p = alloc_pages{order = 10, node = 1}
expect_eq(p.node, 0, "node 1 cannot serve: fall back to node 0")
expect_eq(p.zone, "DMA32", "node 0's highest zone first")
print(proc("buddyinfo"))
print(proc("zoneinfo"))
