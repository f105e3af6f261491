-- A small PC booted in steps: memblock regions, a top-down early
-- allocation, the hand-over's blocks, then a DMA buffer and an ioremap.
machine{memory_map = {{0, 0x9fc00, "usable"}, {0x9fc00, 0x60400, "reserved"}, {"1M", "7M", "usable"},
	{0xfebd0000, 0x1000, "device", "e1000"}}, reserve = {{"2M", "2M", "kernel"}}, boot = true}
memblock_reserve("6M", "64K")
local a = memblock_alloc("16K", "8K")
memblock_free(a, "8K")
memblock_free_all()
print(proc("memblock/reserved"))
local b = dma_alloc_coherent{size = "8K", mask = 0xffffff}
local r = ioremap(0xfebd0000, 0x1000)
iounmap(r)
dma_free_coherent(b)
