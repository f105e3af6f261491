-- Golden: x86_64 tables made on demand, a walk, every fault kind, unmap
-- freeing the tables.
-- x86_64 has 4 levels (P4D folded): a 48-bit address splits 9/9/9/9/12, so
-- 0x400000 is PGD 0, PUD 0, PMD 2 (bits 29..21), PTE 0; 0x401000 is PTE 1.
machine{arch = "x86_64", memory = "4M"}
local function hex(v) return v and string.format("0x%x", v) end
local mm = mm_alloc()
-- the top table is the first page the buddy hands out
expect_eq(mm.pgd, 0, "the PGD is frame 0")
local p = alloc_pages(0)
expect_eq(p.pfn, 1, "p is frame 1, 0's order-0 buddy")
map(mm, 0x400000, p, "ru")
-- one table per missing level, in walk order: PUD 2, PMD 3, PTE 4
expect_eq(mm.tables, 4, "PGD, PUD, PMD and PTE tables")
map(mm, 0x401000, p, "rw")
expect_eq(mm.tables, 4, "the second page shares every table")

local t = translate(mm, 0x400123, "r")
expect_eq(t.tlb, "miss", "a cold TLB misses")
expect_eq(t.fault, nil, "a user read of a user page")
expect_eq(hex(t.pa), "0x1123", "frame 1 plus offset 0x123")
local walked = {}
for i, l in ipairs(t.levels) do walked[i] = string.format("%s[%d]@%x", l.name, l.index, l.table) end
expect_eq(table.concat(walked, " "), "PGD[0]@0 PUD[0]@2 PMD[2]@3 PTE[0]@4", "the walk's indexes and tables")
-- a table entry: the next table's pfn << 12 | present rw user accessed dirty
-- (_PAGE_TABLE = 0x67); the PTE: frame 1, present user, NX (bit 63), no rw
expect_eq(hex(t.levels[1].entry), "0x2067", "PGD entry 0 points at table 2")
expect_eq(hex(t.levels[4].entry), "0x8000000000001005", "the PTE as mapped \"ru\"")

t = translate(mm, 0x400123, "w")
-- the TLB holds the translation, with its permissions: no walk, a fault
expect(t.tlb == "hit" and t.fault == "protection" and t.level == "PTE", "write to a read-only page")
t = translate(mm, 0x400123, "x")
expect(t.tlb == "hit" and t.fault == "protection" and t.level == "PTE", "execute of an NX page")
t = translate(mm, 0x401000, "r")
expect(t.tlb == "miss" and t.fault == "protection" and t.level == "PTE", "user read of a supervisor page")
t = translate(mm, 0x401000, "w", "kernel")
expect(t.fault == nil and t.pa == 0x1000, "the kernel may write it")
t = translate(mm, 0x7f0000000000, "r")
-- bits 47..39 of 0x7f0000000000 are 0xfe: PGD entry 254, never set
expect(t.fault == "not-present" and t.level == "PGD", "nothing mapped at PGD entry 254")
expect_eq(t.levels[1].index, 254, "PGD index 254")

-- protect rewrites the PTE and flushes its TLB entry: the next write
-- misses, walks and succeeds
protect(mm, 0x400000, "rwu")
t = translate(mm, 0x400000, "w")
expect(t.tlb == "miss" and t.fault == nil and t.pa == 0x1000, "a write after protect")
local tl = tlb()
-- misses: 0x400123, 0x401000 twice, 0x7f0000000000, 0x400000; hits: 2
expect_eq(tl.misses, 5, "TLB misses")
expect_eq(tl.hits, 2, "TLB hits")

-- Unmapping the last page of a table frees it, and its parent if that
-- becomes empty too: PTE 4, PMD 3, PUD 2.  Frame 4 merges with 5 and 6
-- (order 2); 8 is free at order 3, so a merge is likely: tail.  Frame 3
-- finds 2 still a table: head.  Then 2 merges with 3; 4 is free at
-- order 2: tail.
local puts = {}
on("put", function(e) puts[#puts + 1] = string.format("%x/%d/%s", e.pfn, e.order, e.side) end)
unmap(mm, 0x401000)
expect_eq(mm.tables, 4, "the PTE table still maps 0x400000")
unmap(mm, 0x400000)
expect_eq(mm.tables, 1, "only the PGD is left")
expect_eq(table.concat(puts, " "), "4/2/tail 3/0/head 2/1/tail", "the freed tables' placement")
expect_eq(zone("DMA").free, 1022, "only the PGD and p are in use")
print(ptdump(mm))
