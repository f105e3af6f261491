-- expect: 2 broken/map_with_memory.lua:3:
-- and: memory= and memory_map= do not combine
machine{memory = "64M", memory_map = {{0, "64M", "usable"}}}
