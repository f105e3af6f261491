-- expect: 2 broken/map_overlap.lua:4:
-- and: memory_map: [mem 0x0000000000080000-0x00000000000fffff] reserved overlaps [mem 0x0000000000000000-0x000000000009fbff] usable
-- the reserved range starts inside the usable one
machine{memory_map = {{0, 0x9fc00, "usable"}, {0x80000, 0x80000, "reserved"}, {"1M", "15M", "usable"}}}
