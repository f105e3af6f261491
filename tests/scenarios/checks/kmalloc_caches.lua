-- The kmalloc caches of a 1-CPU x86_64 machine with 4 KiB pages, as
-- mm/slab_common.c and mm/slub.c make them (6.18):
-- - alignment: kmalloc caches guarantee the largest power-of-two divisor
--   of their size (create_boot_cache, since 6.11): kmalloc-96 is aligned
--   to 32 and kmalloc-192 to 64; the others to their own size;
-- - order: min_objects = 4 * (fls(1) + 1) = 8, capped by what fits in an
--   order-3 slab; the smallest order from get_order(8 * size) that wastes
--   at most 1/16 of the slab (calculate_order, calc_slab_order);
-- - sizes from 8 up to KMALLOC_MAX_CACHE_SIZE = 2 pages.
machine{arch = "x86_64", memory = "64M", cpus = 1}
local want = {
	-- name, slot size, align, objects per slab, order
	{"kmalloc-8", 8, 8, 512, 0}, {"kmalloc-16", 16, 16, 256, 0}, {"kmalloc-32", 32, 32, 128, 0},
	{"kmalloc-64", 64, 64, 64, 0},
	-- 4096 / 96 = 42, 64 bytes left over (<= 4096 / 16)
	{"kmalloc-96", 96, 32, 42, 0},
	{"kmalloc-128", 128, 128, 32, 0},
	-- 4096 / 192 = 21, 64 left over
	{"kmalloc-192", 192, 64, 21, 0},
	{"kmalloc-256", 256, 256, 16, 0}, {"kmalloc-512", 512, 512, 8, 0},
	-- 8 objects: 8K, 16K, 32K
	{"kmalloc-1k", 1024, 1024, 8, 1}, {"kmalloc-2k", 2048, 2048, 8, 2}, {"kmalloc-4k", 4096, 4096, 8, 3},
	-- 8 * 8K is order 4, above slub_max_order: 4 objects fill order 3
	{"kmalloc-8k", 8192, 8192, 4, 3},
}
for _, w in ipairs(want) do
	local c = kmem_cache(w[1])
	expect_eq(c.size, w[2], w[1] .. " slot size")
	expect_eq(c.align, w[3], w[1] .. " alignment")
	expect_eq(c.objects_per_slab, w[4], w[1] .. " objects per slab")
	expect_eq(c.order, w[5], w[1] .. " slab order")
end
-- every object of an aligned cache sits at a multiple of its alignment
local o = kmalloc(80)
expect_eq(o.cache, "kmalloc-96", "65..96 bytes land in kmalloc-96")
local o2 = kmalloc(96)
expect_eq(o2.addr - o.addr, 96, "consecutive slots 96 bytes apart")
expect_eq(o2.addr % 32, 0, "and 32-byte aligned")
-- above 2 pages, kmalloc goes to the buddy: 9000 bytes need order 2 (16K)
local big = kmalloc(9000)
expect(big.large and big.order == 2, "kmalloc(9000) is an order-2 block")
