/* fork and exit (src/mm/fork.c) and the reverse map (rmap.c): counts and
 * contents across fork and copy-on-write, rmap_walk against a scan of every
 * page table, exit giving every page back, and random walks of process
 * operations with the checker after every step and undo/redo hashes. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mm/procs.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
};

static void setup(struct t *t, bool hash)
{
	/* hashing after every step: a small machine keeps that quick */
	t->m = boot((struct mm_config[]){config_textbook(hash ? 8 * MiB : 64 * MiB)});
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

static uint64_t rw_area(struct machine *m, uint32_t pid, unsigned pages)
{
	uint64_t a;
	assert_int_equal(do_mmap(m, pid, 0, pages * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	return a;
}

static struct fault_result acc(struct machine *m, uint32_t pid, uint64_t va, enum pt_access a, uint64_t v)
{
	struct fault_result r;
	assert_int_equal(handle_access(m, pid, va, a, v, &r), MM_OK);
	assert_false(r.segv);
	return r;
}

static void test_fork_shares_and_cow_splits(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t p, c;
	assert_int_equal(process_create(t.m, "parent", &p), MM_OK);
	uint64_t a = rw_area(t.m, p, 3);
	uint32_t pfn[3];
	for (unsigned i = 0; i < 3; i++)
		pfn[i] = acc(t.m, p, a + i * PG, ACC_WRITE, 100 + i).pfn;
	assert_int_equal(do_fork(t.m, p, &c), MM_OK);
	assert_int_equal(task_by_pid(t.m, c)->ppid, p);
	for (unsigned i = 0; i < 3; i++) {
		const struct upage *u = page_user(t.m, pfn[i]);
		assert_int_equal(u->mapcount, 2);
		assert_int_equal(u->refcount, 2);
		assert_false(u->flags & PG_anon_exclusive);
		/* the child reads its parent's values from the same frames */
		struct fault_result r = acc(t.m, c, a + i * PG, ACC_READ, 0);
		assert_int_equal(r.value, 100 + i);
		assert_int_equal(r.pfn, pfn[i]);
	}
	uint64_t *pte = pte_lookup(t.m, task_mm(t.m, p)->asid, a, NULL);
	assert_false(pte_writable(t.m, *pte)); /* the parent's PTE went read-only */
	/* the child writes page 0: a copy; the parent keeps its value */
	size_t at = t.r.n;
	struct fault_result w = acc(t.m, c, a, ACC_WRITE, 7);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_WP_FAULT)], "how"), 1);
	assert_int_not_equal(w.pfn, pfn[0]);
	assert_int_equal(page_user(t.m, w.pfn)->content, 7);
	assert_int_equal(page_user(t.m, pfn[0])->mapcount, 1);
	assert_int_equal(page_user(t.m, pfn[0])->refcount, 1);
	assert_int_equal(acc(t.m, p, a, ACC_READ, 0).value, 100);
	/* the parent writes page 0: now the only mapper, it reuses the page */
	at = t.r.n;
	struct fault_result pw = acc(t.m, p, a, ACC_WRITE, 8);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_WP_FAULT)], "how"), 0);
	assert_int_equal(pw.pfn, pfn[0]);
	assert_int_equal(acc(t.m, c, a, ACC_READ, 0).value, 7);
	/* page 1 written by the parent: copied; the child's stays */
	assert_int_not_equal(acc(t.m, p, a + PG, ACC_WRITE, 11).pfn, pfn[1]);
	assert_int_equal(acc(t.m, c, a + PG, ACC_READ, 0).value, 101);
	done(&t);
}

/* Every (pid, va) whose PTE maps pfn, by scanning every task's range. */
struct scan {
	uint32_t pid, pfn;
	struct rmap_hit *hits;
	unsigned n;
};

static void scan_pte(struct machine *m, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)m, (void)table;
	struct scan *s = arg;
	if (pte_pfn(m, *pte) == s->pfn)
		s->hits[s->n++] = (struct rmap_hit){s->pid, va};
}

static int cmp_hit(const void *a, const void *b)
{
	const struct rmap_hit *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->va < y->va ? -1 : x->va > y->va;
}

static void assert_rmap_complete(struct machine *m)
{
	struct rmap_hit got[64], want[64];
	for (uint32_t pfn = 0; pfn < m->nr_frames; pfn++) {
		if (!page_user(m, pfn))
			continue;
		struct scan s = {.pfn = pfn, .hits = want};
		for (uint32_t pid = 1; pid <= procs_root(m)->tasks.n; pid++) {
			const struct mm_struct *mm = task_mm(m, pid);
			if (!mm)
				continue;
			s.pid = pid;
			walk_ptes(m, mm->asid, 0, mm->task_size, scan_pte, &s);
		}
		unsigned n = rmap_walk_const(m, pfn, got, 64);
		assert_int_equal(n, s.n);
		qsort(got, n, sizeof *got, cmp_hit);
		qsort(want, n, sizeof *want, cmp_hit);
		for (unsigned i = 0; i < n; i++) {
			assert_int_equal(got[i].pid, want[i].pid);
			assert_int_equal(got[i].va, want[i].va);
		}
	}
}

