/* The LRU lists and reclaim (src/mm/swap.c, vmscan.c, vmscan_kswapd.c,
 * page_writeback.c, mlock.c, sysctl.c): where new pages go, promotion on
 * a second access, each decision of shrink_folio_list, get_scan_count
 * against splits worked out by hand, kswapd stopping at high, direct
 * reclaim serving an allocation, mlock, the sysctls, bad input, and a
 * random walk under pressure with the checker and undo/redo hashes. */
#include <string.h>

#include "helpers.h"
#include "mm/procs.h"
#include "mm/vmscan.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
	uint32_t file, p, q;
};

static void setup_size(struct t *t, uint64_t memory, bool hash)
{
	t->m = boot((struct mm_config[]){config_textbook(memory)});
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = true;
	t->r.keep = !hash;
	t->r.hash = hash;
	recorder_attach(t->m, &t->r);
	assert_int_equal(file_create(t->m, "data", 4096 * PG, &t->file), MM_OK);
	assert_int_equal(process_create(t->m, "p", &t->p), MM_OK);
	assert_int_equal(process_create(t->m, "q", &t->q), MM_OK);
}

static void setup(struct t *t) { setup_size(t, 16 * MiB, false); }

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

static uint64_t fmap(struct t *t, uint32_t pid, unsigned pages, unsigned prot, unsigned flags)
{
	uint64_t a;
	assert_int_equal(do_mmap_file(t->m, pid, 0, pages * PG, prot, flags, t->file, 0, &a), MM_OK);
	return a;
}

static struct fault_result acc(struct t *t, uint32_t pid, uint64_t va, enum pt_access a, uint64_t v)
{
	struct fault_result r;
	assert_int_equal(handle_access(t->m, pid, va, a, v, &r), MM_OK);
	return r;
}

static uint32_t head(const struct t *t, enum lru_list lru) { return node_lruvec(t->m, 0)->lists[lru].head; }
static uint32_t tail(const struct t *t, enum lru_list lru) { return node_lruvec(t->m, 0)->lists[lru].tail; }
static uint32_t size(const struct t *t, enum lru_list lru) { return node_lruvec(t->m, 0)->lists[lru].nr; }
static uint32_t flags(const struct t *t, uint32_t pfn) { return page_user(t->m, pfn)->flags; }

static bool young(const struct t *t, uint32_t pid, uint64_t va)
{
	return (pt_leaf_entry(t->m, task_mm(t->m, pid)->asid, va) & X86_ACCESSED) != 0;
}

/* shrink_folio_list's decision on one page, as one operation. */
static enum folio_decision shrink(struct t *t, uint32_t pfn)
{
	struct scan_control sc = {.priority = DEF_PRIORITY, .kswapd = true};
	mm_op_begin(t->m);
	enum folio_decision d = shrink_folio(t->m, pfn, &sc);
	for (unsigned i = 0; i < sc.nr_written; i++)
		folio_end_writeback(t->m, sc.written[i]);
	mm_op_end(t->m);
	return d;
}

