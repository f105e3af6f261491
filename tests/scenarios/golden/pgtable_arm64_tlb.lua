-- Golden: arm64 (39-bit, 3 levels) descriptors, hardware AF/DBM, a 2M
-- block, TLB eviction in a 1-set TLB, ASIDs and flushes.
-- 39 bits split 9/9/9/12: 0x400000 is PGD 0, PMD 2, PTE 0; 0x600000 is PMD 3,
-- 2 MiB aligned, so an order-9 block maps there as one PMD block entry.
machine{arch = "arm64", memory = "8M", tlb = {entries = 2, ways = 2}}
local function hex(v) return v and string.format("0x%x", v) end
local a, b = mm_alloc(), mm_alloc()
expect(a.pgd == 0 and b.pgd == 1 and a.asid == 1 and b.asid == 2, "two PGDs from the first frames, ASIDs 1 and 2")
local p = alloc_pages(0)
local huge = alloc_pages(9)
-- the first split chain left 0x200 as the free order-9 half
expect_eq(p.pfn, 2, "p splits the order-1 block 2")
expect_eq(huge.pfn, 0x200, "the order-9 half split off for the first PGD")
map(a, 0x400000, p, "rwu")
map(a, 0x600000, huge, "rxu")
map(b, 0x400000, p, "ru")
-- a: PGD, a PMD table, a PTE table; the block needs no PTE table
expect_eq(a.tables, 3, "the 2M block adds no table")

local t = translate(a, 0x400000, "r")
-- a writable page starts clean: AP[2] (read-only) set with DBM (bit 51);
-- AF (bit 10) clear until the first access; nG, PXN and UXN (no x)
expect_eq(hex(t.levels[3].entry), "0x68000000002bc3", "the descriptor as mapped, before the access")
expect(t.tlb == "miss" and t.fault == nil and t.pa == 0x2000, "a read fills the TLB")
t = translate(a, 0x400000, "w")
-- DBM lets the hardware make it dirty (clear AP[2]) instead of faulting
expect(t.tlb == "hit" and t.fault == nil, "a write to a clean DBM page does not fault")
t = translate(a, 0x6abcde, "x")
expect_eq(t.page_size, 2 * 1024 * 1024, "a 2M translation")
expect_eq(hex(t.pa), "0x2abcde", "0x200 << 12 plus the low 21 bits 0xabcde")
expect_eq(#t.levels, 2, "the walk ends at the PMD block")
expect(t.fault == nil, "user exec allowed: UXN clear")
-- The one set is full (a 0x400000 last used by the write, a 0x600000 by
-- the exec): b's miss evicts the least recently used, a 0x400000.
local evicted = {}
on("tlb_evict", function(e) evicted[#evicted + 1] = string.format("%d:%x", e.mm, e.va) end)
t = translate(b, 0x400000, "r")
expect_eq(t.tlb, "miss", "another ASID does not hit a's entry")
t = translate(a, 0x400000, "r")
expect_eq(t.tlb, "miss", "a's entry was the one evicted")
-- now a 0x600000 is the older: it goes
expect_eq(table.concat(evicted, " "), "1:400000 1:600000", "LRU victims, in order")
local tl = tlb()
expect(tl.evictions == 2 and tl.misses == 4 and tl.hits == 1, "TLB counters")
expect_eq(flush_tlb(a), 1, "a has one entry left to flush")
tl = tlb()
expect(#tl == 1 and tl[1].asid == 2 and tl[1].va == 0x400000 and tl[1].pfn == 2, "only b's entry remains")
print(ptdump())
