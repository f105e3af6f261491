next 3
x = alloc_pages(0)
print(x.pfn)
info buddy
save saved.lua
