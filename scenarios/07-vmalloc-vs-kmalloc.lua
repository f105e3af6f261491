-- 07-vmalloc-vs-kmalloc.lua: a large buffer on a fragmented machine.
--
-- Teaches: kmalloc returns physically contiguous memory, so a 64K buffer
-- needs a free order-4 block; on a fragmented machine there is none.
-- vmalloc (mm/vmalloc.c) needs only virtually contiguous memory: it places
-- an area in the vmalloc range (lowest fitting gap, a guard page after it)
-- and maps pages taken from the buddy one at a time, wherever they are.
-- The price: a page-table mapping per page and TLB entries, not the direct
-- map's huge pages.

-- 1M of 4K pages: 256 frames; watermarks at 0 so only fragmentation matters.
machine{memory = "1M", min_free_kbytes = 0}
title("vmalloc vs kmalloc")

local pages = {}
for i = 1, 256 do pages[i] = alloc_pages(0) end
for i = 1, 256, 2 do free_pages(pages[i]) end
expect_eq(zone("DMA").free, 128, "half of memory is free")
expect_eq(zone("DMA").nr_free[0], 128, "all of it in single pages: every other frame")
say("128 pages (512K) are free, but no two are adjacent. We need a 64K buffer.")
mark("fragmented")
pause()

local buf, why = kmalloc("64K")
expect_eq(buf, nil, "kmalloc(64K) fails: it needs 16 contiguous pages (order 4)")
expect(why:find("fragmented", 1, true), "the reason: fragmented")
say("kmalloc cannot: it needs physically contiguous memory. Try vmalloc.")
pause()

local arrived = 0
on("vmalloc_page", function() arrived = arrived + 1 end)
local area = vmalloc("64K")
expect(area ~= nil, "vmalloc(64K) succeeds")
expect_eq(arrived, 16, "16 pages arrived one at a time")
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
say("Virtually contiguous, physically scattered. A second area goes after the guard page.")
pause()

local small = vmalloc(100)
expect_eq(small.addr, area.addr + 17 * 4096, "after 16 pages and the guard page")
vfree(area)
local again = vmalloc("8K")
expect_eq(again.addr, 0xffffc90000000000, "the freed space at the start is the lowest gap")
vfree(small)
vfree(again)
-- every page went back, and the tables emptied by vfree; the kernel's top
-- table (init_mm's PGD, made by the first vmalloc) stays, as it does in Linux
expect_eq(zone("DMA").free, 127, "every page went back but init_mm's PGD")
expect(proc("meminfo"):find("VmallocUsed:           0 kB", 1, true), "no vmalloc memory in use")
