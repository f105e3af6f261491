/*
 * src/mm/page_alloc.c: the buddy allocator's splits and merges, the zonelist
 * walk and gfp zone limits, the watermark check, and every rejected call.
 *
 * Expected pfns, free-list contents and watermark values are worked out by
 * hand from the buddy algorithm and the kernel's rules, never read back from
 * the code under test.  The machines are the textbook buddy (config_textbook:
 * no per-cpu lists, one list per order); test_pageblock.c and test_pcp.c
 * cover what the kernel adds.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/vmscan.h"

#define ORDERS 11 /* the default max_order: orders 0..10 */

/* nr_free of all 11 orders, written out as a table row. */
#define NR_FREE(...) ((const uint32_t[ORDERS]){__VA_ARGS__})

static struct recorder *new_recorder(struct machine *m)
{
	struct recorder *r = test_calloc(1, sizeof *r);
	r->keep = true;
	r->check = true;
	recorder_attach(m, r);
	return r;
}

/* The end of a test: the machine must still be sound. */
static void drop(struct machine *m, struct recorder *r)
{
	assert_machine_ok(m);
	machine_free(m);
	recorder_free(r);
	test_free(r);
}

/* A machine of 64 frames of 4K (256K, all in ZONE_DMA) with no watermark to
 * speak of (min_free_kbytes 0: min 0, low 0), the journal on. */
static struct machine *tiny(void)
{
	struct mm_config c = config_textbook(256 * KiB);
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	return m;
}

/* ------------------------------------------------------------------ */
/* Split and merge                                                      */
/* ------------------------------------------------------------------ */

/*
 * The classic example: 1 MiB in 64 KiB pages is 16 frames, one order-4 block
 * at pfn 0.  On x86_64 all of it lies below 16M, so it is ZONE_DMA (GFP_KERNEL
 * reaches it by falling through the empty Normal and DMA32 zones, which emit
 * nothing).  Watermarks: lowmem 1024 KiB, min_free_kbytes = isqrt(16384) = 128,
 * pages_min = 128K/64K = 2, so min = low = high = 2 (gap = max(2/4, 16*10/10000)
 * = 0).  Every request below leaves more than 2 pages free.
 *
 * Allocate A=1 page, B=2, C=1, D=2; free B, D, A, C.  Rules: the smallest
 * order with a block wins, its head is taken, expand() keeps the lower half
 * and pushes each upper half at the head of its list.  On free, merge while
 * the buddy (pfn ^ 1 << order) is free at that order; put the result at the
 * tail when the buddy of the block it would form is free (buddy_merge_likely).
 *
 *  op           pfn  o0 o1 o2 o3 o4  free lists, head first / why
 *  boot               0  0  0  0  1  o4[0]
 *  A alloc o0    0    1  1  1  1  0  split 0: 8->o3, 4->o2, 2->o1, 1->o0
 *  B alloc o1    2    1  0  1  1  0  o1 head is 2, no split
 *  C alloc o0    1    0  0  1  1  0  o0 head is 1
 *  D alloc o1    4    0  1  0  1  0  o1 empty: take o2 block 4, split: 6->o1
 *  free B (2,o1)      0  2  0  1  0  buddy 0 is allocated; 0^4=4 is not a free
 *                                    o2 block: head.  o1[2 6]
 *  free D (4,o1)      0  1  1  1  0  buddy 6 free: merge -> 4 o2; buddy 0 o2 is
 *                                    not free; 0^8=8 is a free o3: tail.  o2[4]
 *  free A (0,o0)      1  1  1  1  0  buddy 1 (C) allocated; 0^2=2 is a free o1:
 *                                    tail.  o0[0]
 *  free C (1,o0)      0  0  0  0  1  merge with 0 -> o1, with 2 -> o2, with 4 ->
 *                                    o3, with 8 -> o4; 16 is outside: head
 */
static void test_classic_split_merge(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(1 * MiB);
	c.page_size = 65536;
	struct machine *m = boot(&c);
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_int_equal(z->present, 16);
	assert_int_equal(z->wmark[WMARK_LOW], 2);
	struct recorder *r = new_recorder(m);
	assert_nr_free(z, NR_FREE(0, 0, 0, 0, 1), ORDERS, "boot");

	size_t e = r->n;
	uint32_t a = must_alloc(m, 0, GFP_KERNEL);
	assert_int_equal(a, 0);
	assert_nr_free(z, NR_FREE(1, 1, 1, 1, 0), ORDERS, "after A");
	assert_kinds(r, e, END, "alloc watermark take split split split split done");
	assert_event(r, e + 1, "watermark", "zone=DMA order=0 free=16 usable=16 wmark=low mark=2 reserve=0 ok=ok");
	assert_event(r, e + 2, "take", "zone=DMA pfn=0 order=4");
	assert_event(r, e + 3, "split", "pfn=0 order=3 buddy=8");
	assert_event(r, e + 4, "split", "pfn=0 order=2 buddy=4");
	assert_event(r, e + 5, "split", "pfn=0 order=1 buddy=2");
	assert_event(r, e + 6, "split", "pfn=0 order=0 buddy=1");
	assert_event(r, e + 7, "done", "zone=DMA pfn=0 order=0");
	assert_free_list(m, z, 0, "1");
	assert_free_list(m, z, 1, "2");
	assert_free_list(m, z, 2, "4");
	assert_free_list(m, z, 3, "8");

	e = r->n;
	uint32_t b = must_alloc(m, 1, GFP_KERNEL);
	assert_int_equal(b, 2);
	assert_nr_free(z, NR_FREE(1, 0, 1, 1, 0), ORDERS, "after B");
	assert_kinds(r, e, END, "alloc watermark take done");
	assert_event(r, e + 1, "watermark", "order=1 free=15 usable=14 ok=ok");
	assert_event(r, e + 2, "take", "pfn=2 order=1");

	e = r->n;
	uint32_t cc = must_alloc(m, 0, GFP_KERNEL);
	assert_int_equal(cc, 1);
	assert_nr_free(z, NR_FREE(0, 0, 1, 1, 0), ORDERS, "after C");
	assert_kinds(r, e, END, "alloc watermark take done");

	e = r->n;
	uint32_t d = must_alloc(m, 1, GFP_KERNEL);
	assert_int_equal(d, 4);
	assert_nr_free(z, NR_FREE(0, 1, 0, 1, 0), ORDERS, "after D");
	assert_kinds(r, e, END, "alloc watermark take split done");
	assert_event(r, e + 2, "take", "pfn=4 order=2");
	assert_event(r, e + 3, "split", "pfn=4 order=1 buddy=6");
	assert_free_list(m, z, 1, "6");

	e = r->n;
	must_free(m, b, 1);
	assert_nr_free(z, NR_FREE(0, 2, 0, 1, 0), ORDERS, "after free B");
	assert_kinds(r, e, END, "free put");
	assert_event(r, e, "free", "zone=DMA pfn=2 order=1");
	assert_event(r, e + 1, "put", "pfn=2 order=1 side=head");
	assert_free_list(m, z, 1, "2 6");

	e = r->n;
	must_free(m, d, 1);
	assert_nr_free(z, NR_FREE(0, 1, 1, 1, 0), ORDERS, "after free D");
	assert_kinds(r, e, END, "free merge put");
	assert_event(r, e + 1, "merge", "pfn=4 order=2 buddy=6");
	assert_event(r, e + 2, "put", "pfn=4 order=2 side=tail");
	assert_free_list(m, z, 1, "2");
	assert_free_list(m, z, 2, "4");

	e = r->n;
	must_free(m, a, 0);
	assert_nr_free(z, NR_FREE(1, 1, 1, 1, 0), ORDERS, "after free A");
	assert_kinds(r, e, END, "free put");
	assert_event(r, e + 1, "put", "pfn=0 order=0 side=tail");

	e = r->n;
	must_free(m, cc, 0);
	assert_nr_free(z, NR_FREE(0, 0, 0, 0, 1), ORDERS, "after free C");
	assert_kinds(r, e, END, "free merge merge merge merge put");
	assert_event(r, e, "free", "pfn=1 order=0");
	assert_event(r, e + 1, "merge", "pfn=0 order=1 buddy=0");
	assert_event(r, e + 2, "merge", "pfn=0 order=2 buddy=2");
	assert_event(r, e + 3, "merge", "pfn=0 order=3 buddy=4");
	assert_event(r, e + 4, "merge", "pfn=0 order=4 buddy=8");
	assert_event(r, e + 5, "put", "pfn=0 order=4 side=head");
	assert_free_list(m, z, 4, "0");
	assert_int_equal(z->free_pages, 16);
	drop(m, r);
}

