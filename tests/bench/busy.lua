-- A busy 256 MiB machine for the render benchmark: many blocks of mixed
-- orders, every third freed, so the frame map and free lists are full.
machine{memory="256M", seed=7}
local held = {}
for i = 1, 3000 do held[i] = alloc_pages(math.random(0, 4)) end
for i = 1, 3000, 3 do free_pages(held[i]) end
