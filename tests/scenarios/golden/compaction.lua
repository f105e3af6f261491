-- Compaction and migration traced: a page shared after fork migrated to a
-- chosen frame (two PTEs through migration entries), compact_memory on a
-- 64-frame zone of page cache pages with a kernel page in the first
-- pageblock, an order-2 compaction stopping early, the extfrag files and
-- the vmstat counters.
machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, max_order = 3}
local p = process{name = "p"}
local a = mmap(p, {len = 8192, prot = "rw"})
access(p, a, "w", 42)
local c = fork(p)
local src = access(p, a, "r").pfn
local dst = migrate(src, {pfn = 60})
expect_eq(dst, 60, "the page moved where it was asked")
expect_eq(access(c, a, "r").pfn, 60, "the child's PTE follows")
exit(c)
exit(p)

machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, max_order = 3}
local f = file{name = "f", size = 32 * 4096}
local kernel = {}
for i = 0, 31 do
	read(f, i * 4096, 1)
	kernel[#kernel + 1] = alloc_pages(0)
end
for i, k in ipairs(kernel) do
	if i > 1 then free_pages(k) end
end
print(proc("extfrag_index"))
print(proc("unusable_index"))
expect_eq(compact("DMA", 2), "success", "order 2 stops at the first free block of order 2")
expect_eq(compact("DMA"), "complete", "compact_memory runs until the scanners meet")
print(proc("buddyinfo"))
print(proc("vmstat"))
