-- Golden: x86_64 tables made on demand, a walk, every fault kind, unmap
-- freeing the tables.
machine{arch = "x86_64", memory = "4M"}
local mm = mm_alloc()
local p = alloc_pages(0)
map(mm, 0x400000, p, "ru")
map(mm, 0x401000, p, "rw")
translate(mm, 0x400123, "r")
translate(mm, 0x400123, "w")
translate(mm, 0x400123, "x")
translate(mm, 0x401000, "r")
translate(mm, 0x401000, "w", "kernel")
translate(mm, 0x7f0000000000, "r")
protect(mm, 0x400000, "rwu")
translate(mm, 0x400000, "w")
unmap(mm, 0x401000)
unmap(mm, 0x400000)
print(ptdump(mm))