/*
 * Tail placement puts a block behind the ones already listed, so the next
 * allocations use the others first.  64 frames, one order-6 block; 8 order-0
 * allocations take pfns 0..7 in turn (each split leaves the next pfn at the
 * head of order 0), leaving o3[8] o4[16] o5[32].
 *  free 1: buddy 0 allocated; 0^2=2 not a free o1: head      o0[1]
 *  free 2: buddy 3 allocated; 2^2=0 not a free o1: head      o0[2 1]
 *  free 4: buddy 5 allocated; 4^2=6 not free: head           o0[4 2 1]
 *  free 5: merge with 4 -> 4 o1; buddy 6 allocated; 4^4=0 is not a free o2:
 *          head                                              o1[4] o0[2 1]
 *  free 7: buddy 6 allocated; 6^2=4 is a free o1: tail       o0[2 1 7]
 *  free 6: merge with 7 -> 6 o1, with 4 -> 4 o2 (the merge events name the
 *          buddy absorbed: 7, then 4); 0^8=8 is a free o3: tail
 *                                                            o2[4] o0[2 1]
 *  alloc o0 then takes 2, the head, not 7 which was tail-placed.
 */
static void test_put_tail_goes_behind(void **state)
{
	(void)state;
	struct machine *m = tiny();
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(must_alloc(m, 0, GFP_KERNEL), i);
	assert_nr_free(z, NR_FREE(0, 0, 0, 1, 1, 1, 0), ORDERS, "after 8 allocations");
	struct recorder *r = new_recorder(m);

	must_free(m, 1, 0);
	must_free(m, 2, 0);
	must_free(m, 4, 0);
	assert_free_list(m, z, 0, "4 2 1");
	must_free(m, 5, 0);
	assert_free_list(m, z, 0, "2 1");
	assert_free_list(m, z, 1, "4");
	assert_event(r, r->n - 1, "put", "pfn=4 order=1 side=head");

	size_t e = r->n;
	must_free(m, 7, 0);
	assert_kinds(r, e, END, "free put");
	assert_event(r, e + 1, "put", "pfn=7 order=0 side=tail");
	assert_free_list(m, z, 0, "2 1 7");
	assert_int_equal(z->free_area[0].free_list[MIGRATE_MOVABLE].tail, 7);
	assert_int_equal(m->frames[7].prev, 1);

	e = r->n;
	must_free(m, 6, 0);
	assert_kinds(r, e, END, "free merge merge put");
	assert_event(r, e + 1, "merge", "pfn=6 order=1 buddy=7");
	assert_event(r, e + 2, "merge", "pfn=4 order=2 buddy=4");
	assert_event(r, e + 3, "put", "pfn=4 order=2 side=tail");
	assert_free_list(m, z, 0, "2 1");
	assert_free_list(m, z, 2, "4");

	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 2);
	drop(m, r);
}

/*
 * Lists of several blocks, head and tail puts mixed, drained by allocation:
 * __rmqueue_smallest takes the head of the smallest non-empty order, which
 * is neither the lowest pfn nor the block freed first.  64 frames; 32
 * order-0 allocations take 0..31 (o5[32] left).  Each put's side, by the
 * rule "tail when the pair's next-order buddy is a free block of that
 * order":
 *  free 0   buddy 1 used; 0^2=2 not a free o1: head          o0[0]
 *  free 3   buddy 2 used; 0 is free but order 0, not o1: head o0[3 0]
 *  free 6   buddy 7 used; 4 not a free o1: head              o0[6 3 0]
 *  free 7   merge 6 -> 6 o1; 4 o2 (0) not free: head         o1[6] o0[3 0]
 *  free 4   buddy 5 used; 6 is a free o1: tail               o0[3 0 4]
 *  free 9   buddy 8 used; 10 used: head                      o0[9 3 0 4]
 *  free 14  buddy 15 used; 12 used: head                     o0[14 9 3 0 4]
 *  free 15  merge 14 -> 14 o1; 8 o2 not free: head           o1[14 6] o0[9 3 0 4]
 *  free 13  buddy 12 used; 14 is a free o1: tail             o0[9 3 0 4 13]
 * Then order-0 requests take 9 3 0 4 13; with order 0 empty, the head of
 * order 1 (14, although 6 is lower) splits keeping 14, and 15 comes next;
 * then 6 splits: 6, 7; then order 5's 32 splits: 32.
 */
