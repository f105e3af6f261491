-- 11-huge-pages.lua: a 2 MiB page ends the walk at the PMD.
--
-- Teaches: a PMD entry with PSE set maps 2 MiB directly: three levels
-- instead of four, 21 offset bits, no PTE table, one TLB entry for 512
-- pages.

machine{arch = "x86_64", memory = "64M"}
title("Huge pages: the walk ends at the PMD")

local mm = mm_alloc()
local huge = alloc_pages(9)
say("alloc_pages(9): 512 contiguous frames, 2 MiB aligned. Mapped by one PMD entry with PSE: how many table pages will the mm need?")
pause()
map(mm, 0x40000000, huge, "rwu")
expect_eq(mm.tables, 3, "PGD, PUD, PMD: no PTE table")
say("3: PGD, PUD, PMD, and no PTE table. A write to 0x40012345: how many levels will the walk read, and how many offset bits?")
pause()
local r = translate(mm, 0x40012345, "w")
expect_eq(#r.levels, 3, "three levels")
expect_eq(r.levels[3].name, "PMD", "the leaf is a PMD entry")
expect(r.levels[3].entry & (1 << 7) ~= 0, "with PSE (bit 7) set")
expect_eq(r.offset, 0x12345, "21 offset bits")
expect_eq(r.page_size, 2 << 20, "a 2 MiB page")
expect_eq(r.pa, huge.phys + 0x12345, "physical = huge frame + offset")
say("3 levels, 21 offset bits: the PMD entry is the leaf. Now 0x401ff000, 511 pages further into the same 2 MiB: TLB hit or miss?")
pause()
r = translate(mm, 0x401ff000)
expect_eq(r.tlb, "hit", "another address in the same 2 MiB hits the same TLB entry")
expect_eq(r.pa, huge.phys + 0x1ff000, "and lands 511 pages in")
print(ptdump(mm))
say("A hit: one TLB entry covers all 512 pages. Linux gets 2 MiB pages from THP or hugetlbfs; x86_64 also has 1 GiB pages (PSE at the PUD).")
