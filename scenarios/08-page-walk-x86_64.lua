-- 08-page-walk-x86_64.lua: one address through x86_64's four levels.
--
-- Teaches: a 48-bit virtual address is four 9-bit indices and a 12-bit
-- offset; each index picks an entry in one table page (pgd_offset,
-- pud_offset, pmd_offset, pte_offset); each entry holds the pfn of the next
-- table, the last one the pfn of the page; the tables are pages from the
-- buddy allocator, made on demand by map (__pte_alloc and friends).

machine{arch = "x86_64", memory = "16M"}
title("x86_64: a four-level page walk")

local mm = mm_alloc()
say("mm_alloc() gives the process its top-level table, the PGD, at pfn " .. mm.pgd)
expect_eq(frame(mm.pgd).state, "pagetable", "the PGD is a page-table frame")
expect_eq(mm.tables, 1, "a new mm has one table page")

local va = 0x00007f1234567abc
say(string.format("The address 0x%x splits as 254 | 72 | 418 | 359 | 0xabc (bits 47-39, 38-30, 29-21, 20-12, 11-0)", va))
local page = alloc_pages(0)
pause()
map(mm, va & ~0xfff, page, "rwu")
say("map() made the three missing tables (PUD, PMD, PTE) and filled the PTE")
expect_eq(mm.tables, 4, "PGD + PUD + PMD + PTE")

pause()
local r = translate(mm, va, "r")
expect_eq(r.tlb, "miss", "the first access misses the TLB")
expect_eq(#r.levels, 4, "four levels walked")
local want = {{"PGD", 254}, {"PUD", 72}, {"PMD", 418}, {"PTE", 359}}
for i, w in ipairs(want) do
	expect_eq(r.levels[i].name, w[1], "level " .. i .. " name")
	expect_eq(r.levels[i].index, w[2], w[1] .. " index")
end
expect_eq(r.levels[1].table, mm.pgd, "the walk starts at the PGD")
expect_eq(r.offset, 0xabc, "the offset passes through unchanged")
expect_eq(r.pa, page.phys + 0xabc, "physical address = frame + offset")
say(string.format("0x%x is physical 0x%x", va, r.pa))

pause()
r = translate(mm, va, "r")
expect_eq(r.tlb, "hit", "the second access hits the TLB: no walk")
expect_eq(#r.levels, 0, "a hit walks no level")
