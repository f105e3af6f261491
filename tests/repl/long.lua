-- long.lua: many operations, for interrupting a motion (interrupt.py).
machine{memory="1M", page_size="64K", max_order=5}
title("long")
for i = 1, 1000000 do
	free_pages(alloc_pages(0))
end
