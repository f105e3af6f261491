/* Workingset detection (workingset.c and its hooks in vmscan.c, swap.c,
 * filemap.c, swap_state.c): shadow entries packed and unpacked, refault
 * distances worked by hand for file and anon pages, the restore of a page
 * that was active, shadows going with their swap slots, the checker's
 * shadow invariants each made to fire, and a random walk under pressure
 * with refaults checked by assert_undo_redo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mm/check.h"
#include "mm/pgtable.h"
#include "mm/procs.h"
#include "mm/swap.h"
#include "mm/vmscan.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
	uint32_t file, p;
};

static void setup_size(struct t *t, uint64_t memory, bool hash)
{
	t->m = boot((struct mm_config[]){config_mem(memory)});
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = true;
	t->r.keep = !hash;
	t->r.hash = hash;
	recorder_attach(t->m, &t->r);
	assert_int_equal(file_create(t->m, "data", 1024 * PG, &t->file), MM_OK);
	assert_int_equal(process_create(t->m, "p", &t->p), MM_OK);
}

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

static const struct lruvec *lv(const struct t *t) { return node_lruvec(t->m, 0); }

/* read() of one page: its frame */
static uint32_t rd(struct t *t, uint64_t index)
{
	uint64_t v;
	unsigned n, disk;
	assert_int_equal(file_read(t->m, t->file, index * PG, PG, &v, 1, &n, &disk), MM_OK);
	return filemap_lookup(t->m, file_by_id(t->m, t->file), index);
}

static uint32_t slot(const struct t *t, uint64_t index)
{
	const struct address_space *f = file_by_id(t->m, t->file);
	return ((const uint32_t *)procs_ptr(t->m, f->slots))[index];
}

/* shrink_folio_list on the inactive file list's tail, as one operation */
static enum folio_decision shrink_tail(struct t *t, enum lru_list lru)
{
	struct scan_control sc = {.priority = DEF_PRIORITY, .kswapd = true, .can_swap = true};
	mm_op_begin(t->m);
	enum folio_decision d = shrink_folio(t->m, lv(t)->lists[lru].tail, &sc);
	mm_op_end(t->m);
	return d;
}

static const struct event *last(const struct t *t, enum ev_kind k)
{
	for (size_t i = t->r.n; i-- > 0;)
		if (t->r.ev[i].kind == k)
			return &t->r.ev[i];
	fail_msg("no %s event", ev_kinds[k].name);
	return NULL;
}

static void test_pack_unpack(void **state)
{
	(void)state;
	uint32_t s = pack_shadow(5, 123456, true);
	assert_true(slot_is_shadow(s));
	struct shadow u = unpack_shadow(s);
	assert_int_equal(u.node, 5);
	assert_int_equal(u.eviction, 123456);
	assert_true(u.workingset);
	/* the age keeps its low WS_EVICTION_BITS bits */
	u = unpack_shadow(pack_shadow(0, (1u << WS_EVICTION_BITS) + 7, false));
	assert_int_equal(u.eviction, 7);
	assert_false(u.workingset);
	/* 16 MiB = 4096 pages: fls(4095) = 12 bits fit in 24, no buckets */
	struct t t;
	setup_size(&t, 16 * MiB, false);
	assert_int_equal(workingset_bucket_order(t.m), 0);
	done(&t);
}

/* Ages and lists worked by hand, no swap (so anon lists do not count):
 * read 0..3 (inactive file 3 2 1 0, tail 0); evict 0 at age 0 (age 1);
 * read 1 again: activated (age 2); evict 2 at age 2 (age 3).  Page 0
 * refaults at distance 3 - 0 = 3 against active_file 1: too far.  Four
 * pages activated (age 7, active_file 5); page 2 refaults at distance
 * 7 - 2 = 5 <= 5: activated (age 8). */
static void test_file_refault_distance(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 16 * MiB, false);
	for (unsigned i = 0; i < 4; i++)
		rd(&t, i);
	assert_int_equal(lv(&t)->nonresident_age, 0);
	assert_int_equal(shrink_tail(&t, LRU_INACTIVE_FILE), FD_FREED);
	assert_int_equal(slot(&t, 0), pack_shadow(0, 0, false));
	assert_int_equal(lv(&t)->nonresident_age, 1);
	rd(&t, 1);
	assert_int_equal(lv(&t)->nonresident_age, 2);
	assert_int_equal(shrink_tail(&t, LRU_INACTIVE_FILE), FD_FREED);
	assert_int_equal(slot(&t, 2), pack_shadow(0, 2, false));
	assert_int_equal(lv(&t)->nonresident_age, 3);

	uint32_t pfn = rd(&t, 0);
	const struct event *e = last(&t, EV_WORKINGSET_REFAULT);
	assert_int_equal(ev_get(e, "distance"), 3);
	assert_int_equal(ev_get(e, "size"), 1);
	assert_int_equal(ev_get(e, "how"), WS_REFAULT_FAR);
	assert_false(page_user(t.m, pfn)->flags & PG_active);
	assert_int_equal(lv(&t)->ws_refault[1], 1);
	assert_int_equal(lv(&t)->ws_activate[1], 0);
	assert_int_equal(lv(&t)->nonresident_age, 3);

	for (unsigned i = 10; i < 14; i++) {
		rd(&t, i);
		rd(&t, i);
	}
	assert_int_equal(lv(&t)->nonresident_age, 7);
	assert_int_equal(lv(&t)->lists[LRU_ACTIVE_FILE].nr, 5);
	pfn = rd(&t, 2);
	e = last(&t, EV_WORKINGSET_REFAULT);
	assert_int_equal(ev_get(e, "eviction"), 2);
	assert_int_equal(ev_get(e, "refault"), 7);
	assert_int_equal(ev_get(e, "distance"), 5);
	assert_int_equal(ev_get(e, "size"), 5);
	assert_int_equal(ev_get(e, "how"), WS_REFAULT_ACTIVATE);
	assert_true(page_user(t.m, pfn)->flags & PG_active);
	assert_false(page_user(t.m, pfn)->flags & PG_workingset);
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_ACTIVE_FILE);
	assert_int_equal(lv(&t)->ws_refault[1], 2);
	assert_int_equal(lv(&t)->ws_activate[1], 1);
	assert_int_equal(lv(&t)->ws_restore[1], 0);
	assert_int_equal(lv(&t)->nonresident_age, 8);
	done(&t);
}

