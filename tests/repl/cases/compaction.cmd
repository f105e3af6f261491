machine{memory="64K", page_size="4K", min_free_kbytes=0, max_order=3}
f = file{name="f", size=8*4096}
k = {}
for i = 0, 7 do read(f, i * 4096, 1); k[#k + 1] = alloc_pages(0) end
for _, p in ipairs(k) do free_pages(p) end
info buddy
=fragmentation_index("DMA", 2)
=unusable_index("DMA", 2)
print(proc("extfrag_index"))
migrate(1, 0)
compact("DMA", 5)
=compact("DMA", 1)
info buddy
=page(0x1).state
undo
info buddy
