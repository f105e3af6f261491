/* The textbook models: Python's generator draw for draw, malloc.py's
 * worked examples, paging-policy.py's policies on Belady's string, every
 * step undone and redone to the same hash, and the checkers firing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "mm/check.h"
#include "mm/textbook/freelist.h"
#include "mm/textbook/pyrandom.h"
#include "mm/textbook/replace.h"

/* Values printed by python3: random.seed(s); random.random(). */
static void test_pyrandom_matches_python(void **state)
{
	(void)state;
	struct journal none = {0};
	struct pyrandom r;
	pyrandom_seed(&r, 0);
	assert_true(pyrandom_random(&none, &r) == 0.8444218515250481);
	assert_true(pyrandom_random(&none, &r) == 0.7579544029403025);
	pyrandom_seed(&r, 42);
	assert_true(pyrandom_random(&none, &r) == 0.6394267984578837);
	pyrandom_seed(&r, -7); /* |seed| */
	assert_true(pyrandom_random(&none, &r) == 0.32383276483316237);
	pyrandom_seed(&r, (1ll << 33) + 1); /* a two-word key */
	assert_true(pyrandom_random(&none, &r) == 0.5845141492495678);
	pyrandom_seed(&r, 5489); /* across the 624-word regeneration */
	double x[700];
	for (int i = 0; i < 700; i++)
		x[i] = pyrandom_random(&none, &r);
	assert_true(x[0] == 0.7876110167997803);
	assert_true(x[623] == 0.9788162807764385);
	assert_true(x[699] == 0.8664328486073228);
}

static struct machine *tb_machine(struct recorder *rec)
{
	struct mm_config c = config_mem(1 << 20);
	struct machine *m = boot(&c);
	machine_journal(m, true);
	memset(rec, 0, sizeof *rec);
	rec->keep = rec->check = rec->hash = true;
	recorder_attach(m, rec);
	return m;
}

static void assert_list(const struct machine *m, uint32_t fl, const char *want)
{
	const struct freelist *f = freelist_at(m, fl);
	char got[512] = "";
	for (uint32_t i = 0; i < f->nfree; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%u:%u", i ? " " : "", fl_addr(m, f, i),
			 fl_size(m, f, i));
	assert_string_equal(got, want);
}

/*
 * malloc.py -S 100 -b 1000 -p BEST -A +10,+20,-0,+5,-1,-1,+30,-9,-2 worked
 * by hand: 10 at 1000, 20 at 1010 (one search each, the list has one
 * element); freeing ptr[0] puts [1000,10] first (address order); 5 is best
 * served by [1000,10] (the two elements searched): 1000, leaving [1005,5];
 * freeing ptr[1] gives [1005,5] [1010,20] [1030,70]; a second free of it
 * returns -1 and changes nothing; 30 best fits [1030,70] after searching 3.
 */
static void test_freelist_best_fit_worked_example(void **state)
{
	(void)state;
	struct recorder rec;
	struct machine *m = tb_machine(&rec);
	mm_op_begin(m);
	struct fl_config c = {.size = 100, .base = 1000, .align = -1, .policy = FL_BEST, .order = FL_ADDRSORT};
	uint32_t fl = freelist_new(m, &c);
	mm_op_end(m);
	uint32_t n;
	assert_int_equal(freelist_alloc(m, fl, 10, &n), 1000);
	assert_int_equal(n, 1);
	assert_int_equal(freelist_alloc(m, fl, 20, &n), 1010);
	assert_list(m, fl, "1030:70");
	size_t from = rec.n;
	assert_int_equal(freelist_free(m, fl, 1000), 0);
	assert_list(m, fl, "1000:10 1030:70");
	/* appended, then sorted by address to the front: it lands at element 0 */
	assert_event(&rec, from, "fl_free", "addr=1000 size=10 index=0");
	assert_int_equal(freelist_alloc(m, fl, 5, &n), 1000);
	assert_int_equal(n, 2);
	assert_list(m, fl, "1005:5 1030:70");
	assert_int_equal(freelist_free(m, fl, 1010), 0);
	assert_list(m, fl, "1005:5 1010:20 1030:70");
	struct snapshot before = snap(m, &rec);
	assert_int_equal(freelist_free(m, fl, 1010), -1);
	assert_int_equal(machine_hash(m), before.hash);
	assert_int_equal(freelist_alloc(m, fl, 30, &n), 1030);
	assert_int_equal(n, 3);
	assert_list(m, fl, "1005:5 1010:20 1060:40");
	recorder_free(&rec);
	machine_free(m);
}