static void test_rmap_against_scan(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t p, c, g;
	assert_int_equal(process_create(t.m, "p", &p), MM_OK);
	uint64_t a = rw_area(t.m, p, 8);
	for (unsigned i = 0; i < 8; i++)
		acc(t.m, p, a + i * PG, ACC_WRITE, i);
	assert_int_equal(do_fork(t.m, p, &c), MM_OK);
	acc(t.m, c, a + PG, ACC_WRITE, 50);
	assert_int_equal(do_fork(t.m, c, &g), MM_OK);
	acc(t.m, g, a + 2 * PG, ACC_WRITE, 60);
	/* split the parent's VMA: both halves keep finding their pages */
	assert_int_equal(do_mprotect(t.m, p, a + 4 * PG, PG, VM_READ), MM_OK);
	assert_rmap_complete(t.m);
	/* page 0 is in all three */
	uint32_t pfn = acc(t.m, p, a, ACC_READ, 0).pfn;
	struct rmap_hit hits[8];
	size_t at = t.r.n;
	assert_int_equal(rmap_walk(t.m, pfn, true, hits, 8), 3);
	assert_kinds(&t.r, at, END, "rmap_walk rmap_walk rmap_walk");
	assert_int_equal(do_exit(t.m, c), MM_OK);
	assert_rmap_complete(t.m);
	assert_int_equal(rmap_walk_const(t.m, pfn, hits, 8), 2);
	done(&t);
}

static void test_exit_gives_everything_back(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint32_t p, c;
	uint64_t free0 = 0;
	for (unsigned i = 0; i < machine_nr_zones(t.m); i++)
		free0 += t.m->zones[i].free_pages;
	assert_int_equal(process_create(t.m, "p", &p), MM_OK);
	uint64_t a = rw_area(t.m, p, 64);
	for (unsigned i = 0; i < 64; i++)
		acc(t.m, p, a + i * PG, ACC_WRITE, i);
	assert_int_equal(do_fork(t.m, p, &c), MM_OK);
	for (unsigned i = 0; i < 64; i += 2)
		acc(t.m, c, a + i * PG, ACC_WRITE, 1000 + i);
	assert_int_equal(do_exit(t.m, p), MM_OK);
	assert_int_equal(do_exit(t.m, p), MM_EINVAL);
	assert_int_equal(do_fork(t.m, p, &c), MM_EINVAL);
	assert_non_null(strstr(t.m->error, "exited"));
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(acc(t.m, c, a + i * PG, ACC_READ, 0).value, i % 2 ? i : 1000 + i);
	assert_int_equal(do_exit(t.m, c), MM_OK);
	uint64_t free1 = 0;
	for (unsigned i = 0; i < machine_nr_zones(t.m); i++)
		free1 += t.m->zones[i].free_pages;
	assert_int_equal(free1, free0);
	assert_int_equal(procs_root(t.m)->nr_anon, 0);
	done(&t);
}

/* Mixed operations, the checker after every step; then every step undone
 * and redone must give the state hashed when it was first reached. */
static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct t t;
	setup(&t, true);
	uint64_t seed = 2026;
	uint32_t pids[32], n = 0;
	assert_int_equal(process_create(t.m, "init", &pids[n++]), MM_OK);
	for (int i = 0; i < 1200; i++) {
		uint32_t pid = pids[xorshift64(&seed) % n], live = 0;
		if (!task_mm(t.m, pid))
			continue;
		for (uint32_t k = 0; k < n; k++)
			live += task_mm(t.m, pids[k]) != NULL;
		uint64_t base = task_mm(t.m, pid)->mmap_base;
		uint64_t va = base - (1 + xorshift64(&seed) % 24) * PG, out;
		struct fault_result r;
		switch (xorshift64(&seed) % 8) {
		case 0:
			/* a third shared: shmem, which fork shares and the last
			 * munmap or exit frees */
			do_mmap(t.m, pid, 0, (1 + xorshift64(&seed) % 4) * PG, xorshift64(&seed) % 2 ? 3 : 1,
				(xorshift64(&seed) % 3 ? MAP_PRIVATE : MAP_SHARED) | MAP_ANONYMOUS, &out);
			break;
		case 1:
			do_munmap(t.m, pid, va, (1 + xorshift64(&seed) % 3) * PG);
			break;
		case 2:
			do_mprotect(t.m, pid, va, PG, (unsigned)(xorshift64(&seed) % 4));
			break;
		case 3:
			if (n < 32 && xorshift64(&seed) % 3 == 0 && do_fork(t.m, pid, &pids[n]) == MM_OK)
				n++;
			break;
		case 4:
			if (live > 1 && xorshift64(&seed) % 4 == 0)
				do_exit(t.m, pid);
			break;
		case 5:
			do_brk(t.m, pid, task_mm(t.m, pid)->start_brk + xorshift64(&seed) % (6 * PG), &out);
			break;
		default:
			handle_access(t.m, pid, va + xorshift64(&seed) % PG, xorshift64(&seed) % 2 ? ACC_WRITE : ACC_READ,
				      xorshift64(&seed), &r);
		}
	}
	uint32_t end = t.m->nsteps;
	if (end < 3000)
		fail_msg("only %u steps", end);
	print_message("%u steps, %u tasks\n", end, n);
	assert_undo_redo(t.m, &t.r, 0, end);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_shares_and_cow_splits),
		cmocka_unit_test(test_rmap_against_scan),
		cmocka_unit_test(test_exit_gives_everything_back),
		cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