static void test_lists_of_several_blocks_drain_head_first(void **state)
{
	(void)state;
	struct machine *m = tiny();
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	for (uint32_t i = 0; i < 32; i++)
		assert_int_equal(must_alloc(m, 0, GFP_KERNEL), i);
	assert_free_list(m, z, 5, "32");
	struct recorder *r = new_recorder(m);
	static const uint32_t frees[] = {0, 3, 6, 7, 4, 9, 14, 15, 13};
	static const char *const sides[] = {"head", "head", "head", "head", "tail", "head", "head", "head", "tail"};
	for (size_t i = 0; i < sizeof frees / sizeof frees[0]; i++) {
		must_free(m, frees[i], 0);
		size_t put = find_kind(r, 0, EV_PUT);
		assert_true(put < r->n);
		char want[32];
		snprintf(want, sizeof want, "side=%s", sides[i]);
		assert_event(r, put, "put", want);
		recorder_clear(r);
	}
	assert_free_list(m, z, 0, "9 3 0 4 13");
	assert_free_list(m, z, 1, "14 6");
	assert_int_equal(z->free_area[0].free_list[MIGRATE_MOVABLE].tail, 13);
	static const uint32_t want[] = {9, 3, 0, 4, 13, 14, 15, 6, 7, 32};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		recorder_clear(r);
		uint32_t got = must_alloc(m, 0, GFP_KERNEL);
		if (got != want[i])
			fail_msg("order-0 request %zu took pfn %u, expected %u", i + 1, got, want[i]);
	}
	/* the last one split 32 down, keeping the lower half each time */
	assert_event(r, find_kind(r, 0, EV_TAKE), "take", "pfn=32 order=5");
	assert_free_list(m, z, 4, "48");
	assert_free_list(m, z, 0, "33");
	drop(m, r);
}

/*
 * buddy_merge_likely gives up when the block it would form is of the top
 * order (order >= max_order - 2): such a block never merges further.
 * 16 frames, max_order 3 (orders 0..2): four order-2 blocks 0, 4, 8, 12.
 * alloc o0 -> 0 (split: 2->o1, 1->o0), alloc o0 -> 1, alloc o1 -> 2.
 * free 2: buddy 0 is allocated; the block 0..3 would be order 2 = the top,
 * so head, although its buddy 4 is a free order-2 block.
 */
static void test_put_head_below_top_order(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(64 * KiB);
	c.max_order = 3;
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_free_list(m, z, 2, "0 4 8 12");
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 0);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 1);
	assert_int_equal(must_alloc(m, 1, GFP_KERNEL), 2);
	struct recorder *r = new_recorder(m);
	must_free(m, 2, 1);
	assert_kinds(r, 0, END, "free put");
	assert_event(r, 1, "put", "pfn=2 order=1 side=head");
	drop(m, r);
}

/* Merging stops at the top order: two free order-2 buddies stay apart when
 * there is no order 3. */
static void test_no_merge_beyond_top_order(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(64 * KiB);
	c.max_order = 3;
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_int_equal(must_alloc(m, 2, GFP_KERNEL), 0);
	struct recorder *r = new_recorder(m);
	must_free(m, 0, 2);
	assert_kinds(r, 0, END, "free put");
	assert_nr_free(z, NR_FREE(0, 0, 4), 3, "after free");
	drop(m, r);
}

/* Free buddies in different zones never merge: DMA 12K (pfns 0..2) and
 * Normal 52K (3..15) leave pfn 2 free in DMA and pfn 3 free in Normal. */
static void test_no_merge_across_zones(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(64 * KiB);
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 12 * KiB;
	c.zone_size[ZONE_NORMAL] = 52 * KiB;
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 3);
	struct recorder *r = new_recorder(m);
	must_free(m, 3, 0);
	assert_kinds(r, 0, END, "free put");
	assert_event(r, 1, "put", "zone=Normal pfn=3 order=0 side=head");
	assert_int_equal(frame_state(&m->frames[2]), FS_FREE);
	assert_int_equal(frame_order(&m->frames[2]), 0);
	drop(m, r);
}

/* ------------------------------------------------------------------ */
/* Zone fallback and gfp zone limits                                    */
/* ------------------------------------------------------------------ */

/* x86_64, 64M laid out as DMA 16M, DMA32 16M, Normal 32M. */
static struct machine *three_zones(void)
{
	struct mm_config c = config_textbook(64 * MiB);
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 16 * MiB;
	c.zone_size[ZONE_DMA32] = 16 * MiB;
	c.zone_size[ZONE_NORMAL] = 32 * MiB;
	return boot(&c);
}

static unsigned zone_type_of(const struct machine *m, uint32_t pfn)
{
	const struct zone *z = pfn_zone(m, pfn);
	assert_non_null(z);
	return z->type;
}

/*
 * GFP_KERNEL walks Normal, then DMA32, then DMA.  Frames: DMA [0,4096),
 * DMA32 [4096,8192), Normal [8192,16384), all order-10 blocks listed by pfn.
 * lowmem 16384 pages = 65536 KiB; min_free_kbytes = isqrt(65536*16) = 1024;
 * pages_min = 256.  Normal: tmp = 256*8192/16384 = 128, gap = max(32, 8) = 32,
 * low 160.  DMA32 and DMA: tmp = 64, gap = max(16, 4) = 16, low 80.
 * lowmem_reserve for a GFP_KERNEL request (highest = Normal): DMA32 8192/256
 * = 32, DMA (4096+8192)/256 = 48.
 * An order-10 request passes while free - 1023 > low + reserve:
 *   Normal 8192 -> 7 blocks (the 8th sees usable 1024-1023 = 1);
 *   DMA32 4096 -> 3 blocks; DMA 4096 -> 3 blocks; the 14th fails.
 */
