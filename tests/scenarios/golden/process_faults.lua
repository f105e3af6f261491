-- Demand paging on a small machine: mmap takes nothing, a read maps the
-- zero page, a write after it gets a page of its own, SIGSEGV outside.
machine{arch = "x86_64", memory = "4M", tlb = {entries = 4, ways = 2}}
local p = process{name = "demo"}
local a = mmap(p, {len = "8K", prot = "rw"})
-- worked by hand: mmap_base = 0x7ffffffff000 - 128M = 0x7ffff7fff000
expect_eq(a, 0x7ffff7ffd000, "8K below mmap_base")
local r = access(p, a, "r")
expect_eq(r.value, 0, "the zero page reads 0")
local w = access(p, a, "w", 42)
expect(w.pfn ~= r.pfn, "the write replaced the zero page")
expect_eq(access(p, a, "r").value, 42, "read back")
expect(access(p, 0x1000, "r").segv ~= nil, "no VMA")
munmap(p, a, "8K")
expect_eq(p.rss, 0, "all gone")
