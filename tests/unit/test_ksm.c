/* KSM (ksm.c, ksm_rmap.c, ksm_sysfs.c, ksm_check.c): hand-worked merges of
 * two processes' pages, the checksum pass, the COW break, unmerging, fork
 * and exit, the /sys counters, errors that change nothing, each invariant
 * firing on a corrupted state, and a random walk with the checker after
 * every step and undo/redo hashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mm/ksm.h"
#include "mm/swap.h"
#include "mm/pgtable.h"
#include "mm/proc.h"
#include "mm/procs.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
};

static void setup(struct t *t, bool hash)
{
	struct mm_config c = config_mem(64 * MiB);
	t->m = boot(&c);
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = true;
	t->r.hash = hash;
	t->r.keep = !hash;
	recorder_attach(t->m, &t->r);
}

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

/* A process with n pages written with first, first+1, … (or all first when
 * same); mergeable when merge. */
static uint64_t vm(struct machine *m, uint32_t *pid, unsigned n, uint64_t first, bool merge)
{
	uint64_t a;
	struct fault_result r;
	unsigned paged;
	assert_int_equal(process_create(m, "vm", pid), MM_OK);
	assert_int_equal(do_mmap(m, *pid, 0, n * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(handle_access(m, *pid, a + i * PG, ACC_WRITE, first + i, &r), MM_OK);
	if (merge)
		assert_int_equal(do_madvise(m, *pid, a, n * PG, "MADV_MERGEABLE", &paged), MM_OK);
	return a;
}

static uint32_t pfn_at(struct machine *m, uint32_t pid, uint64_t va)
{
	return pte_pfn(m, *pte_lookup(m, task_mm(m, pid)->asid, va, NULL));
}

static uint64_t sysfs(const struct machine *m, const char *name)
{
	char path[64];
	struct strbuf sb = {0};
	snprintf(path, sizeof path, "kernel/mm/ksm/%s", name);
	assert_int_equal(mm_proc(m, path, &sb), 0);
	uint64_t v = strtoull(sb.s, NULL, 10);
	strbuf_free(&sb);
	return v;
}

/* Two processes, pages 10 11 12 and 10 11 99: pass 1 records checksums,
 * pass 2 merges 10 and 11 (B's pages become the KSM pages), leaves 12 and
 * 99 in the unstable tree; A's frames are freed. */
static void test_two_processes(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t a, b;
	uint64_t va = vm(t.m, &a, 3, 10, true);
	uint64_t vb = vm(t.m, &b, 2, 10, true);
	struct fault_result r;
	uint64_t vb2;
	assert_int_equal(do_mmap(t.m, b, 0, PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &vb2), MM_OK);
	assert_int_equal(handle_access(t.m, b, vb2, ACC_WRITE, 99, &r), MM_OK);
	unsigned paged;
	assert_int_equal(do_madvise(t.m, b, vb2, PG, "MADV_MERGEABLE", &paged), MM_OK);
	uint32_t a0 = pfn_at(t.m, a, va), b0 = pfn_at(t.m, b, vb);
	assert_int_equal(ksm_set(t.m, "run", 1), MM_OK);
	assert_int_equal(ksm_do_scan(t.m, 100), 6);
	assert_int_equal(sysfs(t.m, "full_scans"), 1);
	assert_int_equal(sysfs(t.m, "pages_volatile"), 6);
	assert_int_equal(sysfs(t.m, "pages_shared"), 0);
	recorder_clear(&t.r);
	assert_int_equal(ksm_do_scan(t.m, 100), 6);
	assert_int_equal(sysfs(t.m, "pages_shared"), 2);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 2);
	assert_int_equal(sysfs(t.m, "pages_unshared"), 2);
	assert_int_equal(sysfs(t.m, "pages_volatile"), 0);
	assert_int_equal(sysfs(t.m, "full_scans"), 2);
	/* 2 sharing * 4096 - 6 rmap_items * 64 */
	struct strbuf sb = {0};
	mm_proc(t.m, "kernel/mm/ksm/general_profit", &sb);
	assert_string_equal(sb.s, "7808\n");
	strbuf_free(&sb);
	assert_int_equal(pfn_at(t.m, a, va), b0);
	assert_int_equal(pfn_at(t.m, b, vb), b0);
	assert_true(page_ksm(t.m, b0));
	assert_int_equal(page_user(t.m, b0)->mapcount, 2);
	assert_int_equal(frame_state(&t.m->frames[a0]) == FS_ANON, false);
	assert_false(pte_writable(t.m, *pte_lookup(t.m, task_mm(t.m, b)->asid, vb, NULL)));
	/* the pass's steps in the kernel's order: A's three pages go into the
	 * unstable tree, then B's first page finds A's twin */
	size_t i = find_kind(&t.r, 0, EV_KSM_UNSTABLE_INSERT);
	assert_event(&t.r, i, "ksm_unstable_insert", "pid=1 content=10");
	i = find_kind(&t.r, 0, EV_KSM_STABLE_INSERT);
	assert_event(&t.r, i, "ksm_stable_insert", "content=10 pid=2");
	i = find_kind(&t.r, i, EV_KSM_MERGE);
	assert_event(&t.r, i, "ksm_merge", "pid=1 mapcount=2");
	assert_int_equal(ev_get(&t.r.ev[i], "pfn"), a0);
	assert_int_equal(ev_get(&t.r.ev[i], "kpfn"), b0);
	/* a third pass changes nothing */
	assert_int_equal(ksm_do_scan(t.m, 100), 6);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 2);
	done(&t);
}