static void test_new_pages_join_the_inactive_lists(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a;
	assert_int_equal(do_mmap(t.m, t.p, 0, 2 * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	uint32_t anon = acc(&t, t.p, a, ACC_WRITE, 5).pfn;
	/* 6.18 without MGLRU: a new anonymous page starts inactive */
	assert_int_equal(head(&t, LRU_INACTIVE_ANON), anon);
	assert_int_equal(size(&t, LRU_INACTIVE_ANON), 1);
	assert_int_equal(size(&t, LRU_ACTIVE_ANON), 0);
	assert_true(flags(&t, anon) & PG_lru);
	uint64_t v;
	unsigned n, disk;
	assert_int_equal(file_read(t.m, t.file, 0, PG, &v, 1, &n, &disk), MM_OK);
	uint32_t file = filemap_lookup(t.m, file_by_id(t.m, t.file), 0);
	assert_int_equal(head(&t, LRU_INACTIVE_FILE), file);
	assert_true(flags(&t, file) & PG_referenced); /* read() marked it */
	/* a page freed leaves its list */
	assert_int_equal(do_munmap(t.m, t.p, a, 2 * PG), MM_OK);
	assert_int_equal(size(&t, LRU_INACTIVE_ANON), 0);
	assert_int_equal(head(&t, LRU_INACTIVE_ANON), PFN_NONE);
	done(&t);
}

static void test_second_access_promotes(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t v;
	unsigned n, disk;
	assert_int_equal(file_read(t.m, t.file, 0, PG, &v, 1, &n, &disk), MM_OK);
	uint32_t pfn = filemap_lookup(t.m, file_by_id(t.m, t.file), 0);
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_INACTIVE_FILE);
	size_t at = t.r.n;
	assert_int_equal(file_read(t.m, t.file, 0, PG, &v, 1, &n, &disk), MM_OK);
	assert_event(&t.r, find_kind(&t.r, at, EV_MARK_ACCESSED), "mark_page_accessed", "lru=active_file");
	assert_int_equal(head(&t, LRU_ACTIVE_FILE), pfn);
	assert_false(flags(&t, pfn) & PG_referenced); /* activation clears the mark */
	assert_int_equal(vmscan_root(t.m)->ev.pgactivate, 1);
	/* a third access marks it again; a fourth leaves an active page as it is */
	assert_int_equal(file_read(t.m, t.file, 0, PG, &v, 1, &n, &disk), MM_OK);
	assert_int_equal(file_read(t.m, t.file, 0, PG, &v, 1, &n, &disk), MM_OK);
	assert_int_equal(size(&t, LRU_ACTIVE_FILE), 1);
	assert_int_equal(vmscan_root(t.m)->ev.pgactivate, 1);
	done(&t);
}

/* Second chance: a young PTE keeps the page once (PG_referenced set, the
 * bit cleared through the reverse map); untouched, the next pass frees it;
 * touched again, it is activated. */
static void test_second_chance(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = fmap(&t, t.p, 2, VM_READ, MAP_PRIVATE);
	uint32_t p0 = acc(&t, t.p, a, ACC_READ, 0).pfn, p1 = acc(&t, t.p, a + PG, ACC_READ, 0).pfn;
	assert_true(young(&t, t.p, a));
	size_t at = t.r.n;
	assert_int_equal(shrink(&t, p0), FD_KEEP_REFERENCED);
	assert_event(&t.r, find_kind(&t.r, at, EV_FOLIO_REFERENCED), "folio_referenced", "pid=1 young=1");
	assert_false(young(&t, t.p, a));
	assert_true(flags(&t, p0) & PG_referenced);
	assert_int_equal(head(&t, LRU_INACTIVE_FILE), p0);
	/* untouched since: PG_referenced alone reclaims a clean page */
	uint32_t cached = file_by_id(t.m, t.file)->nrpages;
	assert_int_equal(shrink(&t, p0), FD_FREED);
	assert_int_equal(file_by_id(t.m, t.file)->nrpages, cached - 1);
	assert_int_equal(filemap_lookup(t.m, file_by_id(t.m, t.file), 0), PFN_NONE);
	assert_int_equal(frame_state(&t.m->frames[p0]), FS_FREE);
	assert_int_equal(pt_leaf_entry(t.m, task_mm(t.m, t.p)->asid, a), 0);
	/* the other page: kept once, touched again, then activated */
	assert_int_equal(shrink(&t, p1), FD_KEEP_REFERENCED);
	acc(&t, t.p, a + PG, ACC_READ, 0);
	assert_true(young(&t, t.p, a + PG));
	assert_int_equal(shrink(&t, p1), FD_ACTIVATE_TWICE);
	assert_int_equal(head(&t, LRU_ACTIVE_FILE), p1);
	done(&t);
}

static void test_two_young_mappers_activate(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = fmap(&t, t.p, 1, VM_READ, MAP_SHARED), b = fmap(&t, t.q, 1, VM_READ, MAP_SHARED);
	uint32_t pfn = acc(&t, t.p, a, ACC_READ, 0).pfn;
	assert_int_equal(acc(&t, t.q, b, ACC_READ, 0).pfn, pfn);
	assert_int_equal(shrink(&t, pfn), FD_ACTIVATE_TWICE);
	assert_false(young(&t, t.p, a) || young(&t, t.q, b)); /* both bits cleared */
	done(&t);
}

static void test_executable_activates(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = fmap(&t, t.p, 1, VM_READ | VM_EXEC, MAP_PRIVATE);
	uint32_t pfn = acc(&t, t.p, a, ACC_EXEC, 0).pfn;
	assert_int_equal(shrink(&t, pfn), FD_ACTIVATE_EXEC);
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_ACTIVE_FILE);
	/* on the active list a referenced executable page stays active */
	acc(&t, t.p, a, ACC_EXEC, 0);
	struct scan_control sc = {.priority = DEF_PRIORITY};
	mm_op_begin(t.m);
	shrink_active_list(t.m, 0, 1, LRU_ACTIVE_FILE, &sc);
	mm_op_end(t.m);
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_ACTIVE_FILE);
	/* untouched, it is deactivated */
	mm_op_begin(t.m);
	shrink_active_list(t.m, 0, 1, LRU_ACTIVE_FILE, &sc);
	mm_op_end(t.m);
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_INACTIVE_FILE);
	assert_int_equal(vmscan_root(t.m)->ev.pgdeactivate, 1);
	assert_int_equal(vmscan_root(t.m)->ev.pgrefill, 2);
	done(&t);
}

