-- find_vma as the kernel's: the first VMA ending above the address (inside
-- it, or the next one up), nil above the last; vmas() is a snapshot that a
-- later mprotect does not change.
machine{arch = "x86_64", memory = "64M"}
local p = process{name = "fv"}
-- text 0x400000-0x401000, data+bss 0x600000-0x602000, the stack on top
local t = find_vma(p, 0x400000)
expect_eq(t.start, 0x400000, "an address at a VMA's start finds it")
expect_eq(t["end"], 0x401000, "text is one page")
expect_eq(find_vma(p, 0x400fff).start, 0x400000, "the last byte is still inside")
local d = find_vma(p, 0x401000)
expect_eq(d.start, 0x600000, "an address in a gap finds the VMA above it")
expect(d.start > 0x401000, "which starts above the address")
expect_eq(find_vma(p, 0).start, 0x400000, "address 0: the lowest VMA")
expect_eq(find_vma(p, 0x7ffffffff000), nil, "nothing ends above the stack's top")
local a = mmap(p, {len = "12K", prot = "rw"})
local before = vmas(p)
mprotect(p, a + 4096, "4K", "r")
expect_eq(#before, 4, "the snapshot taken before mprotect still has 4 VMAs")
expect_eq(#vmas(p), 6, "a new call sees the split")
local mid = find_vma(p, a + 4096)
expect_eq(mid.start, a + 4096, "the middle piece")
expect_eq(mid.prot, "r--p", "read-only")
expect(not pcall(find_vma, p, "x"), "an address must be a number")
