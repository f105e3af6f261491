-- expect: 2 broken/descriptor_bad_type.lua:4:
-- and: set_descriptor: type 13 is reserved for system descriptors
machine{arch = "x86", memory = "16M"}
set_descriptor{index = 20, type = 13}
