-- expect: 2 broken/map_no_usable.lua:3:
-- and: memory_map has no usable memory
machine{memory_map = {{0, "1M", "reserved"}, {"1M", "1M", "ACPI data"}, {"2M", 0x800, "usable"}}}