/* Without swap an anonymous page cannot be reclaimed: referenced or not
 * it goes back, active. */
static void test_anon_without_swap(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a;
	assert_int_equal(do_mmap(t.m, t.p, 0, 2 * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	uint32_t p0 = acc(&t, t.p, a, ACC_WRITE, 1).pfn, p1 = acc(&t, t.p, a + PG, ACC_WRITE, 2).pfn;
	assert_false(can_reclaim_anon_pages(t.m));
	assert_int_equal(shrink(&t, p0), FD_ACTIVATE_ANON);
	assert_int_equal(folio_lru_list(t.m, p0), LRU_ACTIVE_ANON);
	assert_int_equal(shrink(&t, p1), FD_ACTIVATE_ANON);
	/* deactivated (which clears no bit of an old PTE), then found unreferenced */
	struct scan_control sc = {.priority = DEF_PRIORITY};
	mm_op_begin(t.m);
	shrink_active_list(t.m, 0, 2, LRU_ACTIVE_ANON, &sc);
	mm_op_end(t.m);
	assert_int_equal(size(&t, LRU_INACTIVE_ANON), 2);
	assert_false(young(&t, t.p, a + PG));
	assert_int_equal(shrink(&t, p1), FD_NO_SWAP);
	assert_int_equal(folio_lru_list(t.m, p1), LRU_ACTIVE_ANON);
	assert_int_equal(page_user(t.m, p1)->content, 2);
	done(&t);
}

/* A dirty page: referenced once it is kept, with PG_referenced alone it
 * is kept dirty (FOLIOREF_RECLAIM_CLEAN), then written; the write done, it
 * is rotated to the tail and the next pass frees it. */
static void test_dirty_page_is_written_then_freed(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = fmap(&t, t.p, 2, VM_READ | VM_WRITE, MAP_SHARED);
	uint32_t pfn = acc(&t, t.p, a, ACC_WRITE, 77).pfn;
	acc(&t, t.p, a + PG, ACC_READ, 0);
	assert_int_equal(vmscan_root(t.m)->nr_dirty, 1);
	assert_int_equal(shrink(&t, pfn), FD_KEEP_REFERENCED);
	assert_int_equal(shrink(&t, pfn), FD_KEEP_DIRTY_REFERENCED);
	assert_int_equal(page_user(t.m, pfn)->mapcount, 0); /* unmapped on the way */
	size_t at = t.r.n;
	assert_int_equal(shrink(&t, pfn), FD_PAGEOUT);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_END_WRITEBACK)], "rotated"), 1);
	assert_int_equal(vmscan_root(t.m)->nr_dirty, 0);
	assert_int_equal(vmscan_root(t.m)->nr_writeback, 0);
	assert_int_equal(vmscan_root(t.m)->ev.pgpgout, 1);
	assert_int_equal(vmscan_root(t.m)->ev.pgrotated, 1);
	assert_int_equal(tail(&t, LRU_INACTIVE_FILE), pfn);
	assert_false(flags(&t, pfn) & (PG_dirty | PG_writeback | PG_reclaim));
	assert_int_equal(shrink(&t, pfn), FD_FREED);
	/* the write reached the disk: faulting it back reads it from there */
	struct fault_result back = acc(&t, t.p, a, ACC_READ, 0);
	assert_true(back.major);
	assert_int_equal(back.value, 77);
	done(&t);
}

