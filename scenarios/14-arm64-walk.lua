-- 14-arm64-walk.lua: the same walk on arm64, with its own descriptors.
--
-- Teaches: arm64 with a 4K granule and 39-bit virtual addresses walks three
-- levels of 9 bits (Linux folds P4D and PUD: pgtable-nopud.h); 48-bit
-- addresses take four.  User addresses (top bits 0) are translated from
-- TTBR0_EL1, which holds the process's PGD; kernel addresses (top bits 1)
-- from TTBR1_EL1 (swapper_pg_dir).  A descriptor says valid, table or page,
-- AP (access permissions: AP[1] user, AP[2] read-only), AF (the access
-- flag), nG (not global: tagged with the ASID), DBM (dirty bit management)
-- and PXN/UXN (execute-never for the kernel and for user space).  Linux
-- keeps a writable page clean as "read-only + DBM"; a write then clears
-- AP[2] in hardware, and that is how Linux reads "dirty".
-- Model choice: new PTEs start with AF clear (Linux sets PTE_AF in its
-- protections) so that the first access can be seen setting it.

machine{arch = "arm64", memory = "16M"}
title("arm64: a 3-level walk, AF and DBM")

local f = pgformat()
expect_eq(f.va_bits, 39, "4K granule, 39-bit VA")
local mm = mm_alloc()
local page = alloc_pages(0)
local va = 0x5500001abc
say("arm64, 4K granule, 39-bit VA: 9 | 9 | 9 | 12 bits, translated from TTBR0_EL1 (user space). 0x5500001abc: which index at each level?")
pause()

map(mm, 0x5500001000, page, "rwu")
expect_eq(mm.tables, 3, "PGD, PMD, PTE: three levels")
say("340 | 0 | 1, offset 0xabc; map() made the PMD and PTE tables. The new user PTE is read-only (AP[2]) with DBM set: will a write fault?")
pause()

local r = translate(mm, va, "r")
expect_eq(r.tlb, "miss", "the first access walks")
expect_eq(#r.levels, 3, "three levels")
local want = {{"PGD", 340}, {"PMD", 0}, {"PTE", 1}}
for i, w in ipairs(want) do
	expect_eq(r.levels[i].name, w[1], "level " .. i .. " name")
	expect_eq(r.levels[i].index, w[2], w[1] .. " index")
end
local leaf = r.levels[3].entry
expect(leaf & (1 << 7) ~= 0, "AP[2] set: read-only")
expect(leaf & (1 << 51) ~= 0, "DBM set: hardware may make it writable")
expect(leaf & (1 << 11) ~= 0, "nG: tagged with the ASID")
expect(leaf & (1 << 54) ~= 0, "UXN: not executable by user space")
local w = translate(mm, va, "w")
expect_eq(w.fault, nil, "the write does not fault")
expect(translate(mm, va, "r").pa == page.phys + 0xabc, "and the page reads as before")
say("No fault: the read set AF, then the write cleared AP[2] (DBM), making the page writable and dirty. Executing it, with UXN set?")
pause()

local x = translate(mm, va, "x")
expect_eq(x.fault, "protection", "UXN: an instruction fetch faults")
say("A permission fault: UXN forbids execution at EL0, PXN at EL1. With 48-bit addresses (arm64_48) the same walk takes four levels.")
