-- Every SLUB step in order: a cache with two objects per slab and
-- min_partial 0 on a toy machine of 1K pages; new slab, full, partial,
-- refill from partial, empty slab discarded; kmalloc classes and a large
-- kmalloc; slabinfo before and after destroy.  "pair" has its per-CPU
-- partial list off (cpu_partial = 0) so the node's lists show; "pcp" keeps
-- one of 4 objects (at most 4 slabs): frees fill it, a fifth drains it to
-- the node, and refills take from it, then from the node (get_partial_node
-- moving more slabs onto the CPU's list).  The checkpoints: which slot each
-- allocation gets, the cache's geometry, the kmalloc classes and the pages
-- that come back.
-- (The kmalloc caches' alignment: checks/kmalloc_caches.lua.)
title("slab paths")
machine{memory = "64K", page_size = "1K", max_order = 4, min_free_kbytes = 0}
local function hex(v) return string.format("0x%x", v) end
local base = 0xffff888000000000 -- x86_64's direct map: pfn 0 is at PAGE_OFFSET
local c = kmem_cache_create("pair", 3000, {min_partial = 0, cpu_partial = 0})
-- 3000 is a multiple of 8: the slot is 3000 (free pointer inside, at 1496).
-- min_objects 8 does not fit the largest order (3, 8 KiB: 2 objects), so it
-- is capped to 2 and get_order(2 * 3000) = 3 on 1K pages.
expect_eq(c.size, 3000, "slot size")
expect_eq(c.offset, 1496, "free pointer in the middle, word aligned")
expect(c.order == 3 and c.objects_per_slab == 2, "2 objects per order-3 slab")
local a = kmem_cache_alloc(c)
local b = kmem_cache_alloc(c)
-- the first slab is the buddy's first order-3 block, its objects in order
expect_eq(hex(a.addr), hex(base), "a: object 0 of slab 0")
expect_eq(hex(b.addr), hex(base + 3000), "b: object 1, 3000 bytes on")
local d = kmem_cache_alloc(c)
-- slab 0 is full: a new slab, the next order-3 block, 8 frames on
expect_eq(d.slab, 8, "d: a new slab at pfn 8")
expect_eq(hex(d.addr), hex(base + 8 * 1024), "d: object 0 of slab 8")
kmem_cache_free(c, a)
local e = kmem_cache_alloc(c)
-- the CPU slab (8) still has object 1 free: the partial slab 0 waits
expect_eq(hex(e.addr), hex(base + 8 * 1024 + 3000), "e: object 1 of the CPU slab")
local f = kmem_cache_alloc(c)
-- the CPU slab 8 is full: the refill is the partial slab 0, whose free object is a's slot
expect_eq(hex(f.addr), hex(base), "f reuses a's slot")
expect_eq(c.num_slabs, 2, "still two slabs: no new one for f")
kmem_cache_free(c, b)
kmem_cache_free(c, e)
local info = proc("slabinfo")
print(info)
-- <num_objs> <objsize> <objperslab> <pagesperslab> and <num_slabs>
expect(info:find("\npair +%d+ +4 +3000 +2 +8 : tunables +0 +0 +0 : slabdata +%d+ +2 +0\n"),
	"slabinfo: 4 objects of 3000 bytes, 2 per slab of 8 pages, 2 slabs")
kmem_cache_free(c, d)
kmem_cache_free(c, f)
kmem_cache_destroy(c)
-- both slabs went back: 64 frames free, the whole machine
expect_eq(zone("DMA").free, 64, "every slab page went back to the buddy")
local k = kmalloc(100)
-- kmalloc_index: 97..128 bytes are kmalloc-128; 28 of its bytes unused
expect_eq(k.cache, "kmalloc-128", "kmalloc(100)")
expect_eq(k.size, 100, "the size asked for")
local big = kmalloc(3000)
-- above KMALLOC_MAX_CACHE_SIZE (2 pages = 2K): straight from the buddy,
-- get_order(3000) = 2 on 1K pages
expect(big.large and big.order == 2, "kmalloc(3000) is an order-2 block")
expect_eq(big.pfn % 4, 0, "an order-2 block is 4-frame aligned")
kfree(k)
kfree(big)
-- kmalloc-128's slab stays (the CPU slab); the large block went back
expect_eq(zone("DMA").free, 63, "one page left: kmalloc-128's slab")
info = proc("slabinfo")
print(info)
expect(not info:find("\npair "), "a destroyed cache leaves slabinfo")
-- kmalloc-128 on 1K pages: 8 objects fill order 0 exactly
expect(info:find("\nkmalloc%-128 +0 +8 +128 +8 +1 :"), "kmalloc-128: one slab of 8 objects, none used")
local mi = proc("meminfo")
print(mi)
expect_eq(tonumber(mi:match("Slab:%s+(%d+) kB")), 1, "Slab: kmalloc-128's one 1K page")
expect_eq(tonumber(mi:match("SUnreclaim:%s+(%d+) kB")), 1, "kmalloc caches are unreclaimable")
machine{memory = "128K", page_size = "1K", max_order = 4, min_free_kbytes = 0}
local p = kmem_cache_create("pcp", 3000, {cpu_partial = 4})
expect_eq(p.cpu_partial_slabs, 4, "DIV_ROUND_UP(4 * 2, 2 objects per slab)")
local o = {}
for i = 1, 12 do o[i] = kmem_cache_alloc(p) end
for i = 1, 4 do kmem_cache_free(p, o[2 * i - 1]) end
expect_eq(p.nr_cpu_partial, 4, "four full slabs got a free: onto the CPU's partial list")
expect_eq(p.nr_partial, 0, "none on the node's")
kmem_cache_free(p, o[9])
expect_eq(p.nr_cpu_partial, 1, "the fifth put drained the four older ones")
expect_eq(p.nr_partial, 4, "to the node's partial list")
kmem_cache_alloc(p)
expect_eq(p.nr_cpu_partial, 0, "the CPU slab was refilled from the CPU's partial list")
kmem_cache_alloc(p)
expect_eq(p.nr_partial, 0, "get_partial took one for the CPU and moved the rest onto the CPU's list")
expect_eq(p.nr_cpu_partial, 3, "3 > 4 / 2 ends the fill")