static void test_kernel_falls_back_normal_dma32_dma(void **state)
{
	(void)state;
	struct machine *m = three_zones();
	struct recorder *r = new_recorder(m);
	static const unsigned want_zone[13] = {ZONE_NORMAL, ZONE_NORMAL, ZONE_NORMAL, ZONE_NORMAL, ZONE_NORMAL,
					       ZONE_NORMAL, ZONE_NORMAL, ZONE_DMA32, ZONE_DMA32, ZONE_DMA32,
					       ZONE_DMA, ZONE_DMA, ZONE_DMA};
	static const uint32_t want_pfn[13] = {8192, 9216, 10240, 11264, 12288, 13312, 14336,
					      4096, 5120, 6144, 0, 1024, 2048};
	size_t start[13];
	for (unsigned i = 0; i < 13; i++) {
		start[i] = r->n;
		uint32_t pfn = must_alloc(m, 10, GFP_KERNEL);
		assert_int_equal(pfn, want_pfn[i]);
		assert_int_equal(zone_type_of(m, pfn), want_zone[i]);
	}
	/* The first request needs no fallback at all. */
	assert_kinds(r, start[0], start[1], "alloc watermark take done");
	/* The 8th: Normal refuses, DMA32 serves. */
	size_t e = start[7];
	assert_kinds(r, e, start[8], "alloc watermark fallback watermark take done");
	assert_event(r, e + 1, "watermark",
		     "zone=Normal order=10 free=1024 usable=1 wmark=low mark=160 reserve=0 ok=fail");
	assert_event(r, e + 2, "fallback", "from=Normal to=DMA32 order=10");
	assert_event(r, e + 3, "watermark", "zone=DMA32 free=4096 usable=3073 mark=80 reserve=32 ok=ok");
	/* The 11th: on to DMA, which keeps 48 pages back from GFP_KERNEL. */
	e = start[10];
	assert_kinds(r, e, start[11], "alloc watermark fallback watermark fallback watermark take done");
	assert_event(r, e + 4, "fallback", "from=DMA32 to=DMA order=10");
	assert_event(r, e + 5, "watermark", "zone=DMA free=4096 mark=80 reserve=48 ok=ok");

	/* The 14th: both walks fail in every zone; kswapd is woken, direct
	 * reclaim finds nothing to reclaim, compaction after it is skipped
	 * again, and order 10 is costly: no retry
	 * and no OOM killer; kswapd runs once the allocation is over. */
	e = r->n;
	uint32_t pfn = 0;
	assert_int_equal(alloc_pages(m, 10, GFP_KERNEL, -1, &pfn), MM_NOMEM);
	assert_int_equal(pfn, PFN_NONE);
	assert_kinds(r, e, END,
		     "alloc watermark fallback watermark fallback watermark wakeup_kswapd slowpath "
		     "watermark fallback watermark fallback watermark "
		     "direct_compact compaction_suitable compaction_suitable compaction_suitable "
		     "try_to_free_pages watermark fallback watermark fallback watermark "
		     "direct_compact compaction_suitable compaction_suitable compaction_suitable fail "
		     "balance_pgdat kswapd_sleep");
	/* kswapd woken, direct compaction first (a costly order), then one
	 * direct reclaim with nothing to reclaim; no retry for a costly order;
	 * kswapd runs once the allocation is over */
	assert_event(r, e + 8, "watermark", "zone=Normal wmark=min mark=128 ok=fail");
	assert_event(r, e + 14, "compaction_suitable", "zone=Normal order=10 result=skipped");
	assert_event(r, e + 27, "fail", "order=10 reason=watermark");
	assert_string_equal(m->reason, "out of memory: every zone GFP_KERNEL may use is below its watermark");
	drop(m, r);
}

/* The default x86_64 64M machine has no Normal memory: GFP_KERNEL starts in
 * DMA32 (frames 4096..16383) with no fallback event for the empty Normal. */
static void test_kernel_skips_empty_normal(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
	assert_false(zone_populated(machine_zone(m, 0, ZONE_NORMAL)));
	struct recorder *r = new_recorder(m);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 4096);
	assert_kinds(r, 0, 2, "alloc watermark");
	assert_event(r, 1, "watermark", "zone=DMA32");
	assert_int_equal(find_kind(r, 0, EV_FALLBACK), r->n);
	drop(m, r);
}

/*
 * GFP_DMA may only use ZONE_DMA.  Default 64M machine: DMA [0,4096), DMA32
 * [4096,16384).  DMA's low mark is 80 (tmp = 256*4096/16384 = 64, gap =
 * max(16, 4)), min 64, and a GFP_DMA request's highest zone is DMA itself, so
 * no lowmem_reserve applies: three order-10 blocks fit (0, 1024, 2048); the
 * fourth sees usable 1 and fails although DMA32 has 12288 free pages.
 */
static void test_gfp_dma_confined_to_dma(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
	struct recorder *r = new_recorder(m);
	const uint32_t gfp = GFP_KERNEL | GFP_DMA;
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(must_alloc(m, 10, gfp), i * 1024);
	size_t e = r->n;
	uint32_t pfn = 0;
	assert_int_equal(alloc_pages(m, 10, gfp, -1, &pfn), MM_NOMEM);
	assert_int_equal(pfn, PFN_NONE);
	/* a costly order: direct compaction, which the watermark rules out */
	assert_kinds(r, e, END,
		     "alloc watermark wakeup_kswapd slowpath watermark direct_compact compaction_suitable "
		     "try_to_free_pages watermark direct_compact compaction_suitable fail balance_pgdat kswapd_sleep");
	assert_event(r, e + 1, "watermark", "zone=DMA usable=1 wmark=low mark=80 reserve=0 ok=fail");
	assert_event(r, e + 2, "wakeup_kswapd", "node=0 order=10 zone=DMA");
	assert_event(r, e + 4, "watermark", "zone=DMA usable=1 wmark=min mark=64 reserve=0 ok=fail");
	assert_event(r, e + 6, "compaction_suitable", "zone=DMA order=10 result=skipped");
	assert_event(r, e + 11, "fail", "order=10 reason=watermark");
	assert_string_equal(m->reason,
			    "out of memory: every zone GFP_KERNEL|GFP_DMA may use is below its watermark");
	/* No event of any of the four requests looked beyond DMA. */
	for (size_t i = 0; i < r->n; i++) {
		assert_int_not_equal(r->ev[i].kind, EV_FALLBACK);
		if (r->ev[i].kind == EV_WATERMARK)
			assert_int_equal(ev_get(&r->ev[i], "zone"), ZONE_DMA);
	}
	assert_int_equal(machine_zone(m, 0, ZONE_DMA32)->free_pages, 12288);
	drop(m, r);
}

/*
 * GFP_DMA32 uses DMA32 then DMA, never Normal.  Three-zone layout: DMA32's
 * low is 80 with no reserve against itself -> 3 order-10 blocks (4096, 5120,
 * 6144); then DMA with low 80 + lowmem_reserve[DMA32] = 4096/256 = 16 -> 3
 * more (0, 1024, 2048); the 7th fails with Normal untouched.
 */
static void test_gfp_dma32_uses_dma32_then_dma(void **state)
{
	(void)state;
	struct machine *m = three_zones();
	struct recorder *r = new_recorder(m);
	const uint32_t gfp = GFP_KERNEL | GFP_DMA32;
	static const uint32_t want[6] = {4096, 5120, 6144, 0, 1024, 2048};
	size_t e = 0;
	for (unsigned i = 0; i < 6; i++) {
		e = r->n;
		assert_int_equal(must_alloc(m, 10, gfp), want[i]);
	}
	assert_event(r, e + 1, "watermark", "zone=DMA32 ok=fail");
	assert_event(r, e + 2, "fallback", "from=DMA32 to=DMA");
	assert_event(r, e + 3, "watermark", "zone=DMA reserve=16 ok=ok");
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 10, gfp, -1, &pfn), MM_NOMEM);
	for (size_t i = 0; i < r->n; i++)
		if (r->ev[i].kind == EV_WATERMARK)
			assert_int_not_equal(ev_get(&r->ev[i], "zone"), ZONE_NORMAL);
	assert_int_equal(machine_zone(m, 0, ZONE_NORMAL)->free_pages, 8192);
	drop(m, r);
}