static void lists(struct machine *m, uint32_t ia, uint32_t aa, uint32_t in, uint32_t af, uint64_t ac, uint64_t fc)
{
	struct lruvec *l = node_lruvec(m, 0);
	l->lists[LRU_INACTIVE_ANON].nr = ia;
	l->lists[LRU_ACTIVE_ANON].nr = aa;
	l->lists[LRU_INACTIVE_FILE].nr = in;
	l->lists[LRU_ACTIVE_FILE].nr = af;
	l->anon_cost = ac;
	l->file_cost = fc;
}

/* get_scan_count reads only the list sizes and costs: set them by hand.
 * Sizes 4000/2000/8000/1000 at priority 2 are 1000/500/2000/250.  Costs
 * anon 100, file 300, swappiness 60: total 400, anon 400+100 = 500, file
 * 700, total 1200; ap = 60*1201/501 = 143, fp = 140*1201/701 = 239; so
 * 1000*143/382 = 374, 500*143/382 = 187, 2000*239/382 = 1251, 250*239/382
 * = 156. */
static void test_get_scan_count_splits(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(16 * MiB)});
	lists(m, 4000, 2000, 8000, 1000, 100, 300);
	uint64_t nr[4];
	struct scan_control sc = {.priority = 2, .can_swap = true, .swappiness = 60};
	assert_int_equal(get_scan_count(m, 0, &sc, nr), SCAN_FRACT);
	assert_int_equal(nr[0], 374);
	assert_int_equal(nr[1], 187);
	assert_int_equal(nr[2], 1251);
	assert_int_equal(nr[3], 156);
	/* swappiness 0: anon gets nothing; 200: file gets nothing */
	sc.swappiness = 0;
	get_scan_count(m, 0, &sc, nr);
	assert_true(nr[0] == 0 && nr[1] == 0 && nr[2] == 2000 && nr[3] == 250);
	sc.swappiness = 200;
	get_scan_count(m, 0, &sc, nr);
	assert_true(nr[0] == 1000 && nr[1] == 500 && nr[2] == 0 && nr[3] == 0);
	/* no swap: file only */
	sc = (struct scan_control){.priority = 2, .swappiness = 60};
	assert_int_equal(get_scan_count(m, 0, &sc, nr), SCAN_FILE);
	assert_true(nr[0] == 0 && nr[1] == 0 && nr[2] == 2000 && nr[3] == 250);
	/* priority 0 with swap: every list whole */
	sc = (struct scan_control){.priority = 0, .can_swap = true, .swappiness = 60};
	assert_int_equal(get_scan_count(m, 0, &sc, nr), SCAN_EQUAL);
	assert_true(nr[0] == 4000 && nr[1] == 2000 && nr[2] == 8000 && nr[3] == 1000);
	/* DEF_PRIORITY: 4000 >> 12 = 0, 8000 >> 12 = 1 */
	sc = (struct scan_control){.priority = DEF_PRIORITY};
	get_scan_count(m, 0, &sc, nr);
	assert_true(nr[0] == 0 && nr[2] == 1 && nr[3] == 0);
	sc = (struct scan_control){.priority = 2, .can_swap = true, .swappiness = 60, .file_is_tiny = true};
	assert_int_equal(get_scan_count(m, 0, &sc, nr), SCAN_ANON);
	assert_true(nr[0] == 1000 && nr[2] == 0);
	sc = (struct scan_control){.priority = 2, .can_swap = true, .swappiness = 60, .cache_trim_mode = true};
	assert_int_equal(get_scan_count(m, 0, &sc, nr), SCAN_FILE);
	/* inactive_is_low: under 1 GiB the ratio is 1: inactive < active */
	assert_false(inactive_is_low(m, 0, LRU_INACTIVE_FILE));
	lists(m, 4000, 2000, 999, 1000, 0, 0);
	assert_true(inactive_is_low(m, 0, LRU_INACTIVE_FILE));
	/* 10 GiB of 4K pages on the file lists: ratio isqrt(100) = 10 */
	lists(m, 0, 0, 238313, 2383127, 0, 0);
	assert_false(inactive_is_low(m, 0, LRU_INACTIVE_FILE));
	lists(m, 0, 0, 238312, 2383128, 0, 0);
	assert_true(inactive_is_low(m, 0, LRU_INACTIVE_FILE));
	lists(m, 0, 0, 0, 0, 0, 0);
	machine_free(m);
}

