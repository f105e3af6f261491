/*
 * src/mm/pageblock.c and the migrate-type paths of page_alloc.c: pageblock
 * orders, boot types, 6.18's claim and steal decisions, merging across
 * pageblocks, ALLOC_NOFRAGMENT, /proc/pagetypeinfo.  Every expected pfn and
 * count is worked out by hand from the kernel's rules (comments say how).
 *
 * The 16M machine: 4096 frames of 4K, all ZONE_DMA (id 0), pageblock_order
 * 9, four order-10 free blocks at boot (fewer than pageblock_nr_pages *
 * MIGRATE_TYPES = 2560 frames would disable grouping, as the kernel does).
 * Three order-10 movable allocations take 0, 0x400, 0x800 (the list's head
 * first) and leave one block, B = 0xc00: its two pageblocks B and B + 0x200.
 */
#define B 0xc00u
#include <string.h>

#include "helpers.h"
#include "mm/pageblock.h"
#include "mm/proc.h"

static struct machine *one_block(struct recorder *r)
{
	struct mm_config c = config_mem(16 * MiB);
	c.min_free_kbytes = 0;
	c.migratetypes = true;
	c.pcp = false; /* frees reach the buddy at once: the merges are the subject */
	struct machine *m = boot(&c);
	machine_journal(m, true);
	r->keep = r->check = true;
	recorder_attach(m, r);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(must_alloc(m, 10, GFP_HIGHUSER_MOVABLE), i * 0x400);
	recorder_clear(r);
	return m;
}

static void drop(struct machine *m, struct recorder *r)
{
	assert_machine_ok(m);
	machine_free(m);
	recorder_free(r);
}

static const char *mt_of(const struct machine *m, uint32_t pfn)
{
	return migratetype_names[get_pageblock_migratetype(m, pfn)];
}

static void test_pageblock_order_per_arch(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	assert_int_equal(pageblock_order_for(&c, 12), 9); /* x86_64: a PMD maps 2M */
	c.arch = arch_by_name("x86");
	assert_int_equal(pageblock_order_for(&c, 12), 10); /* 2-level: a PGD entry maps 4M */
	c.arch = arch_by_name("x86_pae");
	assert_int_equal(pageblock_order_for(&c, 12), 9);
	c.arch = arch_by_name("arm64");
	assert_int_equal(pageblock_order_for(&c, 12), 9);
	c.max_order = 5; /* never above max_order - 1 */
	assert_int_equal(pageblock_order_for(&c, 12), 4);
	c.arch = arch_by_name("x86_64");
	c.max_order = 11;
	assert_int_equal(pageblock_order_for(&c, 16), 10); /* 64K pages: 13, capped at 10 */
}

/* memmap_init: every pageblock movable; the boot blocks on the movable lists. */
static void test_boot_is_movable(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_string_equal(mt_of(m, B + 0x0), "Movable");
	assert_string_equal(mt_of(m, B + 0x200), "Movable");
	assert_false(m->mobility_disabled);
	assert_int_equal(z->free_area[10].nr[MIGRATE_MOVABLE], 1);
	assert_int_equal(z->free_area[10].nr[MIGRATE_UNMOVABLE], 0);
	drop(m, &r);
}

/* An unmovable request with only movable blocks: the largest, order 10 >=
 * pageblock_order, changes type whole (both pageblocks), then splits onto
 * the unmovable lists. */
static void test_claim_whole_large_block(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), B + 0x0);
	assert_kinds(&r, 0, 7, "alloc watermark claim_block take set_pageblock_migratetype set_pageblock_migratetype split");
	assert_event(&r, 2, "claim_block", "pfn=0xc00 order=10 from=Movable to=Unmovable free=1024 alike=0 pages=1024");
	assert_event(&r, 4, "set_pageblock_migratetype", "pfn=0xc00 old=Movable new=Unmovable");
	assert_event(&r, 5, "set_pageblock_migratetype", "pfn=0xe00 old=Movable new=Unmovable");
	assert_string_equal(mt_of(m, B + 0x200), "Unmovable");
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_int_equal(z->free_area[9].nr[MIGRATE_UNMOVABLE], 1); /* 0x200 */
	drop(m, &r);
}

/* Reclaimable fills the zone but one order-4 block: an unmovable request
 * looks at it (order-4, 0x3f0), but a reclaimable block's in-use pages do not count as
 * compatible (6.18 cannot tell unmovable from reclaimable), so 16 free of
 * 512 is under half: no claim; the steal takes the block, its pageblock
 * stays Reclaimable. */