/*
 * 32-bit x86 with 1G: DMA [0,4096), Normal [4096,229376) (up to 896M),
 * HighMem [229376,262144) = 32768 frames.  GFP_HIGHUSER starts in HighMem,
 * GFP_KERNEL in Normal.  HighMem watermarks: lowmem 229376 pages = 917504 KiB,
 * min_free_kbytes = isqrt(14680064) = 3831, pages_min = 957; HighMem tmp =
 * 957*32768/229376 = 136, min = clamp(32768/1024, 32, 128) = 32, gap =
 * max(34, 32) = 34, low 66.  Order-10 GFP_HIGHUSER: 31 blocks from HighMem,
 * then the 32nd falls back to Normal, where lowmem_reserve[HighMem] =
 * 32768/32 = 1024.
 */
static void test_highuser_uses_highmem_on_x86(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(1 * GiB);
	c.arch = arch_by_name("x86");
	struct machine *m = boot(&c);
	assert_int_equal(machine_zone(m, 0, ZONE_HIGHMEM)->start_pfn, 229376);
	struct recorder *r = new_recorder(m);
	uint32_t hi = must_alloc(m, 0, GFP_HIGHUSER);
	assert_int_equal(hi, 229376);
	assert_event(r, 1, "watermark", "zone=HighMem");
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 4096);
	must_free(m, hi, 0);

	for (uint32_t i = 0; i < 31; i++)
		assert_int_equal(must_alloc(m, 10, GFP_HIGHUSER), 229376 + 1024 * i);
	size_t e = r->n;
	/* 4096 went to the GFP_KERNEL page: the next Normal order-10 block. */
	assert_int_equal(must_alloc(m, 10, GFP_HIGHUSER), 5120);
	assert_kinds(r, e, END, "alloc watermark fallback watermark take done");
	assert_event(r, e + 1, "watermark", "zone=HighMem usable=1 mark=66 ok=fail");
	assert_event(r, e + 2, "fallback", "from=HighMem to=Normal order=10");
	assert_event(r, e + 3, "watermark", "zone=Normal reserve=1024 ok=ok");
	drop(m, r);
}

/* x86_64 has no HighMem: GFP_HIGHUSER is served like GFP_KERNEL. */
static void test_highuser_without_highmem(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
	struct recorder *r = new_recorder(m);
	assert_int_equal(must_alloc(m, 0, GFP_HIGHUSER), 4096);
	assert_event(r, 1, "watermark", "zone=DMA32");
	drop(m, r);
}

/*
 * Two nodes, all memory Normal: node 0 [0,8192), node 1 [8192,16384).
 * lowmem 16384 pages -> pages_min 256; each Normal: tmp 128, gap 32, low 160,
 * so 7 order-10 blocks fit on a node and the 8th falls to the other node.
 */
static struct machine *two_nodes(void)
{
	struct mm_config c = config_textbook(64 * MiB);
	c.nodes = 2;
	c.zones_given = true;
	c.zone_size[ZONE_NORMAL] = 64 * MiB;
	return boot(&c);
}

static void test_numa_local_node_first(void **state)
{
	(void)state;
	struct machine *m = two_nodes();
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, -1, &pfn), MM_OK);
	assert_int_equal(pfn, 0);
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, 1, &pfn), MM_OK);
	assert_int_equal(pfn, 8192);
	assert_int_equal(pfn_zone(m, pfn)->node, 1);
	machine_free(m);
}

static void test_numa_falls_back_to_other_node(void **state)
{
	(void)state;
	struct machine *m = two_nodes();
	struct recorder *r = new_recorder(m);
	uint32_t pfn;
	for (uint32_t i = 0; i < 7; i++) {
		assert_int_equal(alloc_pages(m, 10, GFP_KERNEL, -1, &pfn), MM_OK);
		assert_int_equal(pfn, 1024 * i);
	}
	size_t e = r->n;
	assert_int_equal(alloc_pages(m, 10, GFP_KERNEL, -1, &pfn), MM_OK);
	assert_int_equal(pfn, 8192);
	assert_kinds(r, e, END, "alloc watermark fallback watermark take done");
	assert_event(r, e, "alloc", "node=0");
	assert_event(r, e + 2, "fallback", "from=Normal to=node1/Normal");
	drop(m, r);
}

/* From node 1 the walk is node 1, then node 0. */
static void test_numa_node1_walks_node1_then_node0(void **state)
{
	(void)state;
	struct machine *m = two_nodes();
	struct recorder *r = new_recorder(m);
	uint32_t pfn;
	for (uint32_t i = 0; i < 7; i++) {
		assert_int_equal(alloc_pages(m, 10, GFP_KERNEL, 1, &pfn), MM_OK);
		assert_int_equal(pfn, 8192 + 1024 * i);
	}
	size_t e = r->n;
	assert_int_equal(alloc_pages(m, 10, GFP_KERNEL, 1, &pfn), MM_OK);
	assert_int_equal(pfn, 0);
	assert_event(r, e, "alloc", "node=1");
	assert_event(r, e + 1, "watermark", "zone=node1/Normal ok=fail");
	assert_event(r, e + 2, "fallback", "from=node1/Normal to=Normal");
	drop(m, r);
}

/*
 * Three nodes: the zonelist of node 1 is node 1, node 2, node 0 (the nodes
 * after the local one, wrapping).  96M all Normal, 8192 frames a node;
 * lowmem 24576 pages = 98304 KiB, min_free_kbytes = isqrt(1572864) = 1254,
 * pages_min = 313; each zone: tmp = 313*8192/24576 = 104, gap = max(26, 8)
 * = 26, low 130, so 7 order-10 blocks a node, then the next node.
 */
static void test_numa_zonelist_wraps_after_local(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(96 * MiB);
	c.nodes = 3;
	c.zones_given = true;
	c.zone_size[ZONE_NORMAL] = 96 * MiB;
	struct machine *m = boot(&c);
	assert_int_equal(machine_zone(m, 1, ZONE_NORMAL)->wmark[WMARK_LOW], 130);
	struct recorder *r = new_recorder(m);
	static const unsigned want_node[21] = {1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0};
	uint32_t pfn;
	for (unsigned i = 0; i < 21; i++) {
		assert_int_equal(alloc_pages(m, 10, GFP_KERNEL, 1, &pfn), MM_OK);
		assert_int_equal(pfn_zone(m, pfn)->node, want_node[i]);
	}
	size_t e = r->n;
	assert_int_equal(alloc_pages(m, 10, GFP_KERNEL, 1, &pfn), MM_NOMEM);
	/* every node below low: each node's kswapd is woken, in zonelist order */
	assert_kinds(r, e, e + 10,
		     "alloc watermark fallback watermark fallback watermark wakeup_kswapd wakeup_kswapd "
		     "wakeup_kswapd slowpath");
	assert_event(r, e + 6, "wakeup_kswapd", "node=1");
	assert_event(r, e + 7, "wakeup_kswapd", "node=2");
	assert_event(r, e + 8, "wakeup_kswapd", "node=0");
	assert_event(r, e + 1, "watermark", "zone=node1/Normal");
	assert_event(r, e + 3, "watermark", "zone=node2/Normal");
	assert_event(r, e + 5, "watermark", "zone=node0/Normal");
	drop(m, r);
}

