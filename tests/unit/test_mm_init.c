/*
 * src/mm/mm_init.c (and the boot half of page_alloc.c): the memory layout of
 * nodes and zones, the blocks handed to the buddy allocator at boot,
 * min_free_kbytes, the watermarks and lowmem_reserve, and the configs
 * machine_new refuses.
 *
 * Every expected number is worked out by hand in the comments, by the
 * kernel's rules as memstep states them:
 *   lowmem_kbytes   = managed pages of all zones but HighMem/Movable, in KiB
 *   min_free_kbytes = isqrt(lowmem_kbytes * 16), clamped to [128, 262144]
 *   pages_min       = min_free_kbytes * 1024 / page_size
 *   tmp             = pages_min * managed / lowmem_pages     (per zone)
 *   min             = tmp   (HighMem/Movable: clamp(managed/1024, 32, 128))
 *   gap             = max(tmp / 4, managed * 10 / 10000)
 *   low = min + gap, high = min + 2 gap, promo = min + 3 gap
 *   lowmem_reserve[j] of zone i = sum(managed of zones i+1..j) / ratio[i],
 *                     ratio DMA 256, DMA32 256, Normal 32, else 0 (no reserve),
 *                     and 0 for a zone with no managed pages.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

/* ---- layout ---- */

static void assert_zone(const struct machine *m, unsigned node, unsigned type, uint32_t start, uint32_t spanned,
			uint32_t managed)
{
	const struct zone *z = machine_zone(m, node, type);
	if (spanned && z->start_pfn != start)
		fail_msg("node %u %s starts at %u, expected %u", node, zone_type_names[type], z->start_pfn, start);
	if (z->spanned != spanned || z->present != spanned || z->managed != managed)
		fail_msg("node %u %s spans %u (present %u, managed %u), expected %u (managed %u)", node,
			 zone_type_names[type], z->spanned, z->present, z->managed, spanned, managed);
	assert_int_equal(z->node, node);
	assert_int_equal(z->type, type);
	assert_int_equal(z->id, node * MAX_NR_ZONES + type);
}

/* x86_64: DMA below 16M, DMA32 below 4G; 64M leaves Normal empty.  4K
 * pages: DMA = 4096 frames, DMA32 = 12288.  Boot frees maximal aligned
 * blocks at the tail, so each list is sorted by pfn. */
static void test_layout_x86_64_64M(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	assert_int_equal(m->nr_frames, 16384);
	assert_int_equal(m->page_shift, 12);
	assert_zone(m, 0, ZONE_DMA, 0, 4096, 4096);
	assert_zone(m, 0, ZONE_DMA32, 4096, 12288, 12288);
	assert_zone(m, 0, ZONE_NORMAL, 0, 0, 0);
	assert_zone(m, 0, ZONE_HIGHMEM, 0, 0, 0);
	assert_zone(m, 0, ZONE_MOVABLE, 0, 0, 0);
	struct zone *dma = machine_zone(m, 0, ZONE_DMA), *dma32 = machine_zone(m, 0, ZONE_DMA32);
	assert_int_equal(dma->free_area[10].nr_free, 4);
	assert_free_list(m, dma, 10, "0 1024 2048 3072");
	assert_int_equal(dma32->free_area[10].nr_free, 12);
	/* every pageblock boots movable (memmap_init), so the blocks are there */
	assert_int_equal(dma32->free_area[10].free_list[MIGRATE_MOVABLE].head, 4096);
	assert_int_equal(dma32->free_area[10].free_list[MIGRATE_MOVABLE].tail, 15360);
	assert_int_equal(dma32->free_area[10].nr[MIGRATE_MOVABLE], 12);
	assert_int_equal(dma->free_pages + dma32->free_pages, 16384);
	machine_free(m);
}

/* 32-bit x86, 2G: DMA below 16M, Normal up to 896M (229376 frames), HighMem
 * above (294912 frames); the arch has no DMA32, so that zone is empty. */
static void test_layout_x86_highmem(void **state)
{
	(void)state;
	struct mm_config c = config_mem(2 * GiB);
	c.arch = arch_by_name("x86");
	struct machine *m = boot(&c);
	assert_zone(m, 0, ZONE_DMA, 0, 4096, 4096);
	assert_zone(m, 0, ZONE_DMA32, 0, 0, 0);
	assert_zone(m, 0, ZONE_NORMAL, 4096, 225280, 225280);
	assert_zone(m, 0, ZONE_HIGHMEM, 229376, 294912, 294912);
	assert_zone(m, 0, ZONE_MOVABLE, 0, 0, 0);
	machine_free(m);
}

