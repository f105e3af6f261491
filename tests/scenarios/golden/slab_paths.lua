-- Every SLUB step in order: a cache with two objects per slab and
-- min_partial 0 on a toy machine of 1K pages; new slab, full, partial,
-- refill from partial, empty slab discarded; kmalloc classes and a large
-- kmalloc; slabinfo before and after destroy.  "pair" has its per-CPU
-- partial list off (cpu_partial = 0) so the node's lists show; "pcp" keeps
-- one of 4 objects (at most 4 slabs): frees fill it, a fifth drains it to
-- the node, and refills take from it, then from the node (get_partial_node
-- moving more slabs onto the CPU's list).
title("slab paths")
machine{memory = "64K", page_size = "1K", max_order = 4, min_free_kbytes = 0}
local c = kmem_cache_create("pair", 3000, {min_partial = 0, cpu_partial = 0})
local a = kmem_cache_alloc(c)
local b = kmem_cache_alloc(c)
local d = kmem_cache_alloc(c)
kmem_cache_free(c, a)
local e = kmem_cache_alloc(c)
local f = kmem_cache_alloc(c)
kmem_cache_free(c, b)
kmem_cache_free(c, e)
print(proc("slabinfo"))
kmem_cache_free(c, d)
kmem_cache_free(c, f)
kmem_cache_destroy(c)
local k = kmalloc(100)
local big = kmalloc(3000)
kfree(k)
kfree(big)
print(proc("slabinfo"))
print(proc("meminfo"))
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
