-- Golden: arm64 (39-bit, 3 levels) descriptors, hardware AF/DBM, a 2M
-- block, TLB eviction in a 1-set TLB, ASIDs and flushes.
machine{arch = "arm64", memory = "8M", tlb = {entries = 2, ways = 2}}
local a, b = mm_alloc(), mm_alloc()
local p = alloc_pages(0)
local huge = alloc_pages(9)
map(a, 0x400000, p, "rwu")
map(a, 0x600000, huge, "rxu")
map(b, 0x400000, p, "ru")
translate(a, 0x400000, "r")
translate(a, 0x400000, "w")
translate(a, 0x6abcde, "x")
translate(b, 0x400000, "r")
translate(a, 0x400000, "r")
flush_tlb(a)
print(ptdump())
