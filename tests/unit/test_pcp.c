/*
 * src/mm/pcp.c: batch and high against the kernel's formulas (checked
 * against this machine's /proc/zoneinfo, a 6.18 kernel with 2 CPUs: DMA
 * managed 3840 low 13, DMA32 managed 772794 low 2887, Normal managed
 * 5394258 low 20163), refills in one buddy trip, the doubling refill,
 * freeing to the list, bulk freeing at high, draining, the list layout.
 */
#include <string.h>

#include "helpers.h"
#include "mm/pcp.h"
#include "mm/proc.h"

static struct machine *with_cpus(unsigned cpus, uint64_t mem)
{
	struct mm_config c = config_mem(mem);
	c.cpus = cpus;
	c.pcp = true;
	c.migratetypes = false; /* one type: every page on the movable lists */
	return boot(&c);
}

/* A zone as the formulas see it: managed pages and the low watermark. */
static struct zone fake_zone(uint32_t managed, uint32_t low)
{
	struct zone z = {0};
	z.managed = z.present = z.spanned = managed;
	z.wmark[WMARK_LOW] = low;
	return z;
}

static void test_batch_and_high_match_a_real_kernel(void **state)
{
	(void)state;
	struct machine *m = with_cpus(2, 64 * MiB);
	struct {
		uint32_t managed, low, batch, high_min, high_max, threshold;
	} rows[] = {
		{3840, 13, 1, 6, 240, 4},              /* DMA */
		{772794, 2887, 63, 1443, 48299, 24},   /* DMA32 */
		{5394258, 20163, 63, 10081, 337141, 36}, /* Normal */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct zone z = fake_zone(rows[i].managed, rows[i].low);
		uint32_t batch = zone_batchsize(m, &z);
		assert_int_equal(batch, rows[i].batch);
		assert_int_equal(zone_highsize(m, &z, batch, 0, 0), rows[i].high_min);
		assert_int_equal(zone_highsize(m, &z, batch, 0, MIN_PERCPU_PAGELIST_HIGH_FRACTION), rows[i].high_max);
		assert_int_equal(calculate_normal_threshold(m, &z), rows[i].threshold);
	}
	machine_free(m);
}

/* Small zones: batch (managed >> 10) / 4, to 2^n - 1, at least 1; high at
 * least 4 batches; one CPU takes the whole low mark. */
static void test_batch_formula_small_zones(void **state)
{
	(void)state;
	struct machine *m = with_cpus(1, 64 * MiB);
	struct zone z = fake_zone(12288, 240); /* the 64M machine's DMA32 */
	assert_int_equal(zone_batchsize(m, &z), 3);    /* 12 / 4 = 3; 3 + 1 = 4 -> 3 */
	assert_int_equal(zone_highsize(m, &z, 3, 0, 0), 240);
	z = fake_zone(65536, 1000);                     /* 64 / 4 = 16; 24 -> 16 - 1 */
	assert_int_equal(zone_batchsize(m, &z), 15);
	z = fake_zone(16, 0);                           /* high at least batch << 2 */
	assert_int_equal(zone_highsize(m, &z, 1, 0, 0), 4);
	machine_free(m);
}

/* order_to_pindex: three lists per order up to 3, then the THP pair. */
static void test_list_layout(void **state)
{
	(void)state;
	struct machine *m = with_cpus(1, 64 * MiB);
	assert_int_equal(order_to_pindex(m, MIGRATE_UNMOVABLE, 0), 0);
	assert_int_equal(order_to_pindex(m, MIGRATE_RECLAIMABLE, 0), 2);
	assert_int_equal(order_to_pindex(m, MIGRATE_MOVABLE, 3), 10);
	assert_int_equal(order_to_pindex(m, MIGRATE_UNMOVABLE, 9), 12);
	assert_int_equal(order_to_pindex(m, MIGRATE_MOVABLE, 9), 13);
	assert_int_equal(pindex_to_order(m, 13), 9);
	assert_true(pcp_allowed_order(m, 3));
	assert_false(pcp_allowed_order(m, 4));
	assert_true(pcp_allowed_order(m, 9));
	machine_free(m);
}

/* 64M, one CPU: DMA32 batch 3, high_min 240, high_max 1536.  The first
 * order-0 allocation refills 3 pages in one trip; the next two need no
 * buddy; the fourth refills 6 (alloc_factor 1). */
static void test_refill_batches(void **state)
{
	(void)state;
	struct machine *m = with_cpus(1, 64 * MiB);
	machine_journal(m, true);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	struct zone *z = machine_zone(m, 0, ZONE_DMA32);
	const struct per_cpu_pages *p = zone_pcp(m, z, 0);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 0x1000);
	assert_event(&r, find_kind(&r, 0, EV_PCP_REFILL), "rmqueue_bulk", "cpu=0 order=0 batch=3 got=3 count=3");
	assert_int_equal(p->high, 243); /* clamped to high_min, grown by the batch */
	assert_int_equal(p->count, 2);
	recorder_clear(&r);
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 0x1001);
	assert_kinds(&r, 0, END, "alloc watermark pcp_alloc done");
	assert_int_equal(must_alloc(m, 0, GFP_KERNEL), 0x1002);
	recorder_clear(&r);
	must_alloc(m, 0, GFP_KERNEL);
	assert_event(&r, find_kind(&r, 0, EV_PCP_REFILL), "rmqueue_bulk", "batch=6 got=6 count=6");
	assert_int_equal(z->free_pages, 12288 - 9);
	machine_free(m);
	recorder_free(&r);
}