/* A page deactivated by shrink_active_list is PG_workingset; evicted, its
 * shadow keeps the bit, and a near refault restores it. */
static void test_restore(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 16 * MiB, false);
	rd(&t, 0);
	rd(&t, 0); /* active, age 1 */
	rd(&t, 1);
	rd(&t, 1); /* active, age 2; active list: 1 0, tail 0 */
	struct scan_control sc = {.priority = DEF_PRIORITY, .kswapd = true};
	mm_op_begin(t.m);
	shrink_active_list(t.m, 0, 1, LRU_ACTIVE_FILE, &sc);
	mm_op_end(t.m);
	uint32_t was = filemap_lookup(t.m, file_by_id(t.m, t.file), 0);
	assert_true(page_user(t.m, was)->flags & PG_workingset);
	assert_int_equal(shrink_tail(&t, LRU_INACTIVE_FILE), FD_FREED);
	assert_int_equal(slot(&t, 0), pack_shadow(0, 2, true));
	/* distance 3 - 2 = 1 against active_file 1 */
	uint32_t pfn = rd(&t, 0);
	const struct event *e = last(&t, EV_WORKINGSET_REFAULT);
	assert_int_equal(ev_get(e, "distance"), 1);
	assert_int_equal(ev_get(e, "how"), WS_REFAULT_RESTORE);
	assert_true(page_user(t.m, pfn)->flags & PG_workingset);
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_ACTIVE_FILE);
	assert_int_equal(lv(&t)->ws_restore[1], 1);
	done(&t);
}

/* Anon pages swapped out leave shadows in the swap table; the swap-in
 * refaults against active_file + inactive_file + active_anon (swap is
 * free) and the page joins an anon LRU list again. */
static void test_anon_refault(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 16 * MiB, false);
	unsigned type;
	assert_int_equal(do_swapon(t.m, 4 * MiB, 0, false, NULL, &type), MM_OK);
	uint64_t a;
	struct fault_result r;
	assert_int_equal(do_mmap(t.m, t.p, 0, 4 * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(handle_access(t.m, t.p, a + i * PG, ACC_WRITE, 100 + i, &r), MM_OK);
	unsigned paged;
	assert_int_equal(do_madvise(t.m, t.p, a, 4 * PG, "MADV_PAGEOUT", &paged), MM_OK);
	assert_int_equal(paged, 4);
	assert_int_equal(lv(&t)->nonresident_age, 4);
	uint64_t e0 = pte_to_swp_entry(t.m, *pte_lookup(t.m, task_mm(t.m, t.p)->asid, a, NULL));
	assert_int_equal(swap_cache_get_shadow(t.m, e0), pack_shadow(0, 0, false));

	/* page 0: distance 4 against 0 pages */
	assert_int_equal(handle_access(t.m, t.p, a, ACC_READ, 0, &r), MM_OK);
	const struct event *e = last(&t, EV_WORKINGSET_REFAULT);
	assert_int_equal(ev_get(e, "type"), 0);
	assert_int_equal(ev_get(e, "distance"), 4);
	assert_int_equal(ev_get(e, "size"), 0);
	assert_int_equal(ev_get(e, "how"), WS_REFAULT_FAR);
	uint32_t pfn = pte_pfn(t.m, pt_leaf_entry(t.m, task_mm(t.m, t.p)->asid, a));
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_INACTIVE_ANON);
	assert_true(page_user(t.m, pfn)->flags & PG_lru);
	assert_int_equal(swap_cache_get_shadow(t.m, e0), 0);

	/* four file pages on the inactive list: page 1 at distance 3 fits */
	for (unsigned i = 0; i < 4; i++)
		rd(&t, i);
	assert_int_equal(handle_access(t.m, t.p, a + PG, ACC_READ, 0, &r), MM_OK);
	e = last(&t, EV_WORKINGSET_REFAULT);
	assert_int_equal(ev_get(e, "distance"), 3);
	assert_int_equal(ev_get(e, "size"), 4);
	assert_int_equal(ev_get(e, "how"), WS_REFAULT_ACTIVATE);
	pfn = pte_pfn(t.m, pt_leaf_entry(t.m, task_mm(t.m, t.p)->asid, a + PG));
	assert_int_equal(folio_lru_list(t.m, pfn), LRU_ACTIVE_ANON);
	assert_int_equal(lv(&t)->ws_refault[0], 2);
	assert_int_equal(lv(&t)->ws_activate[0], 1);
	assert_int_equal(lv(&t)->nonresident_age, 5);

	/* the shadow of page 2 goes with its slot when the PTE is zapped */
	uint64_t e2 = pte_to_swp_entry(t.m, *pte_lookup(t.m, task_mm(t.m, t.p)->asid, a + 2 * PG, NULL));
	assert_true(swap_cache_get_shadow(t.m, e2));
	assert_int_equal(do_munmap(t.m, t.p, a + 2 * PG, PG), MM_OK);
	assert_int_equal(swap_count_at(t.m, e2), 0);
	assert_int_equal(swap_cache_get_shadow(t.m, e2), 0);
	done(&t);
}

