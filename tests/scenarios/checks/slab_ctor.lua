-- kmem_cache_create's flags= and ctor=: the kernel's layout for each, the
-- constructor run on each object of a new slab (setup_object) and never
-- again for objects reused from it, and the refusals named.
include("raises.lua") -- error_of(f), raises(f, phrase)
machine{memory="64M", cpus=2}

local made = {}
local c = kmem_cache_create("anon_vma", 96, {flags="SLAB_TYPESAFE_BY_RCU|SLAB_PANIC",
	ctor=function(addr) made[#made + 1] = addr end})
-- /sys/kernel/slab/anon_vma on 6.18: slab_size 104, objs_per_slab 39
expect_eq(c.size, 104, "the free pointer goes after the object: 96 + 8")
expect_eq(c.offset, 96, "at the object's end")
expect_eq(c.objects_per_slab, 39, "4096 / 104")
expect_eq(c.flags, "SLAB_TYPESAFE_BY_RCU|SLAB_PANIC", "the flags read back by name")
expect_eq(c.ctor, true, "it has a constructor")

local o = kmem_cache_alloc(c)
expect_eq(#made, 39, "the new slab's 39 objects were constructed")
expect_eq(made[1], o.addr, "in address order, the first handed out first")
expect_eq(made[39] - made[1], 38 * 104, "one per slot")
local p = kmem_cache_alloc(c)
kmem_cache_free(c, p)
kmem_cache_alloc(c)
expect_eq(#made, 39, "objects of an existing slab are not constructed again")

local b = kmem_cache_create("flag", 24, {ctor=true, flags={"SLAB_HWCACHE_ALIGN"}})
expect_eq(b.size, 32, "24 + 8, in a 32-byte line fraction (24 <= 32)")
expect_eq(b.align, 32, "SLAB_HWCACHE_ALIGN halves the 64-byte line while the object fits in half")
kmem_cache_alloc(b)

local d = kmem_cache_create("bad_ctor", 64, {ctor=function() kmalloc(8) end})
expect(raises(function() kmem_cache_alloc(d) end, "kmalloc cannot be called from an on() hook or a slab constructor"),
	"a constructor may not allocate")
expect(raises(function() kmem_cache_create("y", 8, {flags="SLAB_POISON"}) end,
	"flags: SLAB_POISON: slub_debug's metadata is not modelled"), "debug flags are refused by name")
expect(raises(function() kmem_cache_create("y", 8, {flags={"SLAB_PANIC", 3}}) end, "flags[2]: not a flag name"),
	"a list of flags names its bad entry")
expect(raises(function() kmem_cache_create("y", 8, {ctor=5}) end, "ctor must be a function(addr) or a boolean"),
	"ctor's type")
expect(raises(function() kmem_cache_create("y", 8 * 1024 * 1024, {flags="SLAB_PANIC"}) end,
	"SLAB_PANIC: the kernel panics here"), "SLAB_PANIC says where the kernel would panic")

local r = kmem_cache_create("dentry", 192, {flags="SLAB_RECLAIM_ACCOUNT"})
kmem_cache_alloc(r)
expect(proc("meminfo"):find("SReclaimable:          4 kB", 1, true), "a reclaim-account slab is reclaimable")
