-- 12-x86-32-walk.lua: the textbook 32-bit walk, 10/10/12.
--
-- Teaches: 32-bit x86 without PAE has two levels (Linux folds P4D, PUD and
-- PMD away): a page directory of 1024 4-byte entries, page tables of 1024
-- entries, 4K pages; and no NX bit, so every readable page is executable.

machine{arch = "x86", memory = "16M"}
title("32-bit x86: page directory and page table")

local mm = mm_alloc()
local page = alloc_pages(0)
-- A user address: on 32-bit Linux everything from PAGE_OFFSET (0xC0000000)
-- up is the kernel's.  0x08048000 is where classic i386 ELF text starts.
local va = 0x08048abc
say("0x08048abc, a user address (the kernel owns 0xC0000000 and up). 10 | 10 | 12 bits: which directory entry, which table entry, which offset?")
pause()
map(mm, 0x08048000, page, "ru")
expect_eq(mm.tables, 2, "a page directory and one page table")
local r = translate(mm, va)
expect_eq(#r.levels, 2, "two levels")
expect_eq(r.levels[1].name, "PGD", "the page directory is Linux's PGD")
expect_eq(r.levels[1].index, 32, "directory index: the top 10 bits")
expect_eq(r.levels[2].name, "PTE", "then the page table")
expect_eq(r.levels[2].index, 72, "table index: the next 10 bits")
expect_eq(r.pa, page.phys + 0xabc, "frame + offset")
say("0000100000 | 0001001000 | 0xabc: directory 32, table 72. The page is mapped read-only: will executing it fault? Writing it?")
pause()
expect(translate(mm, va, "x").fault == nil, "no NX bit on 32-bit x86: executing a data page works")
expect_eq(translate(mm, va, "w").fault, "protection", "but writing a read-only page faults")
say("Executing works: 32-bit x86 without PAE has no NX bit, so every readable page is executable. Writing faults: the entry is read-only.")
