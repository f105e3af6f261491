-- fork then copy-on-write of one page, counted by hand.
machine{arch = "x86_64", memory = "4M", tlb = {entries = 4, ways = 2}}
local p = process{name = "p"}
local a = mmap(p, {len = "4K", prot = "rw"})
local pfn = access(p, a, "w", 5).pfn
local c = fork(p)
expect_eq(page(pfn).mapcount, 2, "parent and child map it")
expect_eq(page(pfn).refcount, 2, "two references")
local w = access(c, a, "w", 6)
expect(w.pfn ~= pfn, "the child's write copied it")
expect_eq(page(pfn).mapcount, 1, "the parent alone")
expect_eq(access(p, a, "r").value, 5, "the parent's value")
expect_eq(#rmap_walk(pfn), 1, "the reverse map finds one PTE")
exit(c)
exit(p)
