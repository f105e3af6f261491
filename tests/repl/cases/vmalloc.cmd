machine{memory="1M", min_free_kbytes=0}
a = vmalloc(8192)
b = vmalloc(100)
info slabs
vfree(a)
info slabs
print(proc("vmallocinfo"))
c = vmalloc(100)
print(string.format("0x%x", c.addr))
vm_unmap_aliases()
info slabs
d = vmalloc(100)
print(string.format("0x%x", d.addr))
vfree(a)
vfree(0xffffc90000000000 + 0x1000)