/* Read the file until free memory is near low, then allocate: kswapd is
 * woken, runs after the allocation, and stops once the zone is above high. */
static void test_kswapd_stops_at_high(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 8 * MiB, false);
	/* 8M x86_64: DMA only, min 32, low 40, high 48 */
	struct zone *z = machine_zone(t.m, 0, ZONE_DMA);
	uint64_t v;
	unsigned n, disk, page = 0;
	while (z->free_pages > z->wmark[WMARK_LOW] + 4)
		assert_int_equal(file_read(t.m, t.file, page++ * PG, PG, &v, 1, &n, &disk), MM_OK);
	size_t at = t.r.n;
	while (find_kind(&t.r, at, EV_KSWAPD_SLEEP) == t.r.n)
		assert_int_equal(file_read(t.m, t.file, page++ * PG, PG, &v, 1, &n, &disk), MM_OK);
	size_t wake = find_kind(&t.r, at, EV_WAKEUP_KSWAPD), sleep = find_kind(&t.r, at, EV_KSWAPD_SLEEP);
	assert_true(wake < find_kind(&t.r, at, EV_BALANCE_PGDAT));
	assert_event(&t.r, sleep, "kswapd_sleep", "balanced=balanced failures=0");
	assert_true(z->free_pages > z->wmark[WMARK_HIGH]);
	/* it stopped there: most of the cache is still cached */
	assert_true(file_by_id(t.m, t.file)->nrpages > page / 2);
	assert_true(vmscan_root(t.m)->ev.pgsteal_kswapd > 0);
	assert_int_equal(vmscan_root(t.m)->ev.pgscan_direct, 0);
	/* kswapd() now: balanced, it reclaims nothing */
	struct snapshot s = snap(t.m, &t.r);
	assert_int_equal(kswapd_run_all(t.m), 0);
	assert_true(t.r.n > s.events);
	done(&t);
}

/* Below min with only cache to take: the allocation reclaims directly. */
static void test_direct_reclaim_serves_the_allocation(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 8 * MiB, false);
	uint64_t v;
	unsigned n, disk;
	for (unsigned i = 0; i < 600; i++)
		assert_int_equal(file_read(t.m, t.file, i * PG, PG, &v, 1, &n, &disk), MM_OK);
	/* raise the marks above what is free: every allocation now stalls */
	struct zone *z = machine_zone(t.m, 0, ZONE_DMA);
	bool given[NR_VM_SYSCTL] = {false, true, false};
	int64_t value[NR_VM_SYSCTL] = {0, (int64_t)(((z->free_pages + 16) * PG) >> 10), 0};
	assert_int_equal(vm_sysctl_set(t.m, given, value), MM_OK);
	assert_true(z->free_pages < z->wmark[WMARK_MIN]);
	size_t at = t.r.n;
	assert_int_equal(alloc_pages(t.m, 0, GFP_KERNEL, -1, &(uint32_t){0}), MM_OK);
	size_t ttf = find_kind(&t.r, at, EV_TRY_TO_FREE_PAGES);
	assert_true(ttf < find_kind(&t.r, at, EV_DONE));
	assert_true(ev_get(&t.r.ev[ttf], "reclaimed") >= SWAP_CLUSTER_MAX);
	assert_int_equal(vmscan_root(t.m)->ev.allocstall[ZONE_NORMAL], 1);
	assert_true(vmscan_root(t.m)->ev.pgsteal_direct >= SWAP_CLUSTER_MAX);
	done(&t);
}

