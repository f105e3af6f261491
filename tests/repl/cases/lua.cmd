machine{memory="1M", page_size="64K", max_order=5}
a = alloc_pages(2)
print(a.pfn)
a.order, a.zone
info buddy
s = alloc_pages(0)
print(s.pfn, s.order)
free_pages(a)
alloc_pages(9)
foo(1 2
error("boom")
x = nil + 1
frame(0).state
info buddy
info ops
