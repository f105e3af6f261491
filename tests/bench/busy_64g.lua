-- A busy 64 GiB machine for the render benchmark (issue 9's target: a
-- 200x60 frame under 2 ms): mixed orders everywhere, every third freed.
machine{memory="64G", seed=7}
local held = {}
for i = 1, 3000 do held[i] = alloc_pages(math.random(0, 4)) end
for i = 1, 3000, 3 do free_pages(held[i]) end