/* A write to a KSM page copies even when the writer is its last mapper;
 * the next pass takes the stale rmap_item off and finds it volatile. */
static void test_write_breaks_merge(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t a, b;
	uint64_t va = vm(t.m, &a, 1, 5, true), vb = vm(t.m, &b, 1, 5, true);
	ksm_set(t.m, "run", 1);
	ksm_do_scan(t.m, 10);
	ksm_do_scan(t.m, 10);
	uint32_t k = pfn_at(t.m, a, va);
	assert_true(page_ksm(t.m, k));
	struct fault_result r;
	assert_int_equal(handle_access(t.m, a, va, ACC_WRITE, 6, &r), MM_OK);
	assert_int_not_equal(r.pfn, k);
	assert_int_equal(page_user(t.m, k)->mapcount, 1);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 1); /* until ksmd rescans */
	recorder_clear(&t.r);
	assert_int_equal(handle_access(t.m, b, vb, ACC_WRITE, 7, &r), MM_OK);
	assert_int_not_equal(r.pfn, k); /* the last mapper copies too: no reuse */
	size_t i = find_kind(&t.r, 0, EV_WP_FAULT);
	assert_int_equal(ev_get(&t.r.ev[i], "how"), 5);
	assert_int_equal(frame_state(&t.m->frames[k]) == FS_ANON, false);
	ksm_do_scan(t.m, 10);
	assert_int_equal(sysfs(t.m, "pages_shared"), 0);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 0);
	assert_int_equal(sysfs(t.m, "pages_volatile"), 2);
	assert_int_equal(ksm_state(t.m)->stable_nodes, 0);
	done(&t);
}

/* MADV_UNMERGEABLE gives each address its own copy, read-only but
 * exclusive: the next write reuses it. */
static void test_unmerge(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t a, b;
	uint64_t va = vm(t.m, &a, 2, 1, true);
	vm(t.m, &b, 2, 1, true);
	ksm_set(t.m, "run", 1);
	ksm_do_scan(t.m, 10);
	ksm_do_scan(t.m, 10);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 2);
	unsigned paged;
	assert_int_equal(do_madvise(t.m, a, va, 2 * PG, "MADV_UNMERGEABLE", &paged), MM_OK);
	uint32_t p = pfn_at(t.m, a, va);
	assert_false(page_ksm(t.m, p));
	assert_int_equal(page_user(t.m, p)->content, 1);
	assert_false(pte_writable(t.m, *pte_lookup(t.m, task_mm(t.m, a)->asid, va, NULL)));
	assert_false(vma_at(t.m, find_vma(t.m, task_mm(t.m, a), va))->flags & VM_MERGEABLE);
	struct fault_result r;
	assert_int_equal(handle_access(t.m, a, va, ACC_WRITE, 3, &r), MM_OK);
	assert_int_equal(r.pfn, p);
	/* A's slot goes at the next pass: nothing of it is mergeable now */
	ksm_do_scan(t.m, 10);
	assert_int_equal(task_mm(t.m, a)->ksm_slot, 0);
	assert_int_equal(sysfs(t.m, "pages_shared"), 2);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 0);
	done(&t);
}

/* A forked child maps the KSM page too; its rmap_item joins the stable
 * node when ksmd meets it; exit unmaps it. */
