-- A two-page file mapped shared by two processes: the disk is read once,
-- a write through one mapping is read through the other.
machine{arch = "x86_64", memory = "4M", tlb = {entries = 4, ways = 2}}
local f = file{name = "f", size = "8K"}
local p = process{name = "p"}
local q = process{name = "q"}
local a = mmap(p, {len = "8K", file = f, flags = "MAP_SHARED"})
local b = mmap(q, {len = "8K", file = f, flags = "MAP_SHARED"})
expect(access(p, a, "r").major, "page 0 from the disk")
expect(not access(q, b, "r").major, "then from the page cache")
access(q, b, "w", 9)
expect_eq(access(p, a, "r").value, 9, "shared")
expect_eq(f.nrpages, 1, "one page cached")
exit(p)
exit(q)
expect_eq(f.nrpages, 1, "the cache keeps it")
