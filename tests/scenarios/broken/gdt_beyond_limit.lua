-- expect: 2 broken/gdt_beyond_limit.lua:4:
-- and: set_descriptor: the GDT has entries 0..31, not 32
machine{arch = "x86", memory = "16M"}
set_descriptor{index = 32, type = "data-rw"}