/* Coalescing after an address sort: three neighbours become one range,
 * one fl_coalesce step per merge; a size-sorted list coalesces only
 * neighbours that are also next to each other in the list. */
static void test_freelist_coalesce(void **state)
{
	(void)state;
	struct recorder rec;
	struct machine *m = tb_machine(&rec);
	struct fl_config c = {.size = 30, .base = 0, .align = -1, .policy = FL_FIRST, .order = FL_ADDRSORT,
			      .coalesce = true};
	uint32_t fl = freelist_new(m, &c), n;
	assert_int_equal(freelist_alloc(m, fl, 10, &n), 0);
	assert_int_equal(freelist_alloc(m, fl, 10, &n), 10);
	assert_list(m, fl, "20:10");
	assert_int_equal(freelist_free(m, fl, 0), 0);
	assert_list(m, fl, "0:10 20:10");
	size_t from = rec.n;
	assert_int_equal(freelist_free(m, fl, 10), 0);
	assert_list(m, fl, "0:30");
	assert_kinds(&rec, from, END, "fl_free fl_coalesce fl_coalesce");
	assert_event(&rec, from + 2, "fl_coalesce", "addr=0 size=30 with=20");

	/* SIZESORT+: [0,10] [20,10] are sorted by size, 10 comes between them
	 * in memory but not in the list: the pass merges list neighbours only */
	struct fl_config d = c;
	d.order = FL_SIZESORT_UP;
	uint32_t g = freelist_new(m, &d);
	assert_int_equal(freelist_alloc(m, g, 5, &n), 0);
	assert_int_equal(freelist_alloc(m, g, 20, &n), 5);
	assert_list(m, g, "25:5");
	assert_int_equal(freelist_free(m, g, 0), 0);
	assert_list(m, g, "25:5 0:5"); /* stable: the freed one after the equal key */
	recorder_free(&rec);
	machine_free(m);
}

/* Alignment and the header count before the search, as malloc.py adds
 * them; next fit resumes where the last search stopped. */
static void test_freelist_align_header_next_fit(void **state)
{
	(void)state;
	struct recorder rec;
	struct machine *m = tb_machine(&rec);
	struct fl_config c = {.size = 64, .base = 0, .header = 4, .align = 8, .policy = FL_NEXT, .order = FL_INSERT_BACK};
	uint32_t fl = freelist_new(m, &c), n;
	size_t from = rec.n;
	assert_int_equal(freelist_alloc(m, fl, 3, &n), 0); /* 3 -> 8, + 4 = 12 */
	assert_event(&rec, from, "fl_alloc", "size=3 need=12");
	assert_int_equal(freelist_alloc(m, fl, 8, &n), 12);
	assert_int_equal(freelist_free(m, fl, 0), 0);
	assert_list(m, fl, "24:40 0:12");
	/* next fit starts at element 0 where the last fit was, takes 24 */
	assert_int_equal(freelist_alloc(m, fl, 1, &n), 24);
	assert_int_equal(n, 1);
	recorder_free(&rec);
	machine_free(m);
}

/* Belady's anomaly under FIFO: 9 misses with 3 frames, 10 with 4; OPT and
 * LRU on the same string; every step hashed, then walked back and forth. */
static void test_replacement_belady_and_time_travel(void **state)
{
	(void)state;
	static const uint32_t refs[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
	struct { enum rp_policy p; uint32_t frames, misses; } cases[] = {
		{RP_FIFO, 3, 9}, {RP_FIFO, 4, 10}, {RP_LRU, 3, 10}, {RP_LRU, 4, 8}, {RP_OPT, 3, 7}, {RP_OPT, 4, 6},
	};
	struct recorder rec;
	struct machine *m = tb_machine(&rec);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct rp_config c = {cases[k].p, cases[k].frames, 2, 0};
		uint32_t r = replacement_new(m, &c, refs, 12, NULL);
		for (int i = 0; i < 12; i++) {
			int64_t victim;
			replacement_access(m, r, refs[i], &victim);
		}
		assert_int_equal(replacement_at(m, r)->misses, cases[k].misses);
	}
	uint32_t end = m->j.nsteps;
	assert_int_equal(rec.nhash, (size_t)end + 1);
	for (uint32_t s = end; s-- > 0;) {
		machine_seek(m, s);
		assert_true(machine_hash(m) == rec.hashes[s]);
	}
	machine_seek(m, end);
	assert_true(machine_hash(m) == rec.hashes[end]);
	recorder_free(&rec);
	machine_free(m);
}