static void test_claim_refused_then_steal(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	uint32_t rec = GFP_KERNEL | __GFP_RECLAIMABLE;
	assert_int_equal(must_alloc(m, 9, rec), B + 0x0); /* claims both pageblocks */
	/* 0x200 o8, 0x300 o7, 0x380 o6, 0x3c0 o5, 0x3e0 o4: 0x3f0 o4 left */
	for (unsigned o = 8; o >= 4; o--)
		must_alloc(m, o, rec);
	recorder_clear(&r);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), B + 0x3f0);
	size_t i = find_kind(&r, 0, EV_CLAIM_REFUSED);
	assert_event(&r, i, "claim_refused", "pfn=0xe00 order=4 from=Reclaimable to=Unmovable free=16 alike=0 pages=512");
	i = find_kind(&r, i, EV_STEAL);
	assert_event(&r, i, "steal", "pfn=0xff0 order=4 from=Reclaimable to=Unmovable");
	assert_string_equal(mt_of(m, B + 0x200), "Reclaimable");
	/* the remainders stay on the reclaimable lists */
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_int_equal(z->free_area[0].nr[MIGRATE_RECLAIMABLE], 1);
	assert_int_equal(z->free_area[3].nr[MIGRATE_RECLAIMABLE], 1);
	drop(m, &r);
}

/* A movable request below pageblock_order / 2 (4) never claims: with only
 * an unmovable order-3 block free, find_suitable_fallback says -2 at order 3
 * and the steal takes it. */
static void test_movable_small_order_steals(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	assert_int_equal(must_alloc(m, 9, GFP_KERNEL), B + 0x0);
	for (unsigned o = 8; o >= 3; o--)
		must_alloc(m, o, GFP_KERNEL);
	/* left: 0x3f8 o3, unmovable */
	recorder_clear(&r);
	assert_int_equal(must_alloc(m, 0, GFP_HIGHUSER_MOVABLE), B + 0x3f8);
	assert_int_equal(find_kind(&r, 0, EV_CLAIM_BLOCK), r.n);
	assert_int_equal(find_kind(&r, 0, EV_CLAIM_REFUSED), r.n);
	assert_event(&r, find_kind(&r, 0, EV_STEAL), "steal", "pfn=0xff8 order=3 from=Unmovable to=Movable");
	assert_string_equal(mt_of(m, B + 0x3f8), "Unmovable");
	drop(m, &r);
}

/* A smaller block claims its pageblock when free + compatible >= half:
 * an unmovable block of 511 free pages is taken for a movable request at
 * order 8 (>= 4), its free blocks moved, then served natively. */
static void test_claim_by_counting_free_pages(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), B + 0x0);      /* both pageblocks unmovable */
	assert_int_equal(must_alloc(m, 9, GFP_KERNEL), B + 0x200);  /* pageblock 0x200 used up */
	recorder_clear(&r);
	/* pageblock 0 holds 1 o0, 2 o1, …, 0x100 o8: 511 free pages */
	assert_int_equal(must_alloc(m, 0, GFP_HIGHUSER_MOVABLE), B + 0x1);
	assert_event(&r, find_kind(&r, 0, EV_CLAIM_BLOCK), "claim_block",
		     "pfn=0xc00 order=8 from=Unmovable to=Movable free=511 alike=0 pages=512");
	assert_event(&r, find_kind(&r, 0, EV_MOVE_FREEPAGES), "move_freepages_block",
		     "pfn=0xc00 from=Unmovable to=Movable pages=511");
	assert_string_equal(mt_of(m, B + 0x0), "Movable");
	assert_string_equal(mt_of(m, B + 0x200), "Unmovable");
	drop(m, &r);
}

/* Freeing across pageblocks: an unmovable block merges with a free movable
 * buddy of order 9 (both types mergeable), which takes the unmovable type. */
static void test_merge_across_pageblocks_retypes_buddy(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	assert_int_equal(must_alloc(m, 9, GFP_KERNEL), B + 0x0);
	assert_int_equal(must_alloc(m, 9, GFP_HIGHUSER_MOVABLE), B + 0x200); /* claims 0x200 for movable */
	assert_string_equal(mt_of(m, B + 0x200), "Movable");
	must_free(m, B + 0x200, 9);
	recorder_clear(&r);
	must_free(m, B + 0x0, 9);
	assert_kinds(&r, 0, END, "free set_pageblock_migratetype merge put");
	assert_event(&r, 1, "set_pageblock_migratetype", "pfn=0xe00 old=Movable new=Unmovable");
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	assert_int_equal(z->free_area[10].nr[MIGRATE_UNMOVABLE], 1);
	drop(m, &r);
}

/* Isolated blocks never merge with their neighbours from pageblock_order up. */
static void test_isolate_does_not_merge(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	assert_int_equal(must_alloc(m, 9, GFP_HIGHUSER_MOVABLE), B + 0x0);
	/* as start_isolate_page_range would: the free block to the isolate
	 * list, then the type */
	mm_op_begin(m);
	struct zone *z = machine_zone(m, 0, ZONE_DMA);
	del_from_free_list(m, z, B + 0x200, 9, MIGRATE_MOVABLE);
	add_to_free_list(m, z, B + 0x200, 9, MIGRATE_ISOLATE, false);
	set_pageblock_migratetype(m, B + 0x200, MIGRATE_ISOLATE);
	mm_op_end(m);
	assert_machine_ok(m);
	must_free(m, B + 0x0, 9);
	assert_int_equal(z->free_area[9].nr[MIGRATE_MOVABLE], 1);
	assert_int_equal(z->free_area[9].nr[MIGRATE_ISOLATE], 1);
	assert_int_equal(z->free_area[10].nr_free, 0);
	drop(m, &r);
}

