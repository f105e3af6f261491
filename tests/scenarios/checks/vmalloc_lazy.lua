-- vmalloc's lazy free and vpages as a scenario sees them (mm/vmalloc.c):
-- a freed range is reserved until the purge, vm_unmap_aliases() purges it,
-- a page array larger than a page is vmalloc'ed itself, and the kernel's
-- page tables survive every vfree.  Values worked out by hand: 4K pages,
-- each area its pages plus a guard page.
machine{memory = "16M", min_free_kbytes = 0}
include("raises.lua")
local START = 0xffffc90000000000

local purges, flushes = 0, 0
on("vmap_purge", function() purges = purges + 1 end)
on("tlb_flush", function() flushes = flushes + 1 end)

local a = vmalloc("8K")
local b = vmalloc("4K")
expect_eq(a.addr, START, "a at VMALLOC_START")
expect_eq(b.addr, START + 3 * 4096, "b after a's 2 pages and its guard page")
expect_eq(a.vpages, false, "2 page pointers fit a page: no vpages")
local free_after_map = zone("DMA").free
vfree(a)
expect_eq(zone("DMA").free, free_after_map + 2, "a's 2 pages went back, no page table did")
expect_eq(purges, 0, "no purge yet: 3 lazy pages are far below lazy_max_pages")
expect_eq(flushes, 0, "and no TLB flush")
local c = vmalloc("4K")
expect_eq(c.addr, START + 5 * 4096, "a's range is still reserved: c goes after b")
expect(proc("vmallocinfo"):find("0xffffc90000000000-0xffffc90000003000   12288 unpurged vm_area", 1, true),
	"vmallocinfo: a's range unpurged")
vm_unmap_aliases()
expect_eq(purges, 1, "one purge")
expect_eq(flushes, 3, "a flush per page of the 3-page span (at most 33 are flushed one by one)")
local d = vmalloc("8K")
expect_eq(d.addr, START, "after the purge a's range is the lowest fit")
expect(not proc("vmallocinfo"):find("unpurged", 1, true), "nothing left unpurged")

local big = vmalloc(513 * 4096)
expect_eq(big.vpages, true, "513 pointers of 8 bytes outgrow a page: the array is vmalloc'ed")
expect(proc("vmallocinfo"):find("pages=513 vmalloc vpages N0=513", 1, true), "vmallocinfo says vpages")
expect(proc("vmallocinfo"):find("   12288 pages=2 vmalloc N0=2", 1, true), "the array's own area: 2 pages")
vfree(big)
expect(raises(function() return big.addr end, "use after free"), "a freed area's handle")
expect(raises(function() vfree(a) end, "double free: vmalloc area 0xffffc90000000000 was freed at step"),
	"vfree of a purged area through its handle")
