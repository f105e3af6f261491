-- 09-multilevel-saves-memory.lua: why page tables have levels.
--
-- Teaches: a flat table for a 48-bit space of 4K pages needs 2^36 entries
-- of 8 bytes (512 GiB) whatever is mapped; a tree only has tables where
-- something is mapped.  A sparse process (code at the bottom, a heap above
-- it, a stack near the top) needs a handful of table pages.

machine{arch = "x86_64", memory = "16M"}
title("Multi-level page tables save memory")

local f = pgformat()
local flat = (1 << (f.va_bits - f.offset_bits)) * f.entry_size
expect_eq(flat, 512 << 30, "a flat x86_64 table would be 512 GiB")

local mm = mm_alloc()
local frame_ = alloc_pages(0)
-- Code is mapped read and execute (r-x, as real text is), heap and stack
-- read-write, never executable.
local regions = {
	{"code", 0x400000, 4, "rxu"},
	{"heap", 0x2000000, 4, "rwu"},
	{"stack", 0x7ffffffde000, 2, "rwu"},
}
local questions = {
	string.format("A flat table for %d-bit addresses: 2^%d entries x %d bytes = %d GiB. Four code pages at 0x400000: how many table pages?",
		f.va_bits, f.va_bits - f.offset_bits, f.entry_size, flat >> 30),
	"4: PGD, PUD, PMD and a PTE table. The heap at 0x2000000 is in another 2 MiB region: how many table pages now?",
	"5: a second PTE table, sharing the PUD and PMD. The stack near the top of the address space: how many now?",
}
local tables = {}
for i, reg in ipairs(regions) do
	say(questions[i])
	pause()
	for k = 0, reg[3] - 1 do map(mm, reg[2] + k * 4096, frame_.pfn, reg[4]) end
	tables[i] = mm.tables
end
expect_eq(tables[1], 4, "code: PGD, PUD, PMD, PTE")
expect_eq(tables[2], 5, "heap: one more PTE table")
-- code (0x400000) and heap (0x2000000) are in different 2M regions: they
-- share the PUD and PMD but not the PTE table.
expect_eq(mm.tables, 1 + (1 + 1 + 2) + (1 + 1 + 1), "PGD; PUD, PMD, 2 PTE tables low; PUD, PMD, PTE high")
local used = mm.tables * 4096
say(string.format("%d: the stack needs its own PUD, PMD and PTE. %d table pages = %d KiB, against %d GiB flat.",
	mm.tables, mm.tables, used >> 10, flat >> 30))
expect(used < flat / 1000000, "the tree is a millionth of the flat table")
print(ptdump(mm))
