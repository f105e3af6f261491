-- expect: 2 hostile/machine_loop.lua:5:
-- and: a scenario may make at most 256 machines
-- Machines made in a loop, each with a history the debugger would keep.
for i = 1, 100000 do
	machine{memory = "1M", page_size = "64K"}
	alloc_pages(0)
end
