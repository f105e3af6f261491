info zones
run zones.lua
info zones
goto 18
info zones
machine{memory="1M", page_size="64K"}
a = alloc_pages(3)
b = alloc_pages(2)
c = alloc_pages(1)
info zones
