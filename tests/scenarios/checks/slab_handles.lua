-- Cache, object and vmalloc-area handles are live views (DESIGN.md, "The
-- scenario language"): fields read the current state, and a handle whose
-- thing is gone is an error that says why.
machine{memory = "1M"}

include("raises.lua") -- error_of(f), raises(f, phrase)

local c = kmem_cache_create("things", 100, {align = 32})
expect_eq(c.name, "things", ".name")
expect_eq(c.object_size, 100, ".object_size")
expect_eq(c.size, 128, ".size: 100 rounded up to align 32")
expect_eq(c.num_objs, 0, "no objects before the first allocation")
expect_eq(tostring(c), "kmem_cache things", "tostring")
expect(c == kmem_cache("things"), "kmem_cache(name) finds it")
expect_eq(kmem_cache("kmalloc-96").object_size, 96, "the kmalloc caches are there from boot")

local o = kmem_cache_alloc(c)
expect_eq(o.cache, "things", ".cache is the cache's name")
expect_eq(o.slab, c.cpu_slab, ".slab is the CPU slab's pfn")
expect_eq(o.index, 0, "the first object")
expect_eq(string.format("%x", o.addr), string.format("%x", 0xffff888000000000 + o.slab * 4096), ".addr")
expect_eq(c.active_objs, 1, "live view: active_objs")
kmem_cache_free(c, o)
expect(raises(function() return o.addr end, "use after free: object 0xffff888"), "use after free")
expect(raises(function() kmem_cache_free(c, o) end, "double free"), "double free through the handle")
expect(raises(function() kfree(o) end, "double free"), "kfree of a freed object")

local k = kmalloc(40)
expect(raises(function() kmem_cache_free(c, k) end, "belongs to cache kmalloc-64, not to cache things"),
	"freeing to the wrong cache")
kfree(k.addr)
expect(raises(function() return k.size end, "was freed at step"), "kfree by address frees the handle's object")

local big = kmalloc("20K")
expect(big.large and big.order == 3 and big.cache == nil, "large kmalloc: order 3, no cache")
kfree(big)
expect(raises(function() return big.pfn end, "large kmalloc 0xffff888"), "stale large handle")

local v = vmalloc(5000)
expect_eq(v.nr_pages, 2, "5000 bytes need two pages")
expect_eq(#v.pages, 2, ".pages lists their pfns")
expect_eq(v.size, 5000, ".size is what was asked")
vfree(v)
expect(raises(function() return v.addr end, "use after free: vmalloc area 0xffffc90000000000"), "stale area")
expect(raises(function() vfree(v) end, "double free"), "double vfree")
expect(raises(function() vfree(12345) end, "not a vmalloc address"), "vfree of a random address")

kmem_cache_destroy(c)
expect(raises(function() return c.size end, "cache things was destroyed at step"), "destroyed cache")
expect(raises(function() kmem_cache_alloc(c) end, "destroyed"), "alloc from a destroyed cache")
expect_eq(kmem_cache("things"), nil, "gone from the list")

local d = kmem_cache_create("again", 64)
local obj = kmem_cache_alloc(d)
machine{memory = "1M"}
expect(raises(function() return obj.addr end, "machine{} replaced"), "stale after machine{}")
expect(raises(function() return d.size end, "machine{} replaced"), "stale cache after machine{}")