/* ------------------------------------------------------------------ */
/* The watermark check                                                  */
/* ------------------------------------------------------------------ */

/*
 * One zone, Normal, of 4M = 1024 frames, min_free_kbytes 400: pages_min =
 * 400K/4K = 100, tmp = 100*1024/1024 = 100, gap = max(25, 1024*10/10000 = 1)
 * = 25: min 100, low 125, high 150; no lowmem_reserve (nothing above Normal).
 * Marks for the slow path: __GFP_HIGH uses min - min/2 = 50; a request that
 * cannot block (no __GFP_DIRECT_RECLAIM) with __GFP_HIGH, as GFP_ATOMIC, a
 * further quarter: 50 - 50/4 = 38.  GFP_NOWAIT cannot block but lacks
 * __GFP_HIGH: it keeps min = 100.
 */
static struct machine *one_normal_zone(struct zone **z)
{
	struct mm_config c = config_textbook(4 * MiB);
	c.zones_given = true;
	c.zone_size[ZONE_NORMAL] = 4 * MiB;
	c.min_free_kbytes = 400;
	struct machine *m = boot(&c);
	*z = machine_zone(m, 0, ZONE_NORMAL);
	assert_int_equal((*z)->wmark[WMARK_MIN], 100);
	assert_int_equal((*z)->wmark[WMARK_LOW], 125);
	assert_int_equal((*z)->wmark[WMARK_HIGH], 150);
	return m;
}

/* Allocate single pages (GFP_ATOMIC reaches lowest) until free == target. */
static void drain_to(struct machine *m, const struct zone *z, uint32_t target)
{
	while (z->free_pages > target)
		must_alloc(m, 0, GFP_ATOMIC);
	assert_int_equal(z->free_pages, target);
}

/* The first allocation that fails at a mark, and the last that passes it.
 * Draining woke kswapd more than MAX_RECLAIM_RETRIES times for nothing
 * (no page is reclaimable): the node is hopeless and it is not woken any
 * more.  A request that may block then reclaims directly, for nothing. */
static void expect_slow_path_mark(uint32_t gfp, uint32_t mark)
{
	struct zone *z;
	struct machine *m = one_normal_zone(&z);
	drain_to(m, z, mark + 1);
	struct recorder *r = new_recorder(m);
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 0, gfp, -1, &pfn), MM_OK);
	assert_kinds(r, 0, 4, "alloc watermark slowpath watermark");
	char want[64];
	snprintf(want, sizeof want, "free=%u wmark=min mark=%u ok=ok", mark + 1, mark);
	assert_event(r, 3, "watermark", want);

	recorder_clear(r);
	assert_int_equal(alloc_pages(m, 0, gfp, -1, &pfn), MM_NOMEM);
	bool direct = gfp & __GFP_DIRECT_RECLAIM;
	assert_kinds(r, 0, END,
		     direct ? "alloc watermark slowpath watermark try_to_free_pages watermark should_reclaim_retry fail"
			    : "alloc watermark slowpath watermark fail");
	snprintf(want, sizeof want, "free=%u wmark=min mark=%u ok=fail", mark, mark);
	assert_event(r, 3, "watermark", want);
	assert_event(r, direct ? 7 : 4, "fail", direct ? "reason=reclaim-failed" : "reason=watermark");
	assert_int_equal(node_lruvec(m, 0)->kswapd_failures, MAX_RECLAIM_RETRIES);
	drop(m, r);
}

/* GFP_KERNEL: the fast path stops at low (125); the slow path goes on to
 * min (100), announcing itself. */
static void test_kernel_low_in_fast_path_min_in_slow_path(void **state)
{
	(void)state;
	struct zone *z;
	struct machine *m = one_normal_zone(&z);
	drain_to(m, z, 126);
	struct recorder *r = new_recorder(m);
	must_alloc(m, 0, GFP_KERNEL);
	assert_kinds(r, 0, 2, "alloc watermark");
	assert_event(r, 1, "watermark", "free=126 usable=126 wmark=low mark=125 ok=ok");
	assert_int_equal(find_kind(r, 0, EV_SLOWPATH), r->n);

	recorder_clear(r);
	must_alloc(m, 0, GFP_KERNEL);
	assert_kinds(r, 0, 5, "alloc watermark wakeup_kswapd slowpath watermark");
	assert_event(r, 1, "watermark", "free=125 wmark=low mark=125 ok=fail");
	assert_event(r, 3, "slowpath", "order=0");
	assert_event(r, 4, "watermark", "free=125 wmark=min mark=100 ok=ok");
	drop(m, r);
	expect_slow_path_mark(GFP_KERNEL, 100);
}

static void test_high_priority_uses_half_of_min(void **state)
{
	(void)state;
	expect_slow_path_mark(GFP_KERNEL | __GFP_HIGH, 50);
}

static void test_atomic_goes_below_min(void **state)
{
	(void)state;
	expect_slow_path_mark(GFP_ATOMIC, 38);
}

static void test_nowait_stops_at_min(void **state)
{
	(void)state;
	expect_slow_path_mark(GFP_NOWAIT, 100);
}

/* An order-n request counts only free pages that could serve it: free less
 * 2^n - 1.  At 130 free an order-3 request sees 123 <= 125 in the fast path. */
static void test_order_discounts_unusable_pages(void **state)
{
	(void)state;
	struct zone *z;
	struct machine *m = one_normal_zone(&z);
	drain_to(m, z, 130);
	struct recorder *r = new_recorder(m);
	must_alloc(m, 3, GFP_KERNEL);
	assert_event(r, 1, "watermark", "order=3 free=130 usable=123 wmark=low mark=125 ok=fail");
	assert_event(r, 4, "watermark", "order=3 free=130 usable=123 wmark=min mark=100 ok=ok");
	drop(m, r);
}

/*
 * Enough free pages but no block of the order: "fragmented".  All 64 frames
 * of the tiny machine allocated one by one, then every even pfn freed: 32
 * free order-0 blocks whose buddies are all allocated.
 */
