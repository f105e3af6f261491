goto 16
goto one
info ops
x = alloc_pages(2)
info
info ops
c
goto two
rc
n
goto 12
print(x.pfn, x.order)