/* ALLOC_NOFRAGMENT: a Normal zone with only a small movable block sends an
 * unmovable request down to DMA32 (a whole block there) rather than steal. */
static void test_nofragment_prefers_lower_zone(void **state)
{
	(void)state;
	struct mm_config c = config_mem(12 * MiB);
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 2 * MiB;
	c.zone_size[ZONE_DMA32] = 2 * MiB;
	c.zone_size[ZONE_NORMAL] = 8 * MiB;
	c.min_free_kbytes = 0;
	c.migratetypes = true;
	struct machine *m = boot(&c);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	/* Normal: pfns 0x400..0xbff, two order-10 blocks: fill all but 0xbf8 o3 */
	assert_int_equal(must_alloc(m, 10, GFP_HIGHUSER_MOVABLE), 0x400);
	assert_int_equal(must_alloc(m, 9, GFP_HIGHUSER_MOVABLE), 0x800);
	for (unsigned o = 8; o >= 3; o--)
		must_alloc(m, o, GFP_HIGHUSER_MOVABLE);
	recorder_clear(&r);
	/* DMA32 is 0x200..0x3ff: its order-9 block is claimed whole */
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 0x200);
	assert_int_equal(find_kind(&r, 0, EV_STEAL), r.n);
	assert_int_equal(find_kind(&r, 0, EV_FALLBACK) < r.n, 1);
	assert_string_equal(mt_of(m, 0xbf8), "Movable");
	drop(m, &r);
}

static void test_pagetypeinfo_format(void **state)
{
	(void)state;
	struct recorder r = {0};
	struct machine *m = one_block(&r);
	must_alloc(m, 9, GFP_KERNEL);
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "pagetypeinfo", &b), 0);
	const char *want =
		"Page block order: 9\n"
		"Pages per block:  512\n"
		"\n"
		"Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 \n"
		"Node    0, zone      DMA, type    Unmovable      0      0      0      0      0      0      0      0      0      1      0 \n"
		"Node    0, zone      DMA, type      Movable      0      0      0      0      0      0      0      0      0      0      0 \n"
		"Node    0, zone      DMA, type  Reclaimable      0      0      0      0      0      0      0      0      0      0      0 \n"
		"Node    0, zone      DMA, type   HighAtomic      0      0      0      0      0      0      0      0      0      0      0 \n"
		"Node    0, zone      DMA, type      Isolate      0      0      0      0      0      0      0      0      0      0      0 \n"
		"\n"
		"Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n"
		"Node 0, zone      DMA            2            6            0            0            0 \n";
	assert_string_equal(b.s, want);
	strbuf_free(&b);
	drop(m, &r);
}

/* Random mixed-mobility walk with the checker after every step, then every
 * step undone and redone to the same states. */
static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct mm_config c = config_mem(16 * MiB);
	c.min_free_kbytes = 0;
	c.migratetypes = c.pcp = true;
	c.cpus = 2;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	uint32_t live[256];
	unsigned n = 0, seed = 12345;
	const uint32_t gfps[] = {GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE};
	for (int i = 0; i < 1500; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned x = seed >> 8;
		m->this_cpu = x & 1;
		if (n < 256 && (x % 3 || !n)) {
			uint32_t pfn;
			unsigned order = (x >> 4) % 5 == 4 ? (x >> 8) % 10 : (x >> 8) % 4;
			if (alloc_pages(m, order, gfps[(x >> 12) % 3], -1, &pfn) == MM_OK)
				live[n++] = pfn;
		} else {
			unsigned k = (x >> 4) % n;
			must_free(m, live[k], -1);
			live[k] = live[--n];
		}
	}
	m->this_cpu = 0;
	uint32_t end = m->nsteps;
	assert_true(end > 1000);
	for (uint32_t s = end; s > 0; s -= s > 97 ? 97 : s) {
		machine_seek(m, s);
		assert_true(machine_hash(m) == r.hashes[s]);
		assert_machine_ok(m);
	}
	machine_seek(m, 0);
	assert_true(machine_hash(m) == r.hashes[0]);
	machine_seek(m, end);
	assert_true(machine_hash(m) == r.hashes[end]);
	drop(m, &r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pageblock_order_per_arch),
		cmocka_unit_test(test_boot_is_movable),
		cmocka_unit_test(test_claim_whole_large_block),
		cmocka_unit_test(test_claim_refused_then_steal),
		cmocka_unit_test(test_movable_small_order_steals),
		cmocka_unit_test(test_claim_by_counting_free_pages),
		cmocka_unit_test(test_merge_across_pageblocks_retypes_buddy),
		cmocka_unit_test(test_isolate_does_not_merge),
		cmocka_unit_test(test_nofragment_prefers_lower_zone),
		cmocka_unit_test(test_pagetypeinfo_format),
		cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