static void test_fork_exit(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t a, b, c;
	uint64_t va = vm(t.m, &a, 1, 42, true);
	vm(t.m, &b, 1, 42, true);
	ksm_set(t.m, "run", 1);
	ksm_do_scan(t.m, 10);
	ksm_do_scan(t.m, 10);
	uint32_t k = pfn_at(t.m, a, va);
	assert_int_equal(do_fork(t.m, a, &c), MM_OK);
	assert_int_not_equal(task_mm(t.m, c)->ksm_slot, 0);
	assert_int_equal(page_user(t.m, k)->mapcount, 3);
	assert_int_equal(rmap_walk_const(t.m, k, NULL, 0), 3);
	ksm_do_scan(t.m, 10);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 2);
	assert_int_equal(do_exit(t.m, c), MM_OK);
	assert_int_equal(page_user(t.m, k)->mapcount, 2);
	ksm_do_scan(t.m, 10);
	assert_int_equal(sysfs(t.m, "pages_sharing"), 1);
	assert_int_equal(sysfs(t.m, "pages_shared"), 1);
	done(&t);
}

/* Bad input leaves everything as it was. */
static void test_errors_change_nothing(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t a;
	uint64_t va = vm(t.m, &a, 2, 1, false);
	unsigned paged;
	struct snapshot s = snap(t.m, &t.r);
	assert_int_equal(do_madvise(t.m, a, 0x10000000, PG, "MADV_MERGEABLE", &paged), MM_EINVAL);
	assert_string_equal(t.m->error, "madvise: 0x10000000 is not mapped (the range must be mapped throughout: ENOMEM)");
	assert_int_equal(do_madvise(t.m, a, va, 3 * PG, "MADV_MERGEABLE", &paged), MM_EINVAL);
	assert_int_equal(do_madvise(t.m, a, va + 1, PG, "MADV_UNMERGEABLE", &paged), MM_EINVAL);
	assert_int_equal(do_madvise(t.m, 77, va, PG, "MADV_MERGEABLE", &paged), MM_EINVAL);
	assert_int_equal(ksm_set(t.m, "run", 2), MM_EINVAL);
	assert_string_equal(t.m->error,
			    "ksm: run=2: the model has 0 (stop) and 1 (merge); 2 (unmerge all) is not modelled");
	assert_int_equal(ksm_set(t.m, "pages_to_scan", 0), MM_EINVAL);
	assert_int_equal(ksm_set(t.m, "nope", 1), MM_EINVAL);
	assert_unchanged(t.m, &t.r, &s);
	/* a scan with nothing on ksmd's list takes no step */
	assert_int_equal(ksm_do_scan(t.m, 10), 0);
	assert_unchanged(t.m, &t.r, &s);
	/* UNMERGEABLE on an area never made mergeable changes nothing either */
	assert_int_equal(do_madvise(t.m, a, va, PG, "MADV_UNMERGEABLE", &paged), MM_OK);
	assert_int_equal(task_mm(t.m, a)->ksm_slot, 0);
	done(&t);
}

static void expect_broken(struct machine *m, const char *what)
{
	char why[256];
	assert_int_not_equal(check_ksm(m, why, sizeof why), 0);
	if (!strstr(why, what))
		fail_msg("checker said \"%s\", wanted \"%s\"", why, what);
}

