-- A natural student scenario: pages kept in a table by name, freed with
-- pairs().  The order of the frees decides the trace, so pairs() over string
-- keys must visit them in the same order on every run.
machine{memory = "1M", page_size = "64K"}
local held = {}
for _, name in ipairs{"a", "b", "c", "d", "e", "f", "g", "h"} do held[name] = alloc_pages(0) end
for name, page in pairs(held) do
	print("free " .. name)
	free_pages(page)
end
