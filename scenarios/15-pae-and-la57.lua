-- 15-pae-and-la57.lua: x86 page tables beyond the textbook's two and four
-- levels.
--
-- Teaches: PAE (x86_pae) widens entries to 8 bytes so that physical
-- addresses can pass 4G (36 bits in the model) and entries gain the NX bit;
-- a 4K table then holds 512 entries (9 bits), so 32-bit addresses split
-- 2 | 9 | 9 | 12 over three levels: a 4-entry PGD (the CPU's PDPT, whose
-- entries have only a present bit), a PMD and a PTE table (Linux folds P4D
-- and PUD).  5-level paging (x86_64_la57, CONFIG_X86_5LEVEL) adds a P4D
-- level of 9 bits above x86_64's four: 57-bit addresses, 128 PiB.

machine{arch = "x86_pae", memory = "64M"}
title("PAE and 5-level paging")

local mm = mm_alloc()
local page = alloc_pages(0)
local va = 0x08048abc
say("PAE: 8-byte entries, so 512 per 4K table and 9 index bits. A 32-bit address then splits 2 | 9 | 9 | 12: which indices for 0x08048abc?")
pause()

map(mm, 0x08048000, page, "ru")
local r = translate(mm, va, "r")
local want = {{"PGD", 0}, {"PMD", 64}, {"PTE", 72}}
for i, w in ipairs(want) do
	expect_eq(r.levels[i].name, w[1], "PAE level " .. i .. " name")
	expect_eq(r.levels[i].index, w[2], w[1] .. " index")
end
expect_eq(r.levels[1].entry & 0x6, 0, "a PDPT entry has no RW or user bit")
expect_eq(mm.tables, 3, "PGD (PDPT), PMD, PTE")
say("0 | 64 | 72 | 0xabc, over a 4-entry PGD (the PDPT), a PMD and a PTE table. The page is mapped without x: will executing it fault?")
pause()

expect_eq(translate(mm, va, "x").fault, "protection", "PAE entries have NX (bit 63)")
say("Yes: PAE entries have an NX bit (63), which two-level 32-bit x86 lacks. Now 5-level x86_64: how many bits does a virtual address have?")
pause()

machine{arch = "x86_64_la57", memory = "64M"}
local f = pgformat()
expect_eq(f.va_bits, 57, "5 x 9 + 12 bits")
mm = mm_alloc()
page = alloc_pages(0)
va = 0x00ff123456789abc
map(mm, va & ~0xfff, page, "rwu")
r = translate(mm, va, "r")
expect_eq(#r.levels, 5, "five levels")
expect_eq(r.levels[2].name, "P4D", "the P4D level is real here")
expect_eq(r.levels[1].index, 255, "bits 56-48 pick the PGD entry")
expect(not pcall(map, mm, 0x0100000000000000, page, "r"), "bit 56 set alone is not canonical")
say("57: five levels of 9 bits (PGD, P4D, PUD, PMD, PTE), 128 PiB; an address is canonical when bits 63-57 copy bit 56, like 47 on 4 levels.")
