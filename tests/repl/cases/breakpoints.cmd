break split if order >= 2
b merge if zone == "DMA"
b take if zone == "Normal"
info breakpoints
c
c
c
c
c
c
rc
rc
rc
rc
rc
delete 1
delete 7
info breakpoints
delete
b alloc if pfn == 0
goto 7
s
delete
b done if order
b nosuch
b split if order >=
b split when order
watch pfn 12
watch zone DMA
watch zone Highmem
goto 0
c
c
c
rc
info breakpoints
quit
