/*
 * The TLB's rules (tlb.c, walk.c) on a TLB of 2 sets x 2 ways, where a 4K
 * page's set is bit 12 of its address: which way a fill takes (an invalid
 * one first, else the least recently used), that a hit makes an entry the
 * most recently used, which entries each flush scope drops, how a 2M entry
 * serves every 4K address inside it, and the counters the scenario API
 * shows (hits, misses, fills, evictions, flushes) after every access,
 * each worked out by hand.  The checker runs after every step.
 */
#include "helpers.h"

#include <string.h>

#include "mm/pgtable.h"

/* set 0: A, B, C; set 1: D */
#define A 0x400000ull
#define B 0x402000ull
#define C 0x404000ull
#define D 0x401000ull

struct tlbm {
	struct machine *m;
	struct recorder r;
	uint32_t mm, other;
};

static void setup(struct tlbm *t)
{
	struct mm_config c = config_mem(16 * MiB);
	c.tlb_entries = 4;
	c.tlb_ways = 2;
	c.min_free_kbytes = 0;
	t->m = boot(&c);
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.keep = t->r.check = true;
	recorder_attach(t->m, &t->r);
	assert_int_equal(pt_mm_alloc(t->m, &t->mm), MM_OK);
	assert_int_equal(pt_mm_alloc(t->m, &t->other), MM_OK);
	uint32_t pfn = 0x100;
	for (uint64_t va = A; va <= C; va += 0x1000)
		assert_int_equal(pt_map(t->m, t->mm, va, pfn++, 0, PROT_R | PROT_W), MM_OK);
	assert_int_equal(pt_map(t->m, t->other, A, 0x200, 0, PROT_R), MM_OK);
	assert_int_equal(t->m->pt->tlb_sets, 2);
}