/* arm64 with no device limit: DMA covers the first 4G, so 64M is all DMA. */
static void test_layout_arm64(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.arch = arch_by_name("arm64");
	struct machine *m = boot(&c);
	assert_zone(m, 0, ZONE_DMA, 0, 16384, 16384);
	assert_zone(m, 0, ZONE_DMA32, 0, 0, 0);
	assert_zone(m, 0, ZONE_NORMAL, 0, 0, 0);
	machine_free(m);
}

/* An explicit layout, laid out from 0 in rank order, Movable included. */
static void test_layout_given(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 16 * MiB;
	c.zone_size[ZONE_NORMAL] = 32 * MiB;
	c.zone_size[ZONE_MOVABLE] = 16 * MiB;
	struct machine *m = boot(&c);
	assert_zone(m, 0, ZONE_DMA, 0, 4096, 4096);
	assert_zone(m, 0, ZONE_DMA32, 0, 0, 0);
	assert_zone(m, 0, ZONE_NORMAL, 4096, 8192, 8192);
	assert_zone(m, 0, ZONE_MOVABLE, 12288, 4096, 4096);
	machine_free(m);
}

/* Two nodes split 64M evenly: node 0 [0,8192) holds DMA [0,4096) and DMA32
 * [4096,8192); node 1 [8192,16384) is all DMA32, its DMA empty. */
static void test_layout_two_nodes(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.nodes = 2;
	struct machine *m = boot(&c);
	assert_int_equal(m->nr_nodes, 2);
	assert_int_equal(m->nodes[0].start_pfn, 0);
	assert_int_equal(m->nodes[0].spanned, 8192);
	assert_int_equal(m->nodes[1].start_pfn, 8192);
	assert_int_equal(m->nodes[1].spanned, 8192);
	assert_zone(m, 0, ZONE_DMA, 0, 4096, 4096);
	assert_zone(m, 0, ZONE_DMA32, 4096, 4096, 4096);
	assert_zone(m, 1, ZONE_DMA, 0, 0, 0);
	assert_zone(m, 1, ZONE_DMA32, 8192, 8192, 8192);
	assert_int_equal(pfn_zone(m, 8191)->id, ZONE_DMA32);
	assert_int_equal(pfn_zone(m, 8192)->id, MAX_NR_ZONES + ZONE_DMA32);
	machine_free(m);
}

/* Boot frees the largest aligned blocks that fit: 257 frames are one
 * order-8 block at 0 and one order-0 block at 256. */
static void test_boot_blocks_unaligned_end(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(257 * 4 * KiB)});
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_nr_free(z, (const uint32_t[11]){1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, 11, "boot");
	assert_free_list(m, z, 8, "0");
	assert_free_list(m, z, 0, "256");
	machine_free(m);
}

/* A reserved first frame: 1..63 become blocks 1 (o0), 2 (o1), 4, 8, 16,
 * 32 (o5); frame 0 is reserved and not managed. */
static void test_boot_reserved(void **state)
{
	(void)state;
	struct mm_config c = config_mem(256 * KiB);
	c.reserved = 4 * KiB;
	struct machine *m = boot(&c);
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_int_equal(z->present, 64);
	assert_int_equal(z->managed, 63);
	assert_int_equal(z->free_pages, 63);
	assert_int_equal(frame_state(&m->frames[0]), FS_RESERVED);
	assert_nr_free(z, (const uint32_t[11]){1, 1, 1, 1, 1, 1, 0}, 11, "boot");
	machine_free(m);
}

/* A zone boundary that is not block-aligned: DMA 12K = pfns 0..2 gives
 * blocks 0 (o1) and 2 (o0); Normal 52K = pfns 3..15 gives 3 (o0), 4 (o2),
 * 8 (o3).  Free buddies 2 and 3 sit in different zones. */
