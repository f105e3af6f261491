goto 12
x = alloc_pages(0)
free_pages(x)
undo
=frame(x.pfn).state
undo
=x
info where
c
undo