static void checker_says(struct machine *m, const char *needle)
{
	char why[256];
	assert_int_not_equal(check_machine(m, why, sizeof why), 0);
	if (!strstr(why, needle))
		fail_msg("checker said \"%s\", expected \"%s\"", why, needle);
}

/* Each shadow invariant fires on a state that breaks it. */
static void test_checker_fires(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 16 * MiB, false);
	machine_journal(t.m, false);
	rd(&t, 0);
	struct address_space *f = file_by_id(t.m, t.file);
	uint32_t *slots = procs_ptr(t.m, f->slots);
	/* a shadow where a page is: the page is no longer in its cache */
	uint32_t keep = slots[0];
	slots[0] = pack_shadow(0, 1, false);
	checker_says(t.m, "is not in its file's page cache");
	slots[0] = keep;
	/* a shadow naming a node the machine lacks */
	slots[5] = pack_shadow(3, 1, false);
	checker_says(t.m, "naming no node");
	slots[5] = 0;
	/* nrpages counts pages only */
	slots[6] = keep;
	checker_says(t.m, "slots hold pages but nrpages");
	slots[6] = 0;
	assert_machine_ok(t.m);

	unsigned type;
	assert_int_equal(do_swapon(t.m, 4 * MiB, 0, false, NULL, &type), MM_OK);
	const struct swap_info *si = swap_info_by_type(t.m, type);
	struct swap_cluster *cl = swap_cluster_of(t.m, si, 1);
	/* a shadow in a free slot */
	cl->table[1] = pack_shadow(0, 1, false);
	checker_says(t.m, "holds a shadow entry but no swap PTE names it");
	cl->table[1] = 0;
	assert_machine_ok(t.m);
	recorder_free(&t.r);
	machine_free(t.m);
}

/* Random accesses to a file and anon memory four times the machine's,
 * with swap, reclaim and kswapd: refaults happen, every step passes the
 * checker and undo/redo comes back to the recorded hashes. */
static void test_random_walk_with_refaults(void **state)
{
	(void)state;
	struct t t;
	setup_size(&t, 4 * MiB, true);
	unsigned type;
	assert_int_equal(do_swapon(t.m, 8 * MiB, 0, false, NULL, &type), MM_OK);
	uint64_t a, seed = 12, out;
	assert_int_equal(do_mmap(t.m, t.p, 0, 1024 * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	for (int i = 0; i < 300; i++) {
		struct fault_result r;
		uint64_t v;
		unsigned n, disk;
		switch (xorshift64(&seed) % 8) {
		case 0:
			file_read(t.m, t.file, (xorshift64(&seed) % 1024) * PG, 4 * PG, &v, 1, &n, &disk);
			break;
		case 1:
			memory_reclaim(t.m, 1 + xorshift64(&seed) % 40, &out);
			break;
		case 2:
			kswapd_run_all(t.m);
			break;
		default:
			handle_access(t.m, t.p, a + (xorshift64(&seed) % 1024) * PG,
				      xorshift64(&seed) % 2 ? ACC_WRITE : ACC_READ, xorshift64(&seed), &r);
		}
	}
	const struct lruvec *l = lv(&t);
	assert_true(l->ws_refault[0] > 0 && l->ws_refault[1] > 0);
	/* activations need locality; the hand-worked tests cover them */
	print_message("%u steps; refaults anon %u file %u, activated %u %u, restored %u %u\n", t.m->nsteps,
		      l->ws_refault[0], l->ws_refault[1], l->ws_activate[0], l->ws_activate[1], l->ws_restore[0],
		      l->ws_restore[1]);
	assert_undo_redo(t.m, &t.r, 0, t.m->nsteps);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_unpack),
		cmocka_unit_test(test_file_refault_distance),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_anon_refault),
		cmocka_unit_test(test_checker_fires),
		cmocka_unit_test(test_random_walk_with_refaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