static void test_boot_unaligned_zone_boundary(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * KiB);
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 12 * KiB;
	c.zone_size[ZONE_NORMAL] = 52 * KiB;
	struct machine *m = boot(&c);
	struct zone *dma = machine_zone(m, 0, ZONE_DMA), *normal = machine_zone(m, 0, ZONE_NORMAL);
	assert_nr_free(dma, (const uint32_t[4]){1, 1, 0, 0}, 4, "DMA");
	assert_free_list(m, dma, 0, "2");
	assert_nr_free(normal, (const uint32_t[4]){1, 0, 1, 1}, 4, "Normal");
	assert_free_list(m, normal, 0, "3");
	machine_free(m);
}

/* ---- watermarks and lowmem_reserve ---- */

static void assert_wmarks(const struct machine *m, unsigned node, unsigned type, uint32_t min, uint32_t low,
			  uint32_t high, uint32_t promo)
{
	const struct zone *z = machine_zone(m, node, type);
	if (z->wmark[WMARK_MIN] != min || z->wmark[WMARK_LOW] != low || z->wmark[WMARK_HIGH] != high ||
	    z->wmark[WMARK_PROMO] != promo)
		fail_msg("node %u %s watermarks are %u/%u/%u/%u, expected %u/%u/%u/%u", node, zone_type_names[type],
			 z->wmark[WMARK_MIN], z->wmark[WMARK_LOW], z->wmark[WMARK_HIGH], z->wmark[WMARK_PROMO], min,
			 low, high, promo);
}

static void assert_reserve(const struct machine *m, unsigned node, unsigned type, const uint32_t want[MAX_NR_ZONES])
{
	const struct zone *z = machine_zone(m, node, type);
	for (unsigned j = 0; j < MAX_NR_ZONES; j++)
		if (z->lowmem_reserve[j] != want[j])
			fail_msg("node %u %s lowmem_reserve[%s] is %u, expected %u", node, zone_type_names[type],
				 zone_type_names[j], z->lowmem_reserve[j], want[j]);
}

#define RESERVE(...) ((const uint32_t[MAX_NR_ZONES]){__VA_ARGS__})

/*
 * x86_64 64M: DMA 4096, DMA32 12288 managed; lowmem 16384 pages = 65536 KiB.
 * min_free_kbytes = isqrt(1048576) = 1024; pages_min = 1024*1024/4096 = 256.
 * DMA:   tmp = 256*4096/16384 = 64;   gap = max(16, 4096*10/10000 = 4) = 16
 *        -> 64 / 80 / 96 / 112
 * DMA32: tmp = 256*12288/16384 = 192; gap = max(48, 12) = 48
 *        -> 192 / 240 / 288 / 336
 * reserve: DMA[DMA32..Movable] = 12288/256 = 48 (Normal etc. add 0);
 *          DMA32's upper zones are empty: 0.
 */
static void test_wmarks_x86_64_64M(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	assert_int_equal(m->min_free_kbytes, 1024);
	assert_wmarks(m, 0, ZONE_DMA, 64, 80, 96, 112);
	assert_wmarks(m, 0, ZONE_DMA32, 192, 240, 288, 336);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 48, 48, 48, 48));
	assert_reserve(m, 0, ZONE_DMA32, RESERVE(0, 0, 0, 0, 0));
	machine_free(m);
}

/*
 * x86_64 1G: DMA 4096, DMA32 (1G - 16M) = 258048; lowmem 262144 pages =
 * 1048576 KiB.  min_free_kbytes = isqrt(16777216) = 4096; pages_min = 1024.
 * DMA:   tmp = 1024*4096/262144 = 16;     gap = max(4, 4) = 4 -> 16/20/24/28
 * DMA32: tmp = 1024*258048/262144 = 1008; gap = max(252, 2580480/10000 = 258)
 *        = 258 -> 1008 / 1266 / 1524 / 1782
 * reserve: DMA[DMA32..] = 258048/256 = 1008.
 */
static void test_wmarks_x86_64_1G(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(1 * GiB)});
	assert_int_equal(m->min_free_kbytes, 4096);
	assert_wmarks(m, 0, ZONE_DMA, 16, 20, 24, 28);
	assert_wmarks(m, 0, ZONE_DMA32, 1008, 1266, 1524, 1782);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 1008, 1008, 1008, 1008));
	machine_free(m);
}

