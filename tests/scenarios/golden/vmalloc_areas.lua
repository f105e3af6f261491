-- vmalloc on a fragmented toy machine: placement with guard pages, pages
-- taken in bulk, a failure part way that gives everything back, vfree and
-- its lazy purge, and /proc/vmallocinfo.  The addresses are worked out by
-- hand from the rules: 1K pages, each area its pages plus a guard page,
-- the lowest free area first, freed ranges reserved until the purge.
title("vmalloc areas")
machine{memory = "32K", page_size = "1K", max_order = 4, min_free_kbytes = 0}
local START = 0xffffc90000000000
local p = {}
for i = 1, 32 do p[i] = alloc_pages(0) end
for i = 1, 32, 2 do free_pages(p[i]) end
local a = vmalloc(3000)
local b = vmalloc(1024)
expect_eq(a.addr, START, "3 pages and a guard page at VMALLOC_START")
expect_eq(b.addr, START + 0x1000, "after a's 4 pages")
expect_eq(a.pages[1], 0x1e, "the free list's head: the last page freed")
print(proc("vmallocinfo"))
local none, why = vmalloc("20K")
expect_eq(none, nil, "20 pages: 12 are free, so it fails part way")
expect(why:find("page 12 of 20", 1, true), "the 13th page is the one that failed")
print(why)
vfree(a)
local c = vmalloc(2048)
expect_eq(c.addr, START + 0x6c00, "above the failed area's range [0x1800, 0x6c00), still reserved")
print(proc("vmallocinfo"))
vfree(b)
vfree(c)
vm_unmap_aliases()
local d = vmalloc(1024)
expect_eq(d.addr, START, "after the purge the whole range is free again")
vfree(d)
print(proc("meminfo"))