/* Frees go to the list head and stay out of the zone's free pages; at
 * high (at most high_max, 384 here, under the 600 pages freed),
 * free_pcppages_bulk returns some and the count stays below high; drain returns all, and the buddy
 * is whole again. */
static void test_free_bulk_and_drain(void **state)
{
	(void)state;
	struct machine *m = with_cpus(4, 64 * MiB); /* high_max 12288 / 8 / 4 = 384 */
	machine_journal(m, true);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	struct zone *z = machine_zone(m, 0, ZONE_DMA32);
	const struct per_cpu_pages *p = zone_pcp(m, z, 0);
	static uint32_t pfn[600];
	for (int i = 0; i < 600; i++)
		pfn[i] = must_alloc(m, 0, GFP_KERNEL);
	recorder_clear(&r);
	uint32_t free_before = z->free_pages;
	must_free(m, pfn[0], 0);
	assert_event(&r, 1, "pcp_free", "cpu=0 order=0");
	assert_int_equal(p->lists[order_to_pindex(m, MIGRATE_MOVABLE, 0)].head, pfn[0]); /* no types: all movable */
	assert_int_equal(z->free_pages, free_before);
	bool bulk = false;
	for (int i = 1; i < 600; i++) {
		must_free(m, pfn[i], 0);
		assert_true(p->count < p->high);
	}
	bulk = find_kind(&r, 0, EV_PCP_BULK_FREE) < r.n;
	assert_true(bulk);
	assert_true(p->count > 0);
	assert_int_equal(drain_all_pages_op(m), MM_OK);
	assert_int_equal(p->count, 0);
	assert_int_equal(z->free_pages, 12288);
	assert_int_equal(z->free_area[10].nr_free, 12);
	machine_free(m);
	recorder_free(&r);
}

/* Each CPU has its own lists: a page freed on CPU 1 is not seen by CPU 0. */
static void test_cpus_are_separate(void **state)
{
	(void)state;
	struct machine *m = with_cpus(2, 64 * MiB);
	machine_journal(m, true);
	struct zone *z = machine_zone(m, 0, ZONE_DMA32);
	uint32_t a = must_alloc(m, 0, GFP_KERNEL);
	m->this_cpu = 1;
	must_free(m, a, 0);
	assert_int_equal(zone_pcp(m, z, 1)->lists[order_to_pindex(m, MIGRATE_MOVABLE, 0)].head, a);
	m->this_cpu = 0;
	assert_true(must_alloc(m, 0, GFP_KERNEL) != a);
	assert_machine_ok(m);
	/* freeing a page that sits on a pcp list is refused, state unchanged */
	uint64_t h = machine_hash(m);
	assert_int_equal(free_pages(m, a, 0), MM_EINVAL);
	assert_non_null(strstr(m->error, "double free"));
	assert_true(machine_hash(m) == h);
	machine_free(m);
}

static void test_zoneinfo_pagesets(void **state)
{
	(void)state;
	struct machine *m = with_cpus(2, 64 * MiB);
	machine_journal(m, true);
	must_alloc(m, 0, GFP_KERNEL);
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "zoneinfo", &b), 0);
	/* DMA32 (12288 managed, low 240, two CPUs: high_min 120, high_max
	 * 12288 / 8 / 2 = 768); CPU 0 holds 2 of the 3 refilled pages, high
	 * 120 + 3 */
	const char *want = "  pagesets\n"
			   "    cpu: 0\n"
			   "              count:    2\n"
			   "              high:     123\n"
			   "              batch:    3\n"
			   "              high_min: 120\n"
			   "              high_max: 768\n"
			   "  vm stats threshold: 4\n"
			   "    cpu: 1\n"
			   "              count:    0\n"
			   "              high:     0\n"
			   "              batch:    3\n"
			   "              high_min: 120\n"
			   "              high_max: 768\n"
			   "  vm stats threshold: 4\n"
			   "  node_unreclaimable:  0\n"
			   "  start_pfn:           4096\n";
	assert_non_null(strstr(b.s, want));
	strbuf_free(&b);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_and_high_match_a_real_kernel),
		cmocka_unit_test(test_batch_formula_small_zones),
		cmocka_unit_test(test_list_layout),
		cmocka_unit_test(test_refill_batches),
		cmocka_unit_test(test_free_bulk_and_drain),
		cmocka_unit_test(test_cpus_are_separate),
		cmocka_unit_test(test_zoneinfo_pagesets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