/* Each invariant fires on a state broken behind the journal's back. */
static void test_invariants_fire(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t a, b;
	uint64_t va = vm(t.m, &a, 2, 1, true);
	vm(t.m, &b, 3, 1, true);
	ksm_set(t.m, "run", 1);
	ksm_do_scan(t.m, 10);
	ksm_do_scan(t.m, 10);
	struct ksm_state *s = ksm_state(t.m);
	char why[256];
	assert_int_equal(check_ksm(t.m, why, sizeof why), 0);
	uint32_t k = pfn_at(t.m, a, va);
	struct ksm_stable_node *n = node_at(t.m, page_user(t.m, k)->mapping);
#define BREAK(cell, value, what)                      \
	do {                                          \
		__typeof__(cell) old_ = (cell);       \
		(cell) = (value);                     \
		expect_broken(t.m, what);             \
		(cell) = old_;                        \
	} while (0)
	BREAK(s->pages_shared, s->pages_shared + 1, "pages_shared");
	BREAK(s->pages_sharing, 0, "pages_sharing");
	BREAK(s->pages_unshared, 5, "pages_unshared says");
	BREAK(s->rmap_items, 1, "rmap_items says");
	BREAK(s->stable_nodes, 9, "stable_nodes says");
	BREAK(n->hlist_len, 7, "rmap_hlist_len");
	BREAK(n->key, 1000, "out of order");
	BREAK(page_user(t.m, k)->content, 1000, "its stable node says");
	BREAK(item_at(t.m, n->hlist)->address, item_at(t.m, n->hlist)->address & ~KSM_STABLE_FLAG,
	      "not marked stable");
	BREAK(n->kpfn, k + 1, "not its stable node's");
	uint32_t lone = pfn_at(t.m, b, va);
	(void)lone;
	uint64_t *pte = pte_lookup(t.m, task_mm(t.m, a)->asid, va, NULL);
	BREAK(*pte, *pte | X86_RW, "writable");
	struct ksm_mm_slot *sl = slot_at(t.m, task_mm(t.m, b)->ksm_slot);
	uint32_t first = sl->rmap_list, second = item_at(t.m, first)->rmap_list;
	BREAK(item_at(t.m, second)->address, item_at(t.m, first)->address, "address order");
	BREAK(task_mm(t.m, b)->ksm_slot, 0, "does not name its slot");
	/* the unstable tree: B's third page waits there */
	assert_int_equal(s->pages_unshared, 1);
	BREAK(s->unstable_root, 0, "the unstable tree holds 0 items");
	assert_int_equal(check_ksm(t.m, why, sizeof why), 0);
	done(&t);
}

/* Random processes writing a few values, madvising, forking, exiting and
 * ksmd scanning: the checker after every step, undo/redo hashes. */
static void test_random_walk(void **state)
{
	(void)state;
	struct t t;
	setup(&t, true);
	ksm_set(t.m, "run", 1);
	uint64_t seed = 0x5eed4b53ull;
	uint32_t pids[16];
	uint64_t base[16];
	unsigned n = 0;
	uint32_t start = t.m->nsteps;
	for (unsigned i = 0; i < 4; i++)
		base[n] = vm(t.m, &pids[n], 8, 0, xorshift64(&seed) % 2), n++;
	unsigned merged = 0;
	for (unsigned step = 0; step < 600; step++) {
		unsigned k = (unsigned)(xorshift64(&seed) % n);
		uint32_t pid = pids[k];
		if (!task_mm(t.m, pid))
			continue;
		uint64_t va = base[k] + (xorshift64(&seed) % 8) * PG;
		struct fault_result r;
		unsigned paged, op = (unsigned)(xorshift64(&seed) % 12);
		switch (op) {
		case 0:
		case 1:
			merged += ksm_do_scan(t.m, 1 + (unsigned)(xorshift64(&seed) % 16));
			break;
		case 2:
			do_madvise(t.m, pid, va, (1 + xorshift64(&seed) % 3) * PG,
				   xorshift64(&seed) % 4 ? "MADV_MERGEABLE" : "MADV_UNMERGEABLE", &paged);
			break;
		case 3:
			if (n < 16 && xorshift64(&seed) % 2 == 0 && do_fork(t.m, pid, &pids[n]) == MM_OK)
				base[n] = base[k], n++;
			break;
		case 4:
			if (xorshift64(&seed) % 10 == 0)
				do_exit(t.m, pid);
			break;
		case 5:
			if (xorshift64(&seed) % 6 == 0)
				do_munmap(t.m, pid, va, PG);
			break;
		default:
			handle_access(t.m, pid, va, xorshift64(&seed) % 3 ? ACC_READ : ACC_WRITE, xorshift64(&seed) % 4,
				      &r);
		}
	}
	uint32_t end = t.m->nsteps;
	if (end < 2000 || ksm_state(t.m)->seqnr < 5)
		fail_msg("only %u steps, %u full scans", end, ksm_state(t.m)->seqnr);
	print_message("%u steps, %u tasks, %u pages scanned, %u full scans\n", end, n, merged, ksm_state(t.m)->seqnr);
	assert_undo_redo(t.m, &t.r, start, end);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_processes),	 cmocka_unit_test(test_write_breaks_merge),
		cmocka_unit_test(test_unmerge),		 cmocka_unit_test(test_fork_exit),
		cmocka_unit_test(test_errors_change_nothing), cmocka_unit_test(test_invariants_fire),
		cmocka_unit_test(test_random_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
