-- 34-highmem-kmap.lua: why a 32-bit kernel needs kmap, and how its slots work.
--
-- Teaches: on 32-bit x86 the kernel owns 1G of virtual space from
-- 0xC0000000; only the first 896M of memory (lowmem) is mapped there for
-- good, so a HighMem page has no kernel address until it is mapped.  kmap
-- takes one of LAST_PKMAP slots (1024, 512 with PAE) at PKMAP_BASE and
-- counts its users; kunmap leaves the slot mapped (count 1) until the scan
-- wraps around and flush_all_zero_pkmaps unmaps every unused slot with one
-- TLB flush.  kmap_local_page uses per-CPU fixmap slots in stack order.
-- The model follows mm/highmem.c of Linux 6.18 (src/mm/highmem.c).

machine{arch = "x86", memory = "1G"}
title("Highmem: kmap and the pkmap slots")

expect_eq(zone("HighMem").start_pfn, 896 * 256, "HighMem starts at 896M")
local low = alloc_pages(0)
local high = alloc_pages(0, "GFP_HIGHUSER")
expect_eq(high.zone, "HighMem", "GFP_HIGHUSER may take a HighMem page")
expect_eq(page_address(low), 0xC0000000 + low.phys, "lowmem: PAGE_OFFSET + phys")
expect_eq(page_address(high), nil, "a HighMem page has no kernel address")
say("A lowmem page's address is 0xC0000000 + its physical address. The HighMem page has none. How can the kernel write to it?")
pause()

local a = kmap(high)
expect_eq(a, 0xff801000, "the first kmap takes pkmap slot 1")
expect_eq(pkmap().slots[1].count, 2, "count 2: mapped and in use")
local r = translate(init_mm(), a + 0x10, "w", "kernel")
expect_eq(r.pa, high.phys + 0x10, "the pkmap PTE in init_mm maps the page")
say("kmap put a PTE for slot 1 at 0xff801000 in the kernel's page tables; the walk now finds the page. What if a second kmap asks for it?")
pause()

expect_eq(kmap(high), a, "already mapped: the same slot")
expect_eq(pkmap().slots[1].count, 3, "one more user")
kunmap(high)
kunmap(high)
expect_eq(pkmap().slots[1].count, 1, "count 1: unused, still mapped")
expect_eq(page_address(high), a, "page_address still finds it")
say("The same slot, count 3. After two kunmaps the count is 1: unused but still mapped, with no TLB flush. When is it unmapped?")
pause()

-- kmap_local_page: per-CPU fixmap slots, nested like a stack
local l1 = kmap_local_page(high)
local other = alloc_pages(0, "GFP_HIGHUSER")
local l2 = kmap_local_page(other)
expect_eq(l1, 0xfffff000 - 69 * 4096, "fixmap index FIX_KMAP_BEGIN (69)")
expect_eq(l2, l1 - 4096, "the next slot is one page lower")
expect(not pcall(kunmap_local, l1), "out of stack order: refused")
kunmap_local(l2)
kunmap_local(l1)
expect_eq(#pkmap()["local"][0], 0, "cpu 0's stack is empty again")
say("kmap_local_page took cpu 0's next fixmap slots, going down from 0xfffff000. Why was unmapping the first one first refused?")
pause()

-- The wrap-around, on a PAE machine scaled down: 512 slots
machine{arch = "x86_pae", memory = "40M", zones = {DMA = "16M", Normal = "16M", HighMem = "8M"}}
title("Highmem: the pkmap wrap-around")
local pages = {}
for i = 1, 511 do
	pages[i] = alloc_pages(0, "GFP_HIGHUSER")
	expect_eq(kmap(pages[i]), 0xff800000 + i * 4096, "slot " .. i)
end
kunmap(pages[5])
kunmap(pages[7])
expect_eq(pkmap().kmapped, 509, "509 slots in use, 5 and 7 unused")
say("The slots are a stack: the last mapped goes first. With PAE, 512 pkmap slots; 1-511 mapped, 5 and 7 unused. Which slot next?")
pause()

local freed
on("flush_all_zero_pkmaps", function(e) freed = e.freed end)
local p = alloc_pages(0, "GFP_HIGHUSER")
expect_eq(kmap(p), 0xff800000, "slot 0, after the wrap-around")
expect_eq(freed, 2, "the flush unmapped slots 5 and 7")
expect_eq(page_address(pages[5]), nil, "pages[5] has no address now")
local q = alloc_pages(0, "GFP_HIGHUSER")
expect_eq(kmap(q), 0xff805000, "the next scan finds slot 5 free")
say("The scan wrapped to slot 0: flush_all_zero_pkmaps unmapped 5 and 7, one TLB flush; 0 went to this page, 5 to the next. And when all are used?")
pause()

local extra = {}
for i = 1, 2 do extra[i] = alloc_pages(0, "GFP_HIGHUSER") end
expect(kmap(extra[1]), "slot 7 is the last free one")
local none, why = kmap(extra[2])
expect_eq(none, nil, "every slot is in use")
expect(why:find("would sleep"), "the kernel would sleep until a kunmap")
say("All 512 slots in use: kmap_high would sleep until a kunmap frees one. kmap_local_page avoids the shared slots: it never waits.")
