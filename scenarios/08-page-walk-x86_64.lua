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
expect_eq(frame(mm.pgd).state, "pagetable", "the PGD is a page-table frame")
expect_eq(mm.tables, 1, "a new mm has one table page")
-- A real PGD's upper (kernel) half is copied from swapper_pg_dir by
-- pgd_alloc; the model keeps the kernel's tables apart in init_mm.
local va = 0x00007f1234567abc
say(string.format("mm_alloc() gave the process its PGD at pfn 0x%x (Linux copies its kernel half from swapper_pg_dir). 0x%x: which index at each level?",
	mm.pgd, va))
pause()

local page = alloc_pages(0)
say("Bits 47-39, 38-30, 29-21, 20-12 give 254 | 72 | 418 | 359, offset 0xabc. map() fills the PTE: how many table pages will the mm have?")
pause()
map(mm, va & ~0xfff, page, "rwu")
expect_eq(mm.tables, 4, "PGD + PUD + PMD + PTE")
say("4: map() made the missing PUD, PMD and PTE tables (x86_64's P4D level is folded into the PGD). The first read: TLB hit or miss?")
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
say(string.format("A miss: pgd_offset, p4d_offset (folded), pud_offset, pmd_offset, pte_offset_map led to physical 0x%x. Read again: hit or miss?",
	r.pa))
pause()

r = translate(mm, va, "r")
expect_eq(r.tlb, "hit", "the second access hits the TLB: no walk")
expect_eq(#r.levels, 0, "a hit walks no level")
-- x86's user protections (PAGE_SHARED, PAGE_READONLY, ...) include
-- _PAGE_ACCESSED, so Linux's new user PTEs start accessed; the model leaves
-- the bit clear so that the walk can be seen setting it.
say("A hit: no walk at all. (Linux presets Accessed in new user PTEs; this model leaves it clear so that you can watch the walk set it.)")