static void test_mlock_and_munlock(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = fmap(&t, t.p, 4, VM_READ, MAP_SHARED);
	acc(&t, t.p, a, ACC_READ, 0);
	/* mlock faults the rest in and moves all four to the unevictable list */
	assert_int_equal(do_mlock(t.m, t.p, a + 5, 4 * PG - 5, true), MM_OK);
	assert_int_equal(size(&t, LRU_UNEVICTABLE), 4);
	assert_int_equal(vmscan_root(t.m)->nr_mlock, 4);
	assert_int_equal(size(&t, LRU_INACTIVE_FILE), 0);
	/* reclaim cannot take them */
	uint64_t got;
	assert_int_equal(memory_reclaim(t.m, 4, &got), MM_NOMEM);
	assert_int_equal(size(&t, LRU_UNEVICTABLE), 4);
	/* munlock half: two back to the inactive list */
	assert_int_equal(do_mlock(t.m, t.p, a, 2 * PG, false), MM_OK);
	assert_int_equal(size(&t, LRU_UNEVICTABLE), 2);
	assert_int_equal(size(&t, LRU_INACTIVE_FILE), 2);
	assert_int_equal(vmscan_root(t.m)->ev.unevictable_pgs_munlocked, 2);
	/* unmapping the locked rest unlocks it */
	assert_int_equal(do_munmap(t.m, t.p, a, 4 * PG), MM_OK);
	assert_int_equal(vmscan_root(t.m)->nr_mlock, 0);
	assert_int_equal(size(&t, LRU_INACTIVE_FILE), 4);
	/* bad input changes nothing */
	struct snapshot s = snap(t.m, &t.r);
	assert_int_equal(do_mlock(t.m, t.p, a, 0, true), MM_EINVAL);
	assert_string_equal(t.m->error, "mlock: len is 0: there is nothing to mlock");
	assert_int_equal(do_mlock(t.m, t.p, a, PG, true), MM_EINVAL);
	assert_non_null(strstr(t.m->error, "is not mapped"));
	assert_int_equal(do_mlock(t.m, 99, a, PG, true), MM_EINVAL);
	assert_unchanged(t.m, &t.r, &s);
	done(&t);
}

static void test_sysctl_recomputes_watermarks(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	struct mm_config c = config_textbook(16 * MiB);
	c.min_free_kbytes = 1024;
	struct machine *ref = boot(&c);
	bool given[NR_VM_SYSCTL] = {true, true, false};
	int64_t value[NR_VM_SYSCTL] = {100, 1024, 0};
	assert_int_equal(vm_sysctl_set(t.m, given, value), MM_OK);
	for (unsigned w = 0; w < NR_WMARK; w++)
		assert_int_equal(machine_zone(t.m, 0, ZONE_DMA)->wmark[w], machine_zone(ref, 0, ZONE_DMA)->wmark[w]);
	assert_int_equal(vm_sysctl_get(t.m, SYSCTL_SWAPPINESS), 100);
	/* the gaps follow watermark_scale_factor: 4096 pages * 1000 / 10000 */
	bool wsf[NR_VM_SYSCTL] = {false, false, true};
	int64_t v2[NR_VM_SYSCTL] = {0, 0, 1000};
	assert_int_equal(vm_sysctl_set(t.m, wsf, v2), MM_OK);
	const struct zone *z = machine_zone(t.m, 0, ZONE_DMA);
	assert_int_equal(z->wmark[WMARK_LOW] - z->wmark[WMARK_MIN], z->managed * 1000 / 10000);
	/* out of range: nothing changes, not even the valid one beside it */
	struct snapshot s = snap(t.m, &t.r);
	int64_t bad[NR_VM_SYSCTL] = {-1, 2048, 0};
	assert_int_equal(vm_sysctl_set(t.m, given, bad), MM_EINVAL);
	assert_string_equal(t.m->error, "sysctl: vm.swappiness must be from 0 to 200, not -1");
	int64_t bad2[NR_VM_SYSCTL] = {0, 0, 3001};
	assert_int_equal(vm_sysctl_set(t.m, wsf, bad2), MM_EINVAL);
	uint64_t got;
	assert_int_equal(memory_reclaim(t.m, 0, &got), MM_EINVAL);
	assert_unchanged(t.m, &t.r, &s);
	machine_free(ref);
	done(&t);
}

