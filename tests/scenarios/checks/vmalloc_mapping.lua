-- How vmalloc maps its pages, as mm/vmalloc.c does since the bulk page
-- allocator (5.13): __vmalloc_area_node first gets every page
-- (vm_area_alloc_pages, alloc_pages_bulk), and only then maps them all
-- (vmap_pages_range), with PAGE_KERNEL: present, rw, accessed, dirty,
-- global, NX (0x163 | bit 63) on x86_64.
machine{arch = "x86_64", memory = "4M"}
local function hex(v) return v and string.format("0x%x", v) end
local ptes, free_at_first_pte = {}, nil
on("set_pte", function(e)
	free_at_first_pte = free_at_first_pte or zone("DMA").free
	ptes[#ptes + 1] = e.entry
end)
local v = vmalloc(8192)
expect_eq(#ptes, 2, "one PTE per page")
-- when the first PTE is written, both pages (and the tables) are taken
expect_eq(free_at_first_pte, zone("DMA").free, "every page was allocated before the first was mapped")
local flags_ok = true
for i, e in ipairs(ptes) do
	flags_ok = flags_ok and hex(e & 0x8000000000000fff) == "0x8000000000000163" and (e >> 12 & 0xffffffffff) == v.pages[i]
end
expect(flags_ok, "each PTE is PAGE_KERNEL (global) and maps its page")
vfree(v)
