-- expect: 2 broken/map_bad_type.lua:3:
-- and: machine: memory_map[1]: unknown type 'flash'
machine{memory_map = {{0, "16M", "flash"}}}