/*
 * x86_64 4G: DMA 4096, DMA32 (4G - 16M) = 1044480, Normal empty; lowmem
 * 1048576 pages = 4194304 KiB.  min_free_kbytes = isqrt(67108864) = 8192;
 * pages_min = 2048.
 * DMA:   tmp = 2048*4096/1048576 = 8;       gap = max(2, 4) = 4 -> 8/12/16/20
 * DMA32: tmp = 2048*1044480/1048576 = 2040; gap = max(510, 1044480*10/10000
 *        = 1044) = 1044 -> 2040 / 3084 / 4128 / 5172
 * reserve: DMA[DMA32..] = 1044480/256 = 4080.
 */
static void test_wmarks_x86_64_4G(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(4 * GiB)});
	assert_int_equal(m->min_free_kbytes, 8192);
	assert_wmarks(m, 0, ZONE_DMA, 8, 12, 16, 20);
	assert_wmarks(m, 0, ZONE_DMA32, 2040, 3084, 4128, 5172);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 4080, 4080, 4080, 4080));
	machine_free(m);
}

/*
 * x86_64 16G: DMA 4096, DMA32 1044480, Normal 12G = 3145728; lowmem 4194304
 * pages = 16777216 KiB.  min_free_kbytes = isqrt(268435456) = 16384;
 * pages_min = 4096.
 * DMA:    tmp = 4096*4096/4194304 = 4;       gap = max(1, 4) = 4 -> 4/8/12/16
 * DMA32:  tmp = 4096*1044480/4194304 = 1020; gap = max(255, 1044) = 1044
 *         -> 1020 / 2064 / 3108 / 4152
 * Normal: tmp = 4096*3145728/4194304 = 3072; gap = max(768, 31457280/10000
 *         = 3145) = 3145 -> 3072 / 6217 / 9362 / 12507
 * reserve: DMA[DMA32] = 1044480/256 = 4080, DMA[Normal..] = (1044480 +
 *          3145728)/256 = 16368; DMA32[Normal..] = 3145728/256 = 12288;
 *          Normal[HighMem..] = 0/32 = 0.
 */
static void test_wmarks_x86_64_16G(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(16 * GiB)});
	assert_int_equal(m->min_free_kbytes, 16384);
	assert_wmarks(m, 0, ZONE_DMA, 4, 8, 12, 16);
	assert_wmarks(m, 0, ZONE_DMA32, 1020, 2064, 3108, 4152);
	assert_wmarks(m, 0, ZONE_NORMAL, 3072, 6217, 9362, 12507);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 4080, 16368, 16368, 16368));
	assert_reserve(m, 0, ZONE_DMA32, RESERVE(0, 0, 12288, 12288, 12288));
	assert_reserve(m, 0, ZONE_NORMAL, RESERVE(0, 0, 0, 0, 0));
	machine_free(m);
}

/*
 * x86 2G: DMA 4096, Normal 225280, HighMem 294912.  HighMem is not lowmem:
 * lowmem 229376 pages = 917504 KiB; min_free_kbytes = isqrt(14680064) = 3831
 * (3831^2 = 14676561, 3832^2 = 14684224); pages_min = 3831*1024/4096 = 957.
 * DMA:     tmp = 957*4096/229376 = 17;    gap = max(4, 4) = 4 -> 17/21/25/29
 * Normal:  tmp = 957*225280/229376 = 939; gap = max(234, 225) = 234
 *          -> 939 / 1173 / 1407 / 1641
 * HighMem: tmp = 957*294912/229376 = 1230; min = clamp(294912/1024 = 288,
 *          32, 128) = 128; gap = max(307, 294) = 307 -> 128 / 435 / 742 / 1049
 * reserve: DMA[DMA32] = 0 (empty), DMA[Normal] = 225280/256 = 880,
 *          DMA[HighMem..] = 520192/256 = 2032; Normal[HighMem..] =
 *          294912/32 = 9216; HighMem: ratio 0, no reserve.
 */
static void test_wmarks_x86_2G_highmem(void **state)
{
	(void)state;
	struct mm_config c = config_mem(2 * GiB);
	c.arch = arch_by_name("x86");
	struct machine *m = boot(&c);
	assert_int_equal(m->min_free_kbytes, 3831);
	assert_wmarks(m, 0, ZONE_DMA, 17, 21, 25, 29);
	assert_wmarks(m, 0, ZONE_NORMAL, 939, 1173, 1407, 1641);
	assert_wmarks(m, 0, ZONE_HIGHMEM, 128, 435, 742, 1049);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 0, 880, 2032, 2032));
	assert_reserve(m, 0, ZONE_DMA32, RESERVE(0, 0, 0, 0, 0));
	assert_reserve(m, 0, ZONE_NORMAL, RESERVE(0, 0, 0, 9216, 9216));
	assert_reserve(m, 0, ZONE_HIGHMEM, RESERVE(0, 0, 0, 0, 0));
	machine_free(m);
}

