/* kcompactd (src/mm/kcompactd.c) and the slow path's compaction
 * (page_alloc_slowpath.c) on hand-made layouts: kswapd dropping to order 0
 * after compact_gap and waking kcompactd as it sleeps; compaction skipped
 * for want of targets, then run after reclaim; should_compact_retry
 * raising the priority to SYNC_FULL for a cheap order and stopping at
 * SYNC_LIGHT for a costly one; the checker's kcompactd invariant; undo and
 * redo over all of it. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/compaction.h"
#include "mm/procs.h"
#include "mm/vmscan.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
	struct zone *z;
	uint32_t file, pid;
	uint64_t va;
};

static void boot_textbook(struct t *t, uint64_t mem, unsigned max_order)
{
	struct mm_config c = config_textbook(mem);
	c.min_free_kbytes = 0; /* watermarks 0: only fragmentation matters */
	c.max_order = max_order;
	t->m = boot(&c);
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = t->r.keep = t->r.hash = true;
	recorder_attach(t->m, &t->r);
	t->z = machine_zone(t->m, 0, ZONE_DMA);
}

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

/* One frame of page cache, read now. */
static void cache_page(struct t *t, uint64_t index)
{
	uint64_t v;
	unsigned n, disk;
	assert_int_equal(file_read(t->m, t->file, index * PG, 1, &v, 1, &n, &disk), MM_OK);
}

/* One anonymous page of the app (no swap: reclaim cannot take it). */
static uint32_t anon_page(struct t *t, uint64_t i)
{
	struct fault_result fr;
	assert_int_equal(handle_access(t->m, t->pid, t->va + i * PG, ACC_WRITE, i, &fr), MM_OK);
	return fr.pfn;
}

/* 64 frames: the app's page tables, then pairs of an anonymous page and
 * a page cache page; with gaps, every other cache page is a second
 * anonymous page unmapped again.  No aligned pair can be freed by reclaim. */
static void fragment(struct t *t, bool gaps)
{
	boot_textbook(t, 256 * KiB, 3);
	assert_int_equal(process_create(t->m, "app", &t->pid), MM_OK);
	assert_int_equal(file_create(t->m, "f", 64 * PG, &t->file), MM_OK);
	assert_int_equal(do_mmap(t->m, t->pid, 0, 64 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS, &t->va), MM_OK);
	for (uint64_t i = 0; t->z->free_pages >= 2; i++) {
		anon_page(t, 2 * i);
		if (gaps && i % 2)
			anon_page(t, 2 * i + 1);
		else
			cache_page(t, i);
	}
	if (gaps)
		for (uint64_t i = 1; 4 * i + 3 < 64; i++)
			assert_int_equal(do_munmap(t->m, t->pid, t->va + (4 * i - 1) * PG, PG), MM_OK);
	assert_int_equal(t->z->free_area[1].nr_free + t->z->free_area[2].nr_free, 0);
	recorder_clear(&t->r);
}

/* Kinds of the events from i on that are one of the slow path's or the
 * daemons' decisions, space separated. */
static void decisions(const struct recorder *r, size_t from, char *out, size_t len)
{
	static const enum ev_kind keep[] = {EV_WAKEUP_KSWAPD, EV_DIRECT_COMPACT, EV_COMPACT_SUITABLE,
					    EV_TRY_TO_FREE_PAGES, EV_RECLAIM_RETRY, EV_COMPACT_RETRY, EV_FAIL,
					    EV_DONE, EV_KSWAPD_ORDER0, EV_KSWAPD_SLEEP, EV_WAKEUP_KCOMPACTD,
					    EV_KCOMPACTD, EV_COMPACT_END};
	size_t o = 0;
	out[0] = 0;
	for (size_t i = from; i < r->n; i++)
		for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
			if (r->ev[i].kind == keep[k] && o < len)
				o += (size_t)snprintf(out + o, len - o, "%s%s", o ? " " : "", ev_kinds[r->ev[i].kind].name);
}

/* One allocation, its result and the decisions it (and the daemons after
 * it) took. */
static void assert_decisions(struct t *t, unsigned order, uint32_t gfp, int rc, const char *want)
{
	uint32_t pfn;
	char got[1024];
	assert_int_equal(alloc_pages(t->m, order, gfp, -1, &pfn), rc);
	decisions(&t->r, 0, got, sizeof got);
	assert_string_equal(got, want);
}

/* GFP_ATOMIC order 1 fails on single frames and wakes kswapd for order 1;
 * kswapd reclaims 4 cache pages (compact_gap(1)), balances for order 0,
 * and going to sleep wakes kcompactd, which makes the block. */