/* CLOCK with the simulator's random probes: with clockbits 0 every probe
 * finds use 0 after the first touch capped it... a page referenced once
 * has use 1, so the first probe of it is spared. */
static void test_replacement_clock_spares_used_pages(void **state)
{
	(void)state;
	struct recorder rec;
	struct machine *m = tb_machine(&rec);
	struct rp_config c = {RP_CLOCK, 2, 1, 0};
	uint32_t r = replacement_new(m, &c, NULL, 0, NULL);
	int64_t v;
	replacement_access(m, r, 7, &v);
	replacement_access(m, r, 8, &v);
	size_t from = rec.n;
	replacement_access(m, r, 9, &v);
	/* both residents have use 1: probes decrement until one is at 0 */
	size_t scans = 0;
	for (size_t i = from; i < rec.n; i++)
		scans += rec.ev[i].kind == EV_RP_SCAN;
	assert_true(scans >= 2);
	assert_true(v == 7 || v == 8);
	assert_int_equal(replacement_at(m, r)->count, 2);
	recorder_free(&rec);
	machine_free(m);
}

/* Each checker invariant fires on one corrupted cell. */
static void test_checkers_fire(void **state)
{
	(void)state;
	struct mm_config cfg = config_mem(1 << 20);
	struct machine *m = boot(&cfg);
	struct fl_config c = {.size = 50, .base = 100, .align = -1, .policy = FL_BEST, .order = FL_ADDRSORT};
	uint32_t fl = freelist_new(m, &c), n;
	freelist_alloc(m, fl, 10, &n);
	struct rp_config rc = {RP_FIFO, 3, 2, 0};
	uint32_t r = replacement_new(m, &rc, NULL, 0, NULL);
	int64_t v;
	replacement_access(m, r, 1, &v);
	replacement_access(m, r, 2, &v);
	char why[256];
	assert_int_equal(check_machine(m, why, sizeof why), 0);
	struct freelist *f = freelist_at(m, fl);
	struct replacement *rp = replacement_at(m, r);
	uint32_t *cell;
	const struct { uint32_t *cell; uint32_t value; const char *says; } cases[] = {
		{tbv_cell(textbook_arena(m), &f->list, 1), 0, "empty or leaves the heap"},
		{tbv_cell(textbook_arena(m), &f->list, 0), 99, "empty or leaves the heap"},
		{tbv_cell(textbook_arena(m), &f->list, 0), 105, "handed out at 100 overlaps"},
		{&f->nalloc, 2, "nalloc 2"},
		{tbv_cell(textbook_arena(m), &f->sizes, 0), 9, "9 handed out"},
		{&rp->count, 4, "4 resident pages in 3 frames"},
		{&rp->hits, 1, "1 hits + 2 misses"},
		{&rp_slots(m, rp)[1].page, 1, "resident twice"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cell = cases[i].cell;
		uint32_t old = *cell;
		*cell = cases[i].value;
		if (check_machine(m, why, sizeof why) != -1)
			fail_msg("case %zu: the checker passed", i);
		if (!strstr(why, cases[i].says))
			fail_msg("case %zu: '%s' lacks '%s'", i, why, cases[i].says);
		*cell = old;
		assert_int_equal(check_machine(m, why, sizeof why), 0);
	}
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pyrandom_matches_python),
		cmocka_unit_test(test_freelist_best_fit_worked_example),
		cmocka_unit_test(test_freelist_coalesce),
		cmocka_unit_test(test_freelist_align_header_next_fit),
		cmocka_unit_test(test_replacement_belady_and_time_travel),
		cmocka_unit_test(test_replacement_clock_spares_used_pages),
		cmocka_unit_test(test_checkers_fire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
