machine{memory="1M", page_size="64K", zones={DMA="512K", Normal="512K"}}
a = alloc_pages(2)
b = alloc_pages(0, "GFP_DMA")
c = alloc_pages{order=1}
free_pages(a)
print(b.pfn, c.pfn)
step
alloc_pages(30)
info buddy
save saved.lua
quit
