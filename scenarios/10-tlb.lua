-- 10-tlb.lua: TLB hits and misses over an access pattern.
--
-- Teaches: the TLB caches translations so most accesses skip the walk; a
-- set-associative TLB evicts the least recently used entry of a full set;
-- ASIDs keep two processes' entries apart; unmap must flush.
-- Model choices, said on screen: LRU within a set (real TLBs use
-- undocumented pseudo-LRU policies) and one ASID per mm, arm64's scheme
-- (x86_64 tags entries with a PCID and Linux recycles a few per CPU:
-- TLB_NR_DYN_ASIDS, choose_new_asid).

machine{arch = "x86_64", memory = "16M", tlb = {entries = 4, ways = 2}}
title("The TLB: hits, misses, eviction, flush")

local mm = mm_alloc()
local p = alloc_pages(0)
for i = 0, 7 do map(mm, 0x400000 + i * 4096, p, "rwu") end
say("4 entries, 2 sets of 2 ways, set = page number mod 2, LRU in a set (a model choice: real TLBs use pseudo-LRU). Pages 0, 1 three times: misses?")
pause()
-- a loop over two pages: one miss each, then hits
for _ = 1, 3 do
	translate(mm, 0x400000)
	translate(mm, 0x401000)
end
local t = tlb()
expect_eq(t.misses, 2, "two misses: the first touch of each page")
expect_eq(t.hits, 4, "then every access hits")
say("2 misses, then 4 hits. Set 0 holds page 0; pages 2 and 4 come next, both in set 0: which entry will page 4 evict?")
pause()
-- pages 0, 2, 4 all go to set 0: the third evicts the least recently used
translate(mm, 0x402000)
local evicted
on("tlb_evict", function(e) evicted = e.va end)
translate(mm, 0x404000)
expect_eq(evicted, 0x400000, "page 0 was the least recently used in set 0")
expect_eq(translate(mm, 0x400000).tlb, "miss", "so page 0 misses again")
say("Page 0, the least recently used of set 0: it misses again. Entries carry an ASID, one per mm here (arm64's way). Another mm reads its page 1: hit?")
pause()
local other = mm_alloc()
map(other, 0x401000, p, "ru")
expect_eq(translate(other, 0x401000).tlb, "miss", "another ASID does not see mm 1's entry")
expect_eq(translate(mm, 0x401000).tlb, "hit", "and mm 1's entry is still there")
say("A miss: mm 1's entry never matches another ASID, and still hits for mm 1. (x86_64 tags with PCIDs.) unmap page 1, then read it: what must happen?")
pause()
unmap(mm, 0x401000)
local r = translate(mm, 0x401000)
expect_eq(r.fault, "not-present", "after unmap (and its flush) the access faults")
expect_eq(r.tlb, "miss", "the stale entry was flushed")
say("The entry was flushed with the unmap, so the read walks and faults not-present. On SMP the kernel also shoots down other CPUs' copies by IPI.")
