-- 13-toy-machine.lua: a machine small enough to walk by hand.
--
-- Teaches: the same walk on a toy: 32-byte pages (5 offset bits), 4-byte
-- entries, so a table page holds 8 entries (3 index bits) and two levels
-- give 11-bit addresses.  A toy entry is the pfn from bit 8 over x86's flag
-- bits, so every number fits on the board.

machine{arch = {name = "toy", levels = {3, 3}, offset = 5, entry_size = 4}, memory = "8K", max_order = 4, min_free_kbytes = 0}
title("A toy machine: 2 levels of 3 bits, 32-byte pages")

local f = pgformat()
expect_eq(f.va_bits, 11, "3 + 3 + 5 bits")
local mm = mm_alloc()
local page = alloc_pages(0)
say("11-bit addresses: 3 | 3 | 5 bits, 8 entries per table. 0x3a5 = 01110100101: which directory entry, table entry and offset?")
pause()
map(mm, 0x3a0, page, "rwu")
local r = translate(mm, 0x3a5, "w")
local pte = r.levels[2].entry
expect_eq(pte >> 8, page.pfn, "a toy entry holds the pfn from bit 8")
expect_eq(pte & 0xff, 0x07, "present rw user, as the walk found it")
expect_eq(r.levels[1].index, 3, "top 3 bits")
expect_eq(r.levels[2].index, 5, "next 3 bits")
expect_eq(r.offset, 5, "low 5 bits")
expect_eq(r.pa, page.pfn * 32 + 5, "pfn x 32 + offset")
say(string.format("011|101|00101: directory 3, table 5, offset 5; pa = 0x%x x 32 + 5 = 0x%x. PTE 0x%x = pfn 0x%x from bit 8, flags 0x07 (P RW U); the write set A and D: 0x%x. A read of 0x7ff finds?", page.pfn, r.pa, pte, page.pfn, pte | 0x60))
pause()
local miss = translate(mm, 0x7ff)
expect_eq(miss.fault, "not-present", "nothing mapped at 0x7ff")
expect_eq(miss.level, "PGD", "directory entry 7 is empty")
expect(not pcall(map, mm, 0x800, page, "r"), "0x800 has 12 bits: too big for this machine")
say("A fault at the directory: entry 7 is empty, so there is no table to walk. And 0x800 needs 12 bits: no such address on this machine.")
