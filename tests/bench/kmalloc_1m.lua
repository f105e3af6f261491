-- 1,000,000 kfree(kmalloc(64)) pairs with 100,000 objects of seven kmalloc
-- caches held live (about 6,600 slabs), for scripts/bench (batch, no trace):
-- kfree finds the slab from the address, so the slabs do not slow it.
machine{memory="4G"}
local sizes, held = {8, 64, 96, 192, 512, 1024, 4096}, {}
for i = 1, 100000 do held[i] = kmalloc(sizes[i % 7 + 1]) end
for _ = 1, 1000000 do kfree(kmalloc(64)) end
expect_eq(kmem_cache("kmalloc-64").active_objs, 100000 // 7 + 1, "the pairs left no object behind")
