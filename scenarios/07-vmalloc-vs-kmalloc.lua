-- 07-vmalloc-vs-kmalloc.lua: a large buffer on a fragmented machine.
--
-- Teaches: kmalloc returns physically contiguous memory, so a 64K buffer
-- needs a free order-4 block; on a fragmented machine there is none.
-- vmalloc (mm/vmalloc.c) needs only virtually contiguous memory: it places
-- an area in the vmalloc range (the lowest free area that fits, a guard
-- page after it), takes every page from the buddy wherever it is
-- (vm_area_alloc_pages), then maps them all (vmap_pages_range) as
-- PAGE_KERNEL: global, read-write, no-execute.  The price: a page-table
-- mapping per page and TLB entries, not the direct map's huge pages.
-- vfree clears the PTEs but flushes the TLB lazily: the range stays
-- reserved until a purge flushes many freed areas at once.

-- 1M of 4K pages: 256 frames; watermarks at 0 so only fragmentation matters.
-- The textbook buddy (machine{migratetypes=false, pcp=false}): every freed
-- page goes straight back to its free list, so the fragmented layout below
-- is exactly every other frame.
machine{memory = "1M", min_free_kbytes = 0, migratetypes = false, pcp = false}
title("vmalloc vs kmalloc")

local pages = {}
for i = 1, 256 do pages[i] = alloc_pages(0) end
for i = 1, 256, 2 do free_pages(pages[i]) end
expect_eq(zone("DMA").free, 128, "half of memory is free")
expect_eq(zone("DMA").nr_free[0], 128, "all of it in single pages: every other frame")
say("128 pages (512K) are free, but no two are adjacent. Can kmalloc give us a 64K buffer?")
mark("fragmented")
pause()

local buf, why = kmalloc("64K")
expect_eq(buf, nil, "kmalloc(64K) fails: it needs 16 contiguous pages (order 4)")
expect(why:find("fragmented", 1, true), "the reason: fragmented")
say("No: kmalloc needs 16 physically contiguous pages. How many buddy allocations will vmalloc(64K) make?")
pause()

local arrived, mapped_before_all = 0, false
on("vmalloc_page", function() arrived = arrived + 1 end)
on("set_pte", function() if arrived < 16 then mapped_before_all = true end end)
local area = vmalloc("64K")
expect(area ~= nil, "vmalloc(64K) succeeds")
expect_eq(arrived, 16, "16 pages arrived from the buddy")
expect(not mapped_before_all, "every page arrived before the first was mapped")
expect_eq(area.addr, 0xffffc90000000000, "the area starts at VMALLOC_START (x86_64)")
local p = area.pages
expect_eq(#p, 16, "16 page frames back it")
local scattered = true
for i = 2, #p do if p[i] == p[i - 1] + 1 then scattered = false end end
expect(scattered, "no two of its pages are adjacent frames")
expect_eq(frame(p[1]).state, "vmalloc", "its frames are in state vmalloc")
print(proc("vmallocinfo"))
expect(proc("vmallocinfo"):find("0xffffc90000000000-0xffffc90000011000   69632 pages=16 vmalloc", 1, true),
	"vmallocinfo: 16 pages and the guard page")
expect(proc("meminfo"):find("VmallocUsed:          64 kB", 1, true), "meminfo counts 64K of vmalloc")
mark("mapped")
say("16, one page each, all taken before any is mapped (PAGE_KERNEL: global, rw, NX): contiguous only virtually. Where does vmalloc(100) go?")
pause()

local small = vmalloc(100)
expect_eq(small.addr, area.addr + 17 * 4096, "after 16 pages and the guard page")
say("After a's 16 pages and its guard page. vfree(area) gives its 16 pages back: is its address range free again at once?")
pause()

vfree(area)
local again = vmalloc("8K")
expect_eq(again.addr, small.addr + 2 * 4096, "the freed range is still reserved: the next area goes higher")
expect(proc("vmallocinfo"):find("0xffffc90000000000-0xffffc90000011000   69632 unpurged vm_area", 1, true),
	"vmallocinfo lists the freed area as unpurged")
say("No: PTEs cleared, TLB flush lazy (batched up to 32 MiB), so the range waits and 8K went higher. After vm_unmap_aliases(), where does the next 8K go?")
pause()

local purged = 0
on("vmap_purge", function(e) purged = purged + e.areas end)
vm_unmap_aliases()
expect_eq(purged, 1, "one lazily freed area purged, after one TLB flush")
local low = vmalloc("8K")
expect_eq(low.addr, 0xffffc90000000000, "purged: the lowest free area is at VMALLOC_START again")
say("Purged: one TLB flush, and the range is free: the next area starts at VMALLOC_START. Freeing everything: will the kernel's page tables go too?")
pause()

vfree(small)
vfree(again)
vfree(low)
-- every page went back, but not the kernel's page tables: vunmap never
-- frees them (the model makes init_mm's tables at the first vmalloc; Linux
-- has them from boot, under swapper_pg_dir)
expect_eq(zone("DMA").free, 124, "every page went back but the kernel's 4 page tables")
expect(proc("meminfo"):find("VmallocUsed:           0 kB", 1, true), "no vmalloc memory in use")
say("All 4 pages of kernel page tables stay: the kernel never frees them.")