/*
 * A small HighMem hits the lower clamp of its min: x86 960M has HighMem
 * 64M = 16384 pages; lowmem as for 2G (229376 pages, pages_min 957).
 * HighMem: tmp = 957*16384/229376 = 68; min = clamp(16384/1024 = 16, 32,
 * 128) = 32; gap = max(17, 16) = 17 -> 32 / 49 / 66 / 83.
 * reserve: DMA[HighMem] = (225280 + 16384)/256 = 944; Normal[HighMem] =
 * 16384/32 = 512.
 */
static void test_wmarks_x86_small_highmem(void **state)
{
	(void)state;
	struct mm_config c = config_mem(960 * MiB);
	c.arch = arch_by_name("x86");
	struct machine *m = boot(&c);
	assert_int_equal(machine_zone(m, 0, ZONE_HIGHMEM)->managed, 16384);
	assert_int_equal(m->min_free_kbytes, 3831);
	assert_wmarks(m, 0, ZONE_HIGHMEM, 32, 49, 66, 83);
	assert_wmarks(m, 0, ZONE_NORMAL, 939, 1173, 1407, 1641);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 0, 880, 944, 944));
	assert_reserve(m, 0, ZONE_NORMAL, RESERVE(0, 0, 0, 512, 512));
	machine_free(m);
}

/*
 * min_free_kbytes given: 4000 on x86_64 64M: pages_min = 1000.
 * DMA:   tmp = 1000*4096/16384 = 250;  gap = max(62, 4) = 62  -> 250/312/374/436
 * DMA32: tmp = 1000*12288/16384 = 750; gap = max(187, 12) = 187
 *        -> 750 / 937 / 1124 / 1311
 * And 0: min 0, gaps from the scale factor alone: DMA 4, DMA32 12.
 */
static void test_wmarks_min_free_kbytes_given(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.min_free_kbytes = 4000;
	struct machine *m = boot(&c);
	assert_int_equal(m->min_free_kbytes, 4000);
	assert_wmarks(m, 0, ZONE_DMA, 250, 312, 374, 436);
	assert_wmarks(m, 0, ZONE_DMA32, 750, 937, 1124, 1311);
	machine_free(m);

	c.min_free_kbytes = 0;
	m = boot(&c);
	assert_int_equal(m->min_free_kbytes, 0);
	assert_wmarks(m, 0, ZONE_DMA, 0, 4, 8, 12);
	assert_wmarks(m, 0, ZONE_DMA32, 0, 12, 24, 36);
	machine_free(m);
}

/*
 * Reserved memory is not managed and does not count as lowmem.  64M with 1M
 * reserved: DMA managed 4096 - 256 = 3840, DMA32 12288; lowmem 16128 pages
 * = 64512 KiB; min_free_kbytes = isqrt(1032192) = 1015 (1015^2 = 1030225,
 * 1016^2 = 1032256); pages_min = 1015*1024/4096 = 253.
 * DMA:   tmp = 253*3840/16128 = 60;   gap = max(15, 3) = 15 -> 60/75/90/105
 * DMA32: tmp = 253*12288/16128 = 192; gap = max(48, 12) = 48 -> 192/240/288/336
 */
static void test_wmarks_with_reserved(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.reserved = 1 * MiB;
	struct machine *m = boot(&c);
	assert_int_equal(machine_zone(m, 0, ZONE_DMA)->managed, 3840);
	assert_int_equal(m->min_free_kbytes, 1015);
	assert_wmarks(m, 0, ZONE_DMA, 60, 75, 90, 105);
	assert_wmarks(m, 0, ZONE_DMA32, 192, 240, 288, 336);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 48, 48, 48, 48));
	machine_free(m);
}

/*
 * A small machine hits the lower clamp: 256K = 64 frames, lowmem 256 KiB,
 * isqrt(4096) = 64 -> 128; pages_min = 32; DMA tmp = 32, gap = max(8, 0) = 8
 * -> 32 / 40 / 48 / 56.
 */