static void test_nomem_fragmented(void **state)
{
	(void)state;
	struct machine *m = tiny();
	for (uint32_t i = 0; i < 64; i++)
		assert_int_equal(must_alloc(m, 0, GFP_KERNEL), i);
	for (uint32_t i = 0; i < 64; i += 2)
		must_free(m, i, 0);
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_nr_free(z, NR_FREE(32), ORDERS, "after freeing the even pfns");
	struct recorder *r = new_recorder(m);
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 1, GFP_KERNEL, -1, &pfn), MM_NOMEM);
	/* order 1, not movable: direct compaction first, which finds nothing
	 * to move (kernel pages) */
	/* then reclaim, which cannot help: no zone has an order-1 block;
	 * compaction again (sync_light), no better */
	assert_kinds(r, 0, END,
		     "alloc watermark wakeup_kswapd slowpath watermark direct_compact compaction_suitable compact_zone "
		     "compact_finished watermark try_to_free_pages watermark direct_compact compaction_suitable "
		     "compact_zone compact_finished watermark should_reclaim_retry fail balance_pgdat kswapd_sleep");
	assert_event(r, 1, "watermark", "free=32 usable=31 ok=fail");
	assert_event(r, 17, "should_reclaim_retry", "order=1 loops=1 retry=stop");
	assert_event(r, 18, "fail", "order=1 reason=fragmented");
	assert_string_equal(m->reason,
			    "fragmented: no free block of order 1 or more in a zone above its watermark");
	drop(m, r);
}

/* Running out of memory is not an error, and changes no memory: its steps
 * are recorded, frames and zones stay as they were; only reclaim's
 * counters (allocstall, kswapd's failed runs) moved. */
static void test_nomem_changes_no_state(void **state)
{
	(void)state;
	struct machine *m = tiny();
	struct frame frames[64];
	struct zone zones[MAX_NR_ZONES];
	memcpy(frames, m->frames, sizeof frames);
	memcpy(zones, m->zones, sizeof zones);
	uint32_t steps = m->j.nsteps;
	uint32_t pfn = 0;
	/* 64 frames hold no order-7 block. */
	assert_int_equal(m->nr_frames, 64);
	assert_int_equal(alloc_pages(m, 7, GFP_KERNEL, -1, &pfn), MM_NOMEM);
	assert_int_equal(pfn, PFN_NONE);
	assert_memory_equal(frames, m->frames, sizeof frames);
	assert_memory_equal(zones, m->zones, sizeof zones);
	assert_int_equal(vmscan_root(m)->ev.allocstall[ZONE_NORMAL], 1);
	assert_true(m->j.nsteps > steps);
	assert_string_equal(m->error, "");
	machine_free(m);
}

/* No populated zone the request may use: GFP_DMA when the layout gives
 * ZONE_DMA nothing. */
static void test_nomem_no_zone(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(64 * MiB);
	c.zones_given = true;
	c.zone_size[ZONE_NORMAL] = 64 * MiB;
	struct machine *m = boot(&c);
	struct recorder *r = new_recorder(m);
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL | GFP_DMA, -1, &pfn), MM_NOMEM);
	assert_kinds(r, 0, END, "alloc fail");
	assert_event(r, 1, "fail", "reason=no-zone");
	assert_string_equal(m->reason, "no populated zone can serve GFP_KERNEL|GFP_DMA");
	drop(m, r);
}

/* ------------------------------------------------------------------ */
/* Rejected calls: MM_EINVAL, a message, and nothing changed            */
/* ------------------------------------------------------------------ */

/* The tiny machine with a recorder: a rejected call must add no event. */
struct fixture {
	struct machine *m;
	struct recorder *r;
	struct snapshot before;
};

static struct fixture fixture(struct machine *m)
{
	struct fixture f = {.m = m, .r = new_recorder(m)};
	return f;
}

/* Remember the state just before the call that must be rejected. */
static void arm(struct fixture *f)
{
	f->m->error[0] = 0;
	f->before = snap(f->m, f->r);
}

static void expect_rejected(struct fixture *f, int rc, const char *message)
{
	assert_int_equal(rc, MM_EINVAL);
	assert_string_equal(f->m->error, message);
	assert_unchanged(f->m, f->r, &f->before);
	assert_machine_ok(f->m);
}

/* The step number of the last event of a kind. */
static uint32_t last_step_of(const struct recorder *r, enum ev_kind kind)
{
	for (size_t i = r->n; i-- > 0;)
		if (r->ev[i].kind == kind)
			return r->ev[i].step;
	fail_msg("no %s event", ev_kinds[kind].name);
	return 0;
}

static void test_double_free_names_the_step(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	uint32_t a = must_alloc(f.m, 0, GFP_KERNEL), b = must_alloc(f.m, 0, GFP_KERNEL);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	must_free(f.m, a, 0);
	uint32_t freed_a = last_step_of(f.r, EV_FREE);
	char want[128];

	/* a is now a free order-0 head (its buddy b is allocated). */
	arm(&f);
	snprintf(want, sizeof want, "double free: the block at pfn 0x0 was freed at step %u", freed_a);
	expect_rejected(&f, free_pages(f.m, a, -1), want);

	/* After b's free merged it into a larger block, b is a tail. */
	must_free(f.m, b, 0);
	uint32_t freed_b = last_step_of(f.r, EV_FREE);
	assert_int_equal(f.m->frames[b].info, frame_info(FS_TAIL, 0));
	arm(&f);
	snprintf(want, sizeof want, "double free: the block at pfn 0x1 was freed at step %u", freed_b);
	expect_rejected(&f, free_pages(f.m, b, 0), want);
	drop(f.m, f.r);
}

/* An allocated order-2 block at 0: pfn 1 is inside it, not a head. */
static void test_free_of_a_tail(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	assert_int_equal(must_alloc(f.m, 2, GFP_KERNEL), 0);
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 1, -1),
			"pfn 0x1 is not the head of a block: it is inside the allocated order-2 block at 0x0");
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 3, 0),
			"pfn 0x3 is not the head of a block: it is inside the allocated order-2 block at 0x0");
	drop(f.m, f.r);
}

/*
 * A tail whose frame was once freed as a head of its own.  pfn 1 is
 * allocated, freed (merging back into the whole 64-frame block), then the
 * order-1 block at 0 is allocated: pfn 1 is its tail.  Freeing pfn 1 is a
 * tail free, not a double free: the block at 0x1 no longer exists, and the
 * step named would be one whose free was long since undone by allocation.
 */
