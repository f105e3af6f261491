-- Two nodes of 32 MiB each.  A request names its local node; the zonelist
-- tries every zone of that node first, then the other node.
title("NUMA: two nodes")
machine{arch = "x86_64", memory = "64M", nodes = 2}
for _, z in ipairs(zones()) do
	if z.present > 0 then print(z.node, z.name, z.start_pfn, z.present, z.min, z.low) end
end
-- 256 pages of min_free_kbytes shared by managed pages (16384 in all):
-- node 1's DMA32 (8192 pages) gets 128, low 128 + 32 = 160.
local n1 = zone("DMA32", 1)
expect_eq(n1.start_pfn, 0x2000, "node 1 starts at 32 MiB")
expect_eq(n1.min, 128, "node 1 DMA32 min")
expect_eq(n1.low, 160, "node 1 DMA32 low")
local p = alloc_pages{order = 3, node = 1}
expect_eq(p.node, 1, "node 1 asked for")
expect_eq(p.zone, "DMA32", "node 1 has only DMA32")
expect_eq(p.pfn, 0x2000, "node 1's lowest order-10 block splits, keeping its lower half")
local q = alloc_pages(0)
expect_eq(q.node, 0, "default: node 0")
-- the zonelist of node 0 starts at its highest zone the gfp allows
expect_eq(q.zone, "DMA32", "node 0's DMA32 before its DMA")
expect_eq(q.pfn, 0x1000, "DMA32 of node 0 starts at 16 MiB")
-- p merges back into the order-10 block 0x2000; no higher order exists to
-- merge into, so it goes to the head, before the other seven blocks.
free_pages(p)
expect_eq(zone("DMA32", 1).nr_free[10], 8, "node 1 is eight order-10 blocks again")
say("fill node 1 to below its low watermark")
local got = {}
for i = 1, 7 do got[i] = string.format("%x", alloc_pages{order = 10, node = 1}.pfn) end
expect_eq(table.concat(got, " "), "2000 2400 2800 2c00 3000 3400 3800",
	"the block freed last is taken first, then the boot order")
-- 1024 free less 2^10 - 1 is 1, below 160: node 1 cannot serve order 10
p = alloc_pages{order = 10, node = 1}
expect_eq(p.node, 0, "node 1 cannot serve: fall back to node 0")
expect_eq(p.zone, "DMA32", "node 0's highest zone first")
expect_eq(p.pfn, 0x1400, "node 0's DMA32 has 0x1400, 0x1800, 0x1c00 left: the head")
print(proc("buddyinfo"))
print(proc("zoneinfo"))