static void test_wmarks_lower_clamp(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(256 * KiB)});
	assert_int_equal(m->min_free_kbytes, 128);
	assert_wmarks(m, 0, ZONE_DMA, 32, 40, 48, 56);
	machine_free(m);
}

/*
 * A toy machine of 16-byte pages: 64K = 4096 frames, all DMA.  lowmem
 * 4096*16 B = 64 KiB; isqrt(1024) = 32 -> clamped to 128 KiB; pages_min =
 * 128*1024/16 = 8192, twice the machine: tmp = 8192, gap = max(2048, 4) =
 * 2048 -> 8192 / 10240 / 12288 / 14336.  Such a machine can serve only
 * GFP_ATOMIC (its slow-path mark: 8192 - 4096 = 4096, - 1024 = 3072 < 4096
 * free), which is why toy scenarios set min_free_kbytes = 0: then min 0, gap
 * max(0, 40960/10000 = 4) = 4 -> 0 / 4 / 8 / 12.
 */
static void test_wmarks_toy_16_byte_pages(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * KiB);
	c.page_size = 16;
	struct machine *m = boot(&c);
	assert_int_equal(m->nr_frames, 4096);
	assert_int_equal(m->min_free_kbytes, 128);
	assert_wmarks(m, 0, ZONE_DMA, 8192, 10240, 12288, 14336);
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, -1, &pfn), MM_NOMEM);
	assert_int_equal(alloc_pages(m, 0, GFP_ATOMIC, -1, &pfn), MM_OK);
	machine_free(m);

	c.min_free_kbytes = 0;
	m = boot(&c);
	assert_wmarks(m, 0, ZONE_DMA, 0, 4, 8, 12);
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, -1, &pfn), MM_OK);
	machine_free(m);
}

/*
 * Two nodes, x86_64 64M: lowmem counts both nodes (16384 pages), pages_min
 * 256, shared by managed pages: node0 DMA 4096 and DMA32 4096 -> tmp 64,
 * gap 16 -> 64/80/96/112; node1 DMA32 8192 -> tmp 128, gap max(32, 8) = 32
 * -> 128/160/192/224.  lowmem_reserve stays within a node: node0 DMA[DMA32..]
 * = 4096/256 = 16; node1 DMA is empty, so 0.
 */
static void test_wmarks_two_nodes(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.nodes = 2;
	struct machine *m = boot(&c);
	assert_int_equal(m->min_free_kbytes, 1024);
	assert_wmarks(m, 0, ZONE_DMA, 64, 80, 96, 112);
	assert_wmarks(m, 0, ZONE_DMA32, 64, 80, 96, 112);
	assert_wmarks(m, 1, ZONE_DMA32, 128, 160, 192, 224);
	assert_reserve(m, 0, ZONE_DMA, RESERVE(0, 16, 16, 16, 16));
	assert_reserve(m, 1, ZONE_DMA, RESERVE(0, 0, 0, 0, 0));
	machine_free(m);
}

/* ---- configs machine_new refuses ---- */

static void test_refuses_bad_page_size(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.page_size = 3000;
	assert_config_refused(&c, "page_size must be a power of two from 16 to 65536 bytes, not 3000");
	c.page_size = 8;
	assert_config_refused(&c, "page_size must be a power of two from 16 to 65536 bytes, not 8");
	c.page_size = 131072;
	assert_config_refused(&c, "page_size must be a power of two from 16 to 65536 bytes, not 131072");
}

static void test_refuses_memory_not_a_multiple(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB + 1);
	assert_config_refused(&c, "memory (67108865 bytes) must be a positive multiple of the page size (4096)");
	c.memory = 0;
	assert_config_refused(&c, "memory (0 bytes) must be a positive multiple of the page size (4096)");
	/* The page size that applies is the config's, not the arch's. */
	c.memory = 64 * MiB + 1024;
	c.page_size = 1024;
	char why[256];
	struct machine *m = machine_new(&c, why, sizeof why);
	assert_non_null(m);
	assert_int_equal(m->nr_frames, 65537);
	machine_free(m);
}

static void test_refuses_too_many_frames(void **state)
{
	(void)state;
	struct mm_config c = config_mem((uint64_t)(MAX_FRAMES + 1u) * 4096);
	assert_config_refused(&c, "memory of 33554433 pages is more than the 33554432 pages memstep models");
}

