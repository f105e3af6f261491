-- 12-x86-32-walk.lua: the textbook 32-bit walk, 10/10/12.
--
-- Teaches: 32-bit x86 without PAE has two levels (Linux folds P4D, PUD and
-- PMD away): a page directory of 1024 4-byte entries, page tables of 1024
-- entries, 4K pages; and no NX bit, so every readable page is executable.

machine{arch = "x86", memory = "16M"}
title("32-bit x86: page directory and page table")

local mm = mm_alloc()
local page = alloc_pages(0)
local va = 0xc0100abc
say("0xc0100abc = 1100000000 | 0100000000 | 101010111100: directory 768, table 256, offset 0xabc")
pause()
map(mm, 0xc0100000, page, "ru")
expect_eq(mm.tables, 2, "a page directory and one page table")
local r = translate(mm, va)
expect_eq(#r.levels, 2, "two levels")
expect_eq(r.levels[1].name, "PGD", "the page directory is Linux's PGD")
expect_eq(r.levels[1].index, 768, "directory index: the top 10 bits")
expect_eq(r.levels[2].name, "PTE", "then the page table")
expect_eq(r.levels[2].index, 256, "table index: the next 10 bits")
expect_eq(r.pa, page.phys + 0xabc, "frame + offset")
pause()
expect(translate(mm, va, "x").fault == nil, "no NX bit on 32-bit x86: executing a data page works")
expect_eq(translate(mm, va, "w").fault, "protection", "but writing a read-only page faults")
