-- 33-dma-ioremap.lua: a driver's DMA buffer and its register mapping.
--
-- Teaches: why a device's DMA mask decides the zone (a 24-bit ISA-era
-- device reaches only ZONE_DMA, a 32-bit one ZONE_DMA32, a 64-bit one any
-- page); that a coherent buffer is one physically contiguous buddy block
-- of get_order(size); that the dma_handle the device uses is the physical
-- address when there is no IOMMU; and how ioremap maps a device's registers
-- into the vmalloc space uncached, with no struct page behind it, refusing
-- RAM the kernel owns.

machine{memory_map = {
	{0x0, 0x9fc00, "usable"},
	{0x9fc00, 0x60400, "reserved"},
	{0x100000, 0x7ff00000, "usable"},
	{0xfebd0000, 0x20000, "device", "0000:00:03.0 e1000"},
	{0xfec00000, 0x1000, "reserved"},
	{0x100000000, "256M", "usable"},
}, kernel = "8M"}
title("DMA buffers and ioremap")
print(proc("iomem"))

-- an old ISA sound card: 24 address bits
local isa = dma_alloc_coherent{size = "12K", mask = 0xffffff}
expect_eq(isa.zone, "DMA", "a 24-bit mask reaches only ZONE_DMA")
expect_eq(isa.order, 2, "12K rounds up to order 2 (16K)")
expect(isa.dma_handle + isa.size - 1 <= 0xffffff, "the whole buffer is below 16M")
say("A 24-bit device gets a 16K block below 16M: order 2 for 12K. Where will a 32-bit NIC's ring buffer come from?")
pause()

local ring = dma_alloc_coherent{size = "64K", mask = 0xffffffff}
expect_eq(ring.zone, "DMA32", "a 32-bit mask: GFP_DMA32")
expect_eq(ring.order, 4, "64K is order 4")
local wide = dma_alloc_coherent{size = "4K", mask = -1}
expect_eq(wide.zone, "Normal", "a 64-bit mask can take any page: Normal first")
say("The NIC's ring is an order-4 block in DMA32, below 4G; a 64-bit device takes Normal. Can ioremap map the NIC's registers, or RAM?")
pause()

local regs = ioremap(0xfebd0000, 0x20000)
expect_eq(regs & 0xfff, 0, "a page-aligned range keeps its offset 0")
expect(proc("vmallocinfo"):find("phys=0x00000000febd0000 ioremap", 1, true), "vmallocinfo lists the mapping")
print(proc("vmallocinfo"))
local ok, err = pcall(ioremap, 0x2000000, 4096)
expect(not ok and err:find("ioremap on RAM", 1, true), "RAM the kernel uses is refused")
say("The registers got a vmalloc-space address with no pages (pages= is absent); RAM was refused. What does iounmap leave behind?")
pause()

iounmap(regs)
dma_free_coherent(ring)
dma_free_coherent(isa)
dma_free_coherent(wide)
expect(proc("vmallocinfo"):find("unpurged", 1, true), "the range waits for the lazy purge, as vfree's do")
say("iounmap leaves the area unpurged until the next lazy purge; the DMA blocks merge back into the buddy.")