static void test_refuses_zones_not_adding_up(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 16 * MiB;
	c.zone_size[ZONE_NORMAL] = 32 * MiB;
	assert_config_refused(&c, "the zones add up to 50331648 bytes but memory is 67108864");
	c.zone_size[ZONE_NORMAL] = 64 * MiB;
	assert_config_refused(&c, "the zones add up to 83886080 bytes but memory is 67108864");
	c.zone_size[ZONE_NORMAL] = 48 * MiB - 2048;
	c.zone_size[ZONE_DMA] = 16 * MiB + 2048;
	assert_config_refused(&c, "zone DMA size must be a multiple of the page size");
}

static void test_refuses_zone_the_arch_lacks(void **state)
{
	(void)state;
	struct mm_config c = config_mem(1 * GiB);
	c.zones_given = true;
	c.zone_size[ZONE_NORMAL] = 512 * MiB;
	c.zone_size[ZONE_HIGHMEM] = 512 * MiB;
	assert_config_refused(&c, "x86_64 has no HighMem zone");
	c.arch = arch_by_name("x86");
	c.zone_size[ZONE_HIGHMEM] = 0;
	c.zone_size[ZONE_DMA32] = 512 * MiB;
	assert_config_refused(&c, "x86 has no DMA32 zone");
}

static void test_refuses_other_bad_fields(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.max_order = 0;
	assert_config_refused(&c, "max_order (the number of orders) must be from 1 to 20, not 0");
	c.max_order = 21;
	assert_config_refused(&c, "max_order (the number of orders) must be from 1 to 20, not 21");
	c = config_mem(64 * MiB);
	c.nodes = 0;
	assert_config_refused(&c, "nodes must be from 1 to 64, not 0");
	c.nodes = 65;
	assert_config_refused(&c, "nodes must be from 1 to 64, not 65");
	c = config_mem(16 * KiB);
	c.nodes = 5;
	assert_config_refused(&c, "5 nodes need at least one page each");
	c = config_mem(64 * MiB);
	c.reserved = 64 * MiB;
	assert_config_refused(&c, "reserved must be a multiple of the page size and less than memory");
	c.reserved = 100;
	assert_config_refused(&c, "reserved must be a multiple of the page size and less than memory");
	c = config_mem(64 * MiB);
	c.min_free_kbytes = 4 * 1024 * 1024 + 1;
	assert_config_refused(&c, "min_free_kbytes is at most 4194304");
	c = config_mem(64 * MiB);
	c.arch = NULL;
	assert_config_refused(&c, "no architecture");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_layout_x86_64_64M),
	cmocka_unit_test(test_layout_x86_highmem),
	cmocka_unit_test(test_layout_arm64),
	cmocka_unit_test(test_layout_given),
	cmocka_unit_test(test_layout_two_nodes),
	cmocka_unit_test(test_boot_blocks_unaligned_end),
	cmocka_unit_test(test_boot_reserved),
	cmocka_unit_test(test_boot_unaligned_zone_boundary),
	cmocka_unit_test(test_wmarks_x86_64_64M),
	cmocka_unit_test(test_wmarks_x86_64_1G),
	cmocka_unit_test(test_wmarks_x86_64_4G),
	cmocka_unit_test(test_wmarks_x86_64_16G),
	cmocka_unit_test(test_wmarks_x86_2G_highmem),
	cmocka_unit_test(test_wmarks_x86_small_highmem),
	cmocka_unit_test(test_wmarks_min_free_kbytes_given),
	cmocka_unit_test(test_wmarks_with_reserved),
	cmocka_unit_test(test_wmarks_lower_clamp),
	cmocka_unit_test(test_wmarks_toy_16_byte_pages),
	cmocka_unit_test(test_wmarks_two_nodes),
	cmocka_unit_test(test_refuses_bad_page_size),
	cmocka_unit_test(test_refuses_memory_not_a_multiple),
	cmocka_unit_test(test_refuses_too_many_frames),
	cmocka_unit_test(test_refuses_zones_not_adding_up),
	cmocka_unit_test(test_refuses_zone_the_arch_lacks),
	cmocka_unit_test(test_refuses_other_bad_fields),
};

int main(void)
{
	return cmocka_run_group_tests_name("mm_init", tests, NULL, NULL);
}