static void test_free_of_a_tail_once_freed(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	assert_int_equal(must_alloc(f.m, 0, GFP_KERNEL), 0);
	assert_int_equal(must_alloc(f.m, 0, GFP_KERNEL), 1);
	must_free(f.m, 1, 0);
	must_free(f.m, 0, 0);
	assert_int_equal(must_alloc(f.m, 1, GFP_KERNEL), 0);
	arm(&f);
	int rc = free_pages(f.m, 1, -1);
	char message[sizeof f.m->error];
	memcpy(message, f.m->error, sizeof message);
	assert_unchanged(f.m, f.r, &f.before);
	drop(f.m, f.r); /* before the assertion that fails while the bug lasts */
	assert_int_equal(rc, MM_EINVAL);
	assert_string_equal(message,
			    "pfn 0x1 is not the head of a block: it is inside the allocated order-1 block at 0x0");
}

/* Free memory never allocated: after one order-0 allocation the tiny
 * machine holds free blocks 1 (o0), 2 (o1), 4, 8, 16 and 32 (o5). */
static void test_free_of_free_memory(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	assert_int_equal(must_alloc(f.m, 0, GFP_KERNEL), 0);
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 32, -1),
			"pfn 0x20 is free memory (in the order-5 free block at 0x20), not an allocated block");
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 33, 0),
			"pfn 0x21 is free memory (in the order-5 free block at 0x20), not an allocated block");
	drop(f.m, f.r);
}

/* c.reserved keeps the first 16K (pfns 0..3) from the buddy allocator. */
static void test_free_of_reserved_memory(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(256 * KiB);
	c.min_free_kbytes = 0;
	c.reserved = 16 * KiB;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	assert_int_equal(machine_zone(m, 0, ZONE_DMA)->managed, 60);
	struct fixture f = fixture(m);
	/* The first allocation comes from above the reserved range: blocks
	 * 4 (o2), 8, 16, 32 (o5) were freed at boot; o2 is the smallest. */
	assert_int_equal(must_alloc(f.m, 0, GFP_KERNEL), 4);
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 2, -1),
			"pfn 0x2 is reserved memory, never given to the page allocator");
	drop(f.m, f.r);
}

static void test_free_with_the_wrong_order(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	assert_int_equal(must_alloc(f.m, 1, GFP_KERNEL), 0);
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 0, 0),
			"order mismatch: the block at pfn 0x0 has order 1, freed as order 0");
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 0, 2),
			"order mismatch: the block at pfn 0x0 has order 1, freed as order 2");
	/* The right order, or -1 for "its own", is accepted. */
	must_free(f.m, 0, 1);
	drop(f.m, f.r);
}

static void test_order_out_of_range(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	uint32_t pfn = 1234;
	arm(&f);
	expect_rejected(&f, alloc_pages(f.m, 11, GFP_KERNEL, -1, &pfn),
			"order 11 is out of range: this machine has orders 0..10");
	arm(&f);
	expect_rejected(&f, alloc_pages(f.m, UINT32_MAX, GFP_KERNEL, -1, &pfn),
			"order 4294967295 is out of range: this machine has orders 0..10");
	assert_int_equal(must_alloc(f.m, 0, GFP_KERNEL), 0);
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 0, 11), "order 11 is out of range: this machine has orders 0..10");
	drop(f.m, f.r);
}

static void test_free_outside_memory(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	arm(&f);
	expect_rejected(&f, free_pages(f.m, 64, -1), "pfn 0x40 is outside memory (pfns 0x0..0x3f)");
	arm(&f);
	expect_rejected(&f, free_pages(f.m, PFN_NONE, 0), "pfn 0xffffffff is outside memory (pfns 0x0..0x3f)");
	drop(f.m, f.r);
}

static void test_alloc_on_a_missing_node(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	uint32_t pfn;
	arm(&f);
	expect_rejected(&f, alloc_pages(f.m, 0, GFP_KERNEL, 1, &pfn),
			"node 1 does not exist: this machine has nodes 0..0");
	drop(f.m, f.r);
}

static void test_alloc_with_two_zone_modifiers(void **state)
{
	(void)state;
	struct fixture f = fixture(tiny());
	uint32_t pfn;
	arm(&f);
	expect_rejected(&f, alloc_pages(f.m, 0, GFP_KERNEL | __GFP_DMA | __GFP_DMA32, -1, &pfn),
			"gfp GFP_KERNEL|GFP_DMA32|GFP_DMA asks for two zone types at once");
	arm(&f);
	expect_rejected(&f, alloc_pages(f.m, 0, GFP_KERNEL | __GFP_DMA | __GFP_HIGHMEM, -1, &pfn),
			"gfp GFP_KERNEL|GFP_DMA|__GFP_HIGHMEM asks for two zone types at once");
	drop(f.m, f.r);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_classic_split_merge),
	cmocka_unit_test(test_put_tail_goes_behind),
	cmocka_unit_test(test_lists_of_several_blocks_drain_head_first),
	cmocka_unit_test(test_put_head_below_top_order),
	cmocka_unit_test(test_no_merge_beyond_top_order),
	cmocka_unit_test(test_no_merge_across_zones),
	cmocka_unit_test(test_kernel_falls_back_normal_dma32_dma),
	cmocka_unit_test(test_kernel_skips_empty_normal),
	cmocka_unit_test(test_gfp_dma_confined_to_dma),
	cmocka_unit_test(test_gfp_dma32_uses_dma32_then_dma),
	cmocka_unit_test(test_highuser_uses_highmem_on_x86),
	cmocka_unit_test(test_highuser_without_highmem),
	cmocka_unit_test(test_numa_local_node_first),
	cmocka_unit_test(test_numa_falls_back_to_other_node),
	cmocka_unit_test(test_numa_node1_walks_node1_then_node0),
	cmocka_unit_test(test_numa_zonelist_wraps_after_local),
	cmocka_unit_test(test_kernel_low_in_fast_path_min_in_slow_path),
	cmocka_unit_test(test_high_priority_uses_half_of_min),
	cmocka_unit_test(test_atomic_goes_below_min),
	cmocka_unit_test(test_nowait_stops_at_min),
	cmocka_unit_test(test_order_discounts_unusable_pages),
	cmocka_unit_test(test_nomem_fragmented),
	cmocka_unit_test(test_nomem_changes_no_state),
	cmocka_unit_test(test_nomem_no_zone),
	cmocka_unit_test(test_double_free_names_the_step),
	cmocka_unit_test(test_free_of_a_tail),
	cmocka_unit_test(test_free_of_a_tail_once_freed),
	cmocka_unit_test(test_free_of_free_memory),
	cmocka_unit_test(test_free_of_reserved_memory),
	cmocka_unit_test(test_free_with_the_wrong_order),
	cmocka_unit_test(test_order_out_of_range),
	cmocka_unit_test(test_free_outside_memory),
	cmocka_unit_test(test_alloc_on_a_missing_node),
	cmocka_unit_test(test_alloc_with_two_zone_modifiers),
};

int main(void)
{
	return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}