static void teardown(struct tlbm *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

/* hits misses fills evictions flushes */
static void assert_counts(const struct machine *m, uint32_t h, uint32_t mi, uint32_t f, uint32_t e, uint32_t fl)
{
	const struct pt_root *r = pt_root(m);
	assert_int_equal(r->hits, h);
	assert_int_equal(r->misses, mi);
	assert_int_equal(r->fills, f);
	assert_int_equal(r->evictions, e);
	assert_int_equal(r->flushes, fl);
}

/* One access by mm; its events are in t->r from index 0. */
static bool xlate_read(struct tlbm *t, uint32_t mm, uint64_t va)
{
	struct pt_result res;
	recorder_clear(&t->r);
	assert_int_equal(pt_translate(t->m, mm, va, ACC_READ, false, &res), MM_OK);
	assert_int_equal(res.fault, PTF_NONE);
	return res.tlb_hit;
}

static void assert_fill(const struct tlbm *t, const char *fields)
{
	size_t i = find_kind(&t->r, 0, EV_TLB_FILL);
	assert_true(i < t->r.n);
	assert_event(&t->r, i, "tlb_fill", fields);
}

static void assert_no_evict(const struct tlbm *t)
{
	assert_int_equal(find_kind(&t->r, 0, EV_TLB_EVICT), t->r.n);
}

static void test_lru_replacement(void **state)
{
	(void)state;
	struct tlbm t;
	setup(&t);
	assert_counts(t.m, 0, 0, 0, 0, 0);
	assert_false(xlate_read(&t, t.mm, A));
	assert_fill(&t, "set=0 way=0 pfn=0x100");
	assert_no_evict(&t);
	assert_false(xlate_read(&t, t.mm, B));
	assert_fill(&t, "set=0 way=1 pfn=0x102");
	assert_true(xlate_read(&t, t.mm, A)); /* A is now more recent than B */
	assert_event(&t.r, 0, "tlb_hit", "set=0 way=0 pfn=0x100");
	assert_counts(t.m, 1, 2, 2, 0, 0);
	/* C: the set is full, B is the least recently used */
	assert_false(xlate_read(&t, t.mm, C));
	size_t ev = find_kind(&t.r, 0, EV_TLB_EVICT);
	assert_true(ev < t.r.n);
	assert_event(&t.r, ev, "tlb_evict", "mm=1 va=0x402000 set=0 way=1 pfn=0x102");
	assert_fill(&t, "set=0 way=1 pfn=0x104");
	/* stepping shows the eviction: after its step the way is empty */
	uint32_t end = t.m->nsteps;
	machine_seek(t.m, t.r.ev[ev].step);
	assert_int_equal(pt_tlb(t.m)[1].valid, 0);
	machine_seek(t.m, t.r.ev[ev].step - 1);
	assert_int_equal(pt_tlb(t.m)[1].valid, 1);
	machine_seek(t.m, end);
	assert_int_equal(pt_tlb(t.m)[1].tag, C >> 12);
	/* B again: now A (used before C) goes */
	assert_false(xlate_read(&t, t.mm, B));
	ev = find_kind(&t.r, 0, EV_TLB_EVICT);
	assert_event(&t.r, ev, "tlb_evict", "mm=1 va=0x400000 set=0 way=0 pfn=0x100");
	assert_fill(&t, "set=0 way=0 pfn=0x102");
	assert_counts(t.m, 1, 4, 4, 2, 0);
	/* D lives in set 1: no eviction */
	assert_false(xlate_read(&t, t.mm, D));
	assert_fill(&t, "set=1 way=0 pfn=0x101");
	assert_no_evict(&t);
	assert_true(xlate_read(&t, t.mm, C));
	assert_counts(t.m, 2, 5, 5, 2, 0);
	teardown(&t);
}

static void test_flush_scopes(void **state)
{
	(void)state;
	struct tlbm t;
	setup(&t);
	xlate_read(&t, t.mm, A);    /* set 0 way 0 */
	xlate_read(&t, t.other, A); /* set 0 way 1: same address, other ASID */
	xlate_read(&t, t.mm, D);    /* set 1 way 0 */
	xlate_read(&t, t.mm, 0x403000); /* set 1 way 1 */
	assert_counts(t.m, 0, 4, 4, 0, 0);
	/* a page flush of mm drops its A only, not the other mm's */
	recorder_clear(&t.r);
	assert_int_equal(pt_tlb_flush(t.m, t.mm, A, false), 1);
	assert_event(&t.r, 0, "tlb_flush", "mm=1 va=0x400000 scope=page entries=1");
	assert_true(xlate_read(&t, t.other, A));
	/* the freed way 0 is taken before the least recently used way 1 */
	assert_false(xlate_read(&t, t.mm, A));
	assert_no_evict(&t);
	assert_fill(&t, "set=0 way=0 pfn=0x100");
	/* a page flush of every mm (mm 0) drops both A's */
	assert_int_equal(pt_tlb_flush(t.m, 0, A, false), 2);
	assert_counts(t.m, 1, 5, 5, 0, 2);
	/* an mm flush drops its two set-1 entries and nothing of the other */
	xlate_read(&t, t.other, A);
	recorder_clear(&t.r);
	assert_int_equal(pt_tlb_flush(t.m, t.mm, 0, true), 2);
	assert_event(&t.r, 0, "tlb_flush", "mm=1 va=0 scope=mm entries=2");
	assert_true(xlate_read(&t, t.other, A));
	assert_false(xlate_read(&t, t.mm, D));
	/* a flush of everything */
	recorder_clear(&t.r);
	assert_int_equal(pt_tlb_flush(t.m, 0, 0, true), 2);
	assert_event(&t.r, 0, "tlb_flush", "mm=0 va=0 scope=all entries=2");
	assert_counts(t.m, 2, 7, 7, 0, 4);
	teardown(&t);
}

/* A 2M entry at 0x40000000 (tag 0x200: set 0) serves 0x40123456. */
static void test_huge_entry_serves_its_pages(void **state)
{
	(void)state;
	struct tlbm t;
	setup(&t);
	assert_int_equal(pt_map(t.m, t.mm, 0x40000000, 0x400, 9, PROT_R), MM_OK);
	assert_false(xlate_read(&t, t.mm, 0x40000000));
	assert_fill(&t, "mm=1 va=0x40000000 set=0 way=0 pfn=0x400 order=9");
	struct pt_result res;
	recorder_clear(&t.r);
	assert_int_equal(pt_translate(t.m, t.mm, 0x40123456, ACC_READ, false, &res), MM_OK);
	assert_true(res.tlb_hit);
	assert_true(res.pa == (0x400ull << 12) + 0x123456);
	assert_int_equal(res.page_shift, 21);
	/* a page flush for an address inside it drops it */
	assert_int_equal(pt_tlb_flush(t.m, t.mm, 0x40123000, false), 1);
	assert_false(xlate_read(&t, t.mm, 0x40123000));
	teardown(&t);
}

/* A miss names every set it probed, one per page size (4K: the page
 * number 0x40012 mod 2 = 0; 2M: 0x200 mod 2 = 0; 1G: 1 mod 2 = 1), and the
 * fill goes to the set the miss named for the page size the walk found. */
static void test_miss_names_the_set_the_fill_takes(void **state)
{
	(void)state;
	struct tlbm t;
	setup(&t);
	assert_int_equal(pt_map(t.m, t.mm, 0x40000000, 0x400, 9, PROT_R), MM_OK);
	recorder_clear(&t.r);
	assert_false(xlate_read(&t, t.mm, 0x40012345 & ~0xfffull));
	size_t miss = find_kind(&t.r, 0, EV_TLB_MISS), fill = find_kind(&t.r, 0, EV_TLB_FILL);
	assert_true(miss < t.r.n && fill < t.r.n);
	assert_event(&t.r, miss, "tlb_miss", "set=0 huge_set=0 huge_set2=1");
	assert_int_equal(ev_get(&t.r.ev[fill], "set"), ev_get(&t.r.ev[miss], "huge_set"));
	/* 0x40201000 is 4K page 0x40201 (set 1), in 2M page 0x201 (set 1) */
	assert_int_equal(pt_map(t.m, t.mm, 0x40201000, 0x500, 0, PROT_R), MM_OK);
	recorder_clear(&t.r);
	assert_false(xlate_read(&t, t.mm, 0x40201000));
	miss = find_kind(&t.r, 0, EV_TLB_MISS);
	fill = find_kind(&t.r, 0, EV_TLB_FILL);
	assert_event(&t.r, miss, "tlb_miss", "set=1 huge_set=1 huge_set2=1");
	assert_int_equal(ev_get(&t.r.ev[fill], "set"), ev_get(&t.r.ev[miss], "set"));
	teardown(&t);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_miss_names_the_set_the_fill_takes),
	cmocka_unit_test(test_lru_replacement),
	cmocka_unit_test(test_flush_scopes),
	cmocka_unit_test(test_huge_entry_serves_its_pages),
};

int main(void)
{
	return cmocka_run_group_tests_name("rules_tlb", tests, NULL, NULL);
}
