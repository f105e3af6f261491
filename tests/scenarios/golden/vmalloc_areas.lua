-- vmalloc on a fragmented toy machine: placement with guard pages, pages
-- one by one, a failure part way that gives everything back, vfree, and
-- /proc/vmallocinfo.
title("vmalloc areas")
machine{memory = "32K", page_size = "1K", max_order = 4, min_free_kbytes = 0}
local p = {}
for i = 1, 32 do p[i] = alloc_pages(0) end
for i = 1, 32, 2 do free_pages(p[i]) end
local a = vmalloc(3000)
local b = vmalloc(1024)
print(proc("vmallocinfo"))
local none, why = vmalloc("20K")
print(why)
vfree(a)
local c = vmalloc(2048)
print(proc("vmallocinfo"))
vfree(b)
vfree(c)
print(proc("meminfo"))