static void test_kswapd_wakes_kcompactd(void **state)
{
	(void)state;
	struct t t;
	fragment(&t, true);
	uint32_t pfn, start = t.m->nsteps;
	assert_decisions(&t, 1, GFP_ATOMIC, MM_NOMEM,
			 "wakeup_kswapd fail kswapd_order0 kswapd_sleep wakeup_kcompactd kcompactd "
			 "compaction_suitable compact_finished");
	size_t i = find_kind(&t.r, 0, EV_KSWAPD_ORDER0);
	assert_event(&t.r, i, "kswapd_order0", "node=0 order=1 reclaimed=4");
	i = find_kind(&t.r, 0, EV_WAKEUP_KCOMPACTD);
	assert_event(&t.r, i, "wakeup_kcompactd", "node=0 order=1");
	assert_int_equal(ev_get(&t.r.ev[i], "woken"), 1);
	assert_event(&t.r, find_kind(&t.r, 0, EV_KCOMPACTD), "kcompactd", "node=0 order=1");
	assert_event(&t.r, find_kind(&t.r, 0, EV_COMPACT_END), "compact_finished", "order=1 result=success");
	/* kswapd's and kcompactd's runs are operations of their own */
	assert_true(t.r.ev[find_kind(&t.r, 0, EV_KCOMPACTD)].op != t.r.ev[find_kind(&t.r, 0, EV_KSWAPD_SLEEP)].op);
	assert_int_equal(t.z->compact.ev[CE_KCOMPACTD_WAKE], 1);
	assert_int_equal(node_lruvec(t.m, 0)->kcompactd_max_order, 0);
	assert_int_equal(node_lruvec(t.m, 0)->kcompactd_wake, 0);
	assert_int_equal(alloc_pages(t.m, 1, GFP_ATOMIC, -1, &pfn), MM_OK);
	assert_undo_redo(t.m, &t.r, start, t.m->nsteps);
	done(&t);
}

/* GFP_KERNEL order 1 with no frame free: compaction first (async) is
 * skipped, direct reclaim frees cache pages, compaction at SYNC_LIGHT
 * moves the app's pages and the walk after it succeeds. */
static void test_compaction_after_reclaim(void **state)
{
	(void)state;
	struct t t;
	fragment(&t, false);
	assert_true(t.z->free_pages < 2);
	uint32_t start = t.m->nsteps;
	assert_decisions(&t, 1, GFP_KERNEL, MM_OK,
			 "wakeup_kswapd direct_compact compaction_suitable try_to_free_pages direct_compact "
			 "compaction_suitable compact_finished done kswapd_sleep wakeup_kcompactd");
	size_t i = find_kind(&t.r, 0, EV_DIRECT_COMPACT);
	assert_event(&t.r, i, "direct_compact", "order=1 priority=async");
	assert_event(&t.r, i + 1, "compaction_suitable", "result=skipped");
	i = find_kind(&t.r, i + 1, EV_DIRECT_COMPACT);
	assert_event(&t.r, i, "direct_compact", "order=1 priority=sync_light");
	assert_event(&t.r, i + 1, "compaction_suitable", "result=continue");
	assert_int_equal(t.z->compact.ev[CE_COMPACTSTALL], 1); /* the skipped one is no stall */
	assert_int_equal(t.z->compact.ev[CE_COMPACTSUCCESS], 1);
	/* kswapd finds the node balanced; kcompactd is asked but stays asleep */
	i = find_kind(&t.r, 0, EV_WAKEUP_KCOMPACTD);
	assert_event(&t.r, i, "wakeup_kcompactd", "order=1");
	assert_int_equal(ev_get(&t.r.ev[i], "woken"), 0);
	assert_undo_redo(t.m, &t.r, start, t.m->nsteps);
	done(&t);
}

/* 256 frames: kernel pages at the even pfns, page cache at the odd ones.
 * Compaction can never free an aligned pair, reclaim always frees some. */
static void pinned(struct t *t)
{
	boot_textbook(t, 1 * MiB, 3);
	assert_int_equal(file_create(t->m, "f", 256 * PG, &t->file), MM_OK);
	for (uint32_t p = 0, i = 0; p < 256; p++) {
		if (p % 2 == 0)
			assert_int_equal(must_alloc(t->m, 0, GFP_KERNEL), p);
		else
			cache_page(t, i++);
	}
	assert_int_equal(t->z->free_pages, 0);
	recorder_clear(&t->r);
}

/* A cheap order: compaction fails (complete) each round while reclaim
 * makes progress; should_compact_retry lowers SYNC_LIGHT to SYNC_FULL,
 * then, at the lowest priority, gives up.  kswapd, woken by the request,
 * then wakes kcompactd, which cannot do better. */