static void test_random_walk_under_pressure(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 4 * MiB, true);
	uint64_t seed = 7, out;
	uint32_t pids[2] = {t.p, t.q};
	for (int i = 0; i < 500; i++) {
		uint32_t pid = pids[xorshift64(&seed) % 2];
		uint64_t base = task_mm(t.m, pid)->mmap_base, va = base - (1 + xorshift64(&seed) % 64) * PG;
		struct fault_result r;
		uint64_t v;
		unsigned n, disk;
		switch (xorshift64(&seed) % 10) {
		case 0:
			do_mmap_file(t.m, pid, 0, (1 + xorshift64(&seed) % 16) * PG, VM_READ | VM_WRITE,
				     xorshift64(&seed) % 2 ? MAP_SHARED : MAP_PRIVATE, t.file,
				     (xorshift64(&seed) % 512) * PG, &out);
			break;
		case 1:
			do_mmap(t.m, pid, 0, (1 + xorshift64(&seed) % 8) * PG, VM_READ | VM_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, &out);
			break;
		case 2:
			do_munmap(t.m, pid, va, PG);
			break;
		case 3:
			file_read(t.m, t.file, (xorshift64(&seed) % 1000) * PG, 8 * PG, &v, 1, &n, &disk);
			break;
		case 4:
			memory_reclaim(t.m, 1 + xorshift64(&seed) % 40, &out);
			break;
		case 5:
			do_mlock(t.m, pid, va, PG * (1 + xorshift64(&seed) % 3), xorshift64(&seed) % 2);
			break;
		case 6:
			if (xorshift64(&seed) % 4 == 0)
				kswapd_run_all(t.m);
			break;
		default:
			handle_access(t.m, pid, va, xorshift64(&seed) % 2 ? ACC_WRITE : ACC_READ, xorshift64(&seed), &r);
		}
	}
	const struct vm_events *e = &vmscan_root(t.m)->ev;
	assert_true(e->pgsteal_kswapd + e->pgsteal_direct + e->pgsteal_proactive > 0);
	uint32_t end = t.m->nsteps;
	for (uint32_t s = end; s-- > 0;) {
		machine_seek(t.m, s);
		if (machine_hash(t.m) != t.r.hashes[s])
			fail_msg("state after undoing to step %u differs", s);
	}
	machine_seek(t.m, end);
	assert_true(machine_hash(t.m) == t.r.hashes[end]);
	print_message("%u steps, %u pages reclaimed\n", end, e->pgsteal_kswapd + e->pgsteal_direct + e->pgsteal_proactive);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_pages_join_the_inactive_lists),
		cmocka_unit_test(test_second_access_promotes),
		cmocka_unit_test(test_second_chance),
		cmocka_unit_test(test_two_young_mappers_activate),
		cmocka_unit_test(test_executable_activates),
		cmocka_unit_test(test_anon_without_swap),
		cmocka_unit_test(test_dirty_page_is_written_then_freed),
		cmocka_unit_test(test_get_scan_count_splits),
		cmocka_unit_test(test_kswapd_stops_at_high),
		cmocka_unit_test(test_direct_reclaim_serves_the_allocation),
		cmocka_unit_test(test_mlock_and_munlock),
		cmocka_unit_test(test_sysctl_recomputes_watermarks),
		cmocka_unit_test(test_random_walk_under_pressure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
