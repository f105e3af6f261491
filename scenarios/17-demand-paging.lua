-- 17-demand-paging.lua: mmap reserves nothing; the first touch faults.
--
-- Teaches: an mmap only adds a VMA; the first access to each page faults
-- into handle_mm_fault; a read maps the one shared zero page read-only, a
-- write takes a zeroed page of its own; the first write after a read
-- replaces the zero page; an access outside every VMA is a SIGSEGV.

machine{arch = "x86_64", memory = "64M"}
title("Demand paging and the zero page")

local p = process{name = "demo"}
say("A new process: text, data and stack, and no page of memory behind them yet. An mmap of 64 KiB: how many pages does the buddy allocator hand out?")
print(proc("maps", p))
pause()
local free0 = zone("DMA32").free
local a = mmap(p, {len = "64K", prot = "rw"})
expect_eq(a, p.mmap_base - 0x10000, "mmap puts it in the highest gap below mmap_base")
expect_eq(zone("DMA32").free, free0, "mmap takes no page at all")
expect_eq(p.rss, 0, "nothing is resident")
say(string.format("None: a VMA at 0x%x, 16 pages of address space, no memory.", a) .. " The program reads its first byte. What does it read, and from which frame?")
print(proc("maps", p))
pause()
local r = access(p, a, "r")
expect(r.fault, "the first touch faults")
expect_eq(r.value, 0, "a never-written page reads 0")
expect(page(r.pfn).zero, "from the shared zero page")
say(string.format("0, from frame 0x%x: the zero page, mapped read-only.", r.pfn) .. " It reads three more pages. How many frames do the four reads use?")
pause()
local same = 0
for i = 1, 3 do
	if access(p, a + i * 4096, "r").pfn == r.pfn then same = same + 1 end
end
expect_eq(same, 3, "every read maps the same zero page")
expect_eq(p.rss, 0, "the zero page is not counted as the process's memory")
say("One. Reads share the zero page; the process still owns no memory. Now it writes 42 to a page it has only read. What must the kernel do?")
pause()
local w = access(p, a, "w", 42)
expect(w.pfn ~= r.pfn, "the write gets a frame of its own")
expect_eq(w.value, 42, "and the value is stored")
expect_eq(page(w.pfn).mapcount, 1, "one PTE maps it")
expect_eq(p.rss, 1, "one resident page")
say(string.format("The PTE pointed at the zero page, read-only: do_wp_page gave it frame 0x%x.", w.pfn) .. " A write to a page never touched before: how many faults?")
pause()
local flt = p.min_flt
local w2 = access(p, a + 5 * 4096, "w", 7)
expect_eq(p.min_flt, flt + 1, "one fault: do_anonymous_page takes a zeroed page at once")
expect_eq(access(p, a + 5 * 4096, "r").value, 7, "and reads find the value")
say(string.format("One: do_anonymous_page gives frame 0x%x directly.", w2.pfn) .. " What happens on a read just below the area, where nothing is mapped?")
pause()
local s = access(p, a - 4096, "r")
expect(s.segv ~= nil, "no VMA: SIGSEGV")
say("SIGSEGV: " .. s.segv .. ".")
print(proc("status", p))