static void test_compact_retry_raises_priority(void **state)
{
	(void)state;
	struct t t;
	pinned(&t);
	uint32_t start = t.m->nsteps;
	assert_decisions(&t, 1, GFP_KERNEL, MM_NOMEM,
			 "wakeup_kswapd direct_compact compaction_suitable try_to_free_pages "
			 "direct_compact compaction_suitable compact_finished should_reclaim_retry "
			 "should_compact_retry try_to_free_pages direct_compact compaction_suitable "
			 "compact_finished should_reclaim_retry should_compact_retry fail "
			 "kswapd_order0 kswapd_sleep wakeup_kcompactd kcompactd compaction_suitable compact_finished");
	size_t i = find_kind(&t.r, 0, EV_COMPACT_RETRY);
	assert_event(&t.r, i, "should_compact_retry",
		     "order=1 priority=sync_light result=complete retries=0 max_retries=16 retry=retry");
	assert_event(&t.r, find_kind(&t.r, i, EV_DIRECT_COMPACT), "direct_compact", "priority=sync_full");
	i = find_kind(&t.r, i + 1, EV_COMPACT_RETRY);
	assert_event(&t.r, i, "should_compact_retry", "priority=sync_full result=complete retry=stop");
	assert_event(&t.r, find_kind(&t.r, 0, EV_FAIL), "fail", "order=1 reason=fragmented");
	assert_undo_redo(t.m, &t.r, start, t.m->nsteps);
	done(&t);
}

/* A costly order with __GFP_RETRY_MAYFAIL retries, but SYNC_LIGHT is its
 * lowest priority: one should_compact_retry, which stops (max_retries, as
 * the kernel's trace shows it, is divided by 4 only after a success).
 * Without the flag it stops before asking. */
static void test_costly_stops_at_sync_light(void **state)
{
	(void)state;
	struct t t;
	/* orders 0..4 so that order 4 is costly; kernel pages every 16 frames */
	boot_textbook(&t, 1 * MiB, 5);
	assert_int_equal(file_create(t.m, "f", 256 * PG, &t.file), MM_OK);
	for (uint32_t p = 0, i = 0; p < 256; p++) {
		if (p % 16 == 0)
			assert_int_equal(must_alloc(t.m, 0, GFP_KERNEL), p);
		else
			cache_page(&t, i++);
	}
	recorder_clear(&t.r);
	uint32_t pfn, start = t.m->nsteps;
	assert_int_equal(alloc_pages(t.m, 4, GFP_KERNEL | __GFP_RETRY_MAYFAIL, -1, &pfn), MM_NOMEM);
	size_t i = find_kind(&t.r, 0, EV_COMPACT_RETRY);
	assert_true(i < t.r.n);
	assert_event(&t.r, i, "should_compact_retry", "order=4 priority=sync_light max_retries=16 retry=stop");
	assert_int_equal(find_kind(&t.r, i + 1, EV_COMPACT_RETRY), t.r.n);
	assert_undo_redo(t.m, &t.r, start, t.m->nsteps);
	recorder_clear(&t.r);
	assert_int_equal(alloc_pages(t.m, 4, GFP_KERNEL, -1, &pfn), MM_NOMEM);
	assert_int_equal(find_kind(&t.r, 0, EV_COMPACT_RETRY), t.r.n); /* costly: no retry at all */
	done(&t);
}

/* The checker: kcompactd woken with no order, or asked out of range. */
static void test_checker_catches_a_sleeping_wake(void **state)
{
	(void)state;
	struct t t;
	boot_textbook(&t, 256 * KiB, 3);
	node_lruvec(t.m, 0)->kcompactd_wake = 1;
	char why[256];
	assert_int_not_equal(check_compaction(t.m, why, sizeof why), 0);
	assert_non_null(strstr(why, "no order"));
	node_lruvec(t.m, 0)->kcompactd_wake = 0;
	node_lruvec(t.m, 0)->kcompactd_max_order = 3;
	assert_int_not_equal(check_compaction(t.m, why, sizeof why), 0);
	assert_non_null(strstr(why, "order 3"));
	node_lruvec(t.m, 0)->kcompactd_max_order = 0;
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kswapd_wakes_kcompactd),
		cmocka_unit_test(test_compaction_after_reclaim),
		cmocka_unit_test(test_compact_retry_raises_priority),
		cmocka_unit_test(test_costly_stops_at_sync_light),
		cmocka_unit_test(test_checker_catches_a_sleeping_wake),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
