-- vmalloc on a fragmented toy machine: placement with guard pages, pages
-- one by one, a failure part way that gives everything back, vfree, and
-- /proc/vmallocinfo.  (How the pages get mapped: checks/vmalloc_mapping.lua.)
-- The rules (mm/vmalloc.c): the size is rounded up to pages plus a guard
-- page, and the area goes in the lowest gap from VMALLOC_START (x86_64:
-- 0xffffc90000000000) that fits; the pages are order-0 pages from the buddy.
title("vmalloc areas")
machine{memory = "32K", page_size = "1K", max_order = 4, min_free_kbytes = 0}
local function hex(v) return v and string.format("0x%x", v) end
local function hexes(t)
	local s = {}
	for i, v in ipairs(t) do s[i] = hex(v) end
	return table.concat(s, " ")
end
local base = 0xffffc90000000000
local p = {}
for i = 1, 32 do p[i] = alloc_pages(0) end
-- Free the even pfns 0, 2, …, 30: none has a free buddy, each goes to the
-- head, so the order-0 list runs 30, 28, …, 0.
for i = 1, 32, 2 do free_pages(p[i]) end
expect_eq(zone("DMA").nr_free[0], 16, "16 scattered free frames")
local a = vmalloc(3000)
-- 3000 bytes need 3 pages of 1K; with the guard page the area is 4K
expect_eq(hex(a.addr), hex(base), "the first area starts at VMALLOC_START")
expect_eq(a.nr_pages, 3, "3 pages")
expect_eq(hexes(a.pages), "0x1e 0x1c 0x1a", "the head of the order-0 list, three times")
local b = vmalloc(1024)
expect_eq(hex(b.addr), hex(base + 0x1000), "right after a's guard page")
expect_eq(hexes(b.pages), "0x18", "the next head")
local info = proc("vmallocinfo")
print(info)
-- vmallocinfo's size counts the guard page
expect(info:find("0xffffc90000000000%-0xffffc90000001000%s+4096 pages=3"), "a in vmallocinfo")
expect(info:find("0xffffc90000001000%-0xffffc90000001800%s+2048 pages=1"), "b in vmallocinfo")
-- 20 pages, only 12 free frames: it fails part way and gives all back
local none, why = vmalloc("20K")
print(why)
expect_eq(none, nil, "20K cannot be had")
expect(why and why:find("out of memory"), "the reason is the buddy's")
expect_eq(zone("DMA").free, 12, "the 12 pages it got went back")
expect_eq(select(2, proc("vmallocinfo"):gsub("\n", "")), 2, "and its area: two areas left")
-- vfree gives back a's pages in order 0x1e, 0x1c, 0x1a, each to the head
vfree(a)
local c = vmalloc(2048)
expect_eq(c.nr_pages, 2, "2048 bytes need 2 pages")
expect_eq(hexes(c.pages), "0x1a 0x1c", "LIFO: the page freed last comes first")
print(proc("vmallocinfo"))
vfree(b)
vfree(c)
local mi = proc("meminfo")
print(mi)
expect_eq(tonumber(mi:match("MemFree:%s+(%d+) kB")), 16, "the 16 odd frames are still allocated")
expect_eq(tonumber(mi:match("VmallocUsed:%s+(%d+) kB")), 0, "nothing vmalloc'ed")

