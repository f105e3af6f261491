/* Swap (swapfile.c, swap_state.c, page_io.c, swapops.c, madvise.c, the
 * swap parts of rmap.c, memory.c and fork.c) and the OOM killer
 * (oom_kill.c): slot allocation by cluster and priority, counts through
 * fork and exit, the two swap-in paths, swapoff, /proc/swaps, swap PTE
 * encodings per arch, OOM badness against hand-computed scores, errors
 * that change nothing, and a random walk with the checker after every step
 * and undo/redo hashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mm/oom_kill.h"
#include "mm/pgtable.h"
#include "mm/proc.h"
#include "mm/procs.h"
#include "mm/swap.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
};

static void setup_arch(struct t *t, const char *arch, uint64_t mem, bool hash)
{
	struct mm_config c = config_textbook(mem);
	c.arch = arch_by_name(arch);
	t->m = boot(&c);
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = true;
	t->r.hash = hash;
	t->r.keep = !hash;
	recorder_attach(t->m, &t->r);
}

static void setup(struct t *t) { setup_arch(t, "x86_64", 64 * MiB, false); }

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

static unsigned swapon(struct machine *m, uint64_t size, int prio)
{
	unsigned type;
	assert_int_equal(do_swapon(m, size, prio, prio >= 0, NULL, &type), MM_OK);
	return type;
}

/* A process with n written pages (values 100, 101, …); returns the address. */
static uint64_t written(struct machine *m, uint32_t *pid, unsigned n)
{
	uint64_t a;
	assert_int_equal(process_create(m, "p", pid), MM_OK);
	assert_int_equal(do_mmap(m, *pid, 0, n * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	for (unsigned i = 0; i < n; i++) {
		struct fault_result r;
		assert_int_equal(handle_access(m, *pid, a + i * PG, ACC_WRITE, 100 + i, &r), MM_OK);
	}
	return a;
}

static unsigned pageout(struct machine *m, uint32_t pid, uint64_t a, unsigned n)
{
	unsigned paged;
	assert_int_equal(do_madvise(m, pid, a, n * PG, "MADV_PAGEOUT", &paged), MM_OK);
	return paged;
}

static uint64_t pte_at(const struct machine *m, uint32_t pid, uint64_t va)
{
	return *pte_lookup(m, task_mm(m, pid)->asid, va, NULL);
}

static uint32_t count_of(const struct machine *m, uint32_t pid, uint64_t va)
{
	return swap_count_at(m, pte_to_swp_entry(m, pte_at(m, pid, va)));
}

static struct fault_result rd(struct machine *m, uint32_t pid, uint64_t va)
{
	struct fault_result r;
	assert_int_equal(handle_access(m, pid, va, ACC_READ, 0, &r), MM_OK);
	return r;
}

static char *render(const struct machine *m, const char *name, struct strbuf *b)
{
	*b = (struct strbuf){0};
	assert_int_equal(mm_proc(m, name, b), 0);
	return b->s;
}

static void test_proc_swaps_and_priorities(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	assert_int_equal(swapon(t.m, 1 * MiB, -1), 0);
	assert_int_equal(swapon(t.m, 64 * MiB, 7), 1);
	assert_int_equal(swapon(t.m, 40 * KiB, -1), 2);
	struct strbuf b;
	/* the path padded to 40 columns; sizes without the header page */
	assert_string_equal(render(t.m, "swaps", &b),
			    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			    "/swapfile                               file\t\t1020\t\t0\t\t-2\n"
			    "/swapfile1                              file\t\t65532\t\t0\t\t7\n"
			    "/swapfile2                              file\t\t36\t\t0\t\t-3\n");
	strbuf_free(&b);
	assert_int_equal(swap_root(t.m)->total_swap_pages, 255 + 16383 + 9);
	/* swapoff of the -2 area moves the default below it up */
	assert_int_equal(do_swapoff(t.m, 0), MM_OK);
	assert_int_equal(swap_info_by_type(t.m, 2)->prio, -2);
	assert_int_equal(swapon(t.m, 8 * KiB, -1), 0); /* the lowest free type, the next default */
	assert_int_equal(swap_info_by_type(t.m, 0)->prio, -3);
	render(t.m, "meminfo", &b);
	assert_non_null(strstr(b.s, "SwapTotal:         65572 kB\nSwapFree:          65572 kB\n"));
	strbuf_free(&b);
	done(&t);
}

static void test_errors_change_nothing(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	unsigned type;
	struct snapshot s = snap(t.m, &t.r);
	assert_int_equal(do_swapon(t.m, 0, 0, false, NULL, &type), MM_EINVAL);
	assert_string_equal(t.m->error, "swapon: size 0 bytes is 0 page(s): an area needs its header page and at least one slot");
	assert_int_equal(do_swapon(t.m, PG, 0, false, NULL, &type), MM_EINVAL);
	assert_int_equal(do_swapon(t.m, 8 * PG, 40000, true, NULL, &type), MM_EINVAL);
	assert_int_equal(do_swapoff(t.m, 3), MM_EINVAL);
	assert_string_equal(t.m->error, "swapoff: there is no swap area of type 3");
	assert_unchanged(t.m, &t.r, &s);
	for (unsigned i = 0; i < MAX_SWAPFILES; i++)
		swapon(t.m, 2 * PG, -1);
	s = snap(t.m, &t.r);
	assert_int_equal(do_swapon(t.m, 2 * PG, 0, false, NULL, &type), MM_EINVAL);
	assert_string_equal(t.m->error, "swapon: all 25 swap types are in use (MAX_SWAPFILES): swapoff one first");
	uint32_t pid;
	uint64_t a = written(t.m, &pid, 2);
	s = snap(t.m, &t.r);
	unsigned paged;
	assert_int_equal(do_madvise(t.m, pid, a, PG, "MADV_NOPE", &paged), MM_EINVAL);
	assert_string_equal(t.m->error, "madvise: unknown advice \"MADV_NOPE\" (the model has MADV_PAGEOUT, MADV_MERGEABLE, MADV_UNMERGEABLE)");
	assert_int_equal(do_madvise(t.m, pid, a, PG, "MADV_DONTNEED", &paged), MM_EINVAL);
	assert_int_equal(do_madvise(t.m, pid, a + 1, PG, "MADV_PAGEOUT", &paged), MM_EINVAL);
	assert_int_equal(do_madvise(t.m, pid, a - PG, 2 * PG, "MADV_PAGEOUT", &paged), MM_EINVAL);
	assert_int_equal(set_oom_score_adj(t.m, pid, 1001), MM_EINVAL);
	assert_unchanged(t.m, &t.r, &s);
	done(&t);
}

/* Slots in order from the nonfull cluster 0 (its header is in use), then
 * the CPU's cluster, then a free one; the higher priority area first. */
static void test_slot_allocation(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	unsigned lo = swapon(t.m, 600 * PG, 1), hi = swapon(t.m, 8 * PG, 5);
	const struct swap_info *sl = swap_info_by_type(t.m, lo);
	assert_int_equal(sl->nr_clusters, 3);
	assert_int_equal(sl->head[CLUSTER_NONFULL], 1); /* cluster 0: the header */
	assert_int_equal(sl->tail[CLUSTER_NONFULL], 3); /* cluster 2: the slots past 600 */
	assert_int_equal(sl->head[CLUSTER_FREE], 2);
	uint32_t pid;
	uint64_t a = written(t.m, &pid, 270);
	assert_int_equal(pageout(t.m, pid, a, 270), 270);
	/* the 7 slots of the priority-5 area first */
	for (unsigned i = 0; i < 7; i++) {
		uint64_t e = pte_to_swp_entry(t.m, pte_at(t.m, pid, a + i * PG));
		assert_int_equal(swp_type(e), hi);
		assert_int_equal(swp_offset(e), i + 1);
	}
	/* then the other area: cluster 0 from slot 1 (255 slots) … */
	uint64_t e = pte_to_swp_entry(t.m, pte_at(t.m, pid, a + 7 * PG));
	assert_int_equal(swp_type(e), lo);
	assert_int_equal(swp_offset(e), 1);
	e = pte_to_swp_entry(t.m, pte_at(t.m, pid, a + (7 + 254) * PG));
	assert_int_equal(swp_offset(e), 255);
	/* … cluster 0 is full; nonfull cluster 2 (past the end) comes before free cluster 1 */
	e = pte_to_swp_entry(t.m, pte_at(t.m, pid, a + (7 + 255) * PG));
	assert_int_equal(swp_offset(e), 512);
	assert_int_equal(sl->head[CLUSTER_FULL], 1);
	assert_int_equal(sl->inuse_pages, 263);
	assert_int_equal(swap_root(t.m)->nr_swap_pages, 599 + 7 - 270);
	assert_int_equal(task_mm(t.m, pid)->swapents, 270);
	assert_int_equal(task_mm(t.m, pid)->rss_anon, 0);
	assert_int_equal(swap_root(t.m)->pswpout, 270);
	/* the exit frees every slot; the full cluster goes back to nonfull, then free */
	assert_int_equal(do_exit(t.m, pid), MM_OK);
	assert_int_equal(sl->inuse_pages, 0);
	assert_int_equal(sl->head[CLUSTER_FULL], 0);
	assert_int_equal(swap_root(t.m)->nr_swap_pages, 599 + 7);
	done(&t);
}

static void test_counts_through_fork_and_exit(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	swapon(t.m, 1 * MiB, -1);
	uint32_t p, c;
	uint64_t a = written(t.m, &p, 2);
	assert_int_equal(pageout(t.m, p, a, 2), 2);
	assert_true(pte_swp_exclusive(t.m, pte_at(t.m, p, a)));
	assert_int_equal(count_of(t.m, p, a), 1);
	struct strbuf b = {0};
	pt_dump(t.m, task_mm(t.m, p)->asid, &b);
	assert_non_null(strstr(b.s, "4K  not present              PTE  swap type 0 offset 0x1 exclusive\n"));
	strbuf_free(&b);
	assert_int_equal(do_fork(t.m, p, &c), MM_OK);
	assert_int_equal(count_of(t.m, p, a), 2);
	assert_int_equal(count_of(t.m, c, a + PG), 2);
	assert_false(pte_swp_exclusive(t.m, pte_at(t.m, p, a))); /* shared now */
	assert_int_equal(task_mm(t.m, c)->swapents, 2);
	assert_int_equal(do_exit(t.m, c), MM_OK);
	assert_int_equal(count_of(t.m, p, a), 1);
	assert_int_equal(do_exit(t.m, p), MM_OK);
	assert_int_equal(swap_info_by_type(t.m, 0)->inuse_pages, 0);
	done(&t);
}

/* After fork a swapped page has two swap PTEs: the first fault reads it
 * (major), the second finds it in the swap cache (minor). */
static void test_swapin_read_then_cache_hit(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	swapon(t.m, 1 * MiB, -1);
	uint32_t p, c;
	uint64_t a = written(t.m, &p, 1);
	pageout(t.m, p, a, 1);
	assert_int_equal(do_fork(t.m, p, &c), MM_OK);
	struct fault_result r = rd(t.m, p, a);
	assert_true(r.major);
	assert_int_equal(r.value, 100);
	assert_int_equal(swap_root(t.m)->pswpin, 1);
	assert_int_equal(frame_state(&t.m->frames[r.pfn]), FS_SWAPCACHE);
	assert_int_equal(count_of(t.m, c, a), 1 | SWAP_HAS_CACHE); /* the child's PTE and the cache */
	struct fault_result r2 = rd(t.m, c, a);
	assert_false(r2.major);
	assert_int_equal(r2.pfn, r.pfn);
	assert_int_equal(r2.value, 100);
	assert_int_equal(swap_root(t.m)->pswpin, 1);
	assert_int_equal(task_by_pid(t.m, p)->maj_flt, 1);
	assert_int_equal(task_by_pid(t.m, c)->maj_flt, 0);
	assert_int_equal(page_user(t.m, r.pfn)->mapcount, 2);
	assert_int_equal(swap_root(t.m)->nr_swapcache, 1);
	/* a write by the child copies (the page is shared); the parent then owns it */
	struct fault_result w;
	assert_int_equal(handle_access(t.m, c, a, ACC_WRITE, 5, &w), MM_OK);
	assert_true(w.pfn != r.pfn);
	assert_int_equal(rd(t.m, p, a).value, 100);
	done(&t);
}

/* A write fault on an exclusive swap PTE: the slot is let go
 * (should_try_to_free_swap) and the page mapped writable. */
static void test_write_fault_frees_slot(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	swapon(t.m, 1 * MiB, -1);
	uint32_t p;
	uint64_t a = written(t.m, &p, 1);
	pageout(t.m, p, a, 1);
	struct fault_result w;
	assert_int_equal(handle_access(t.m, p, a, ACC_WRITE, 7, &w), MM_OK);
	assert_true(w.major);
	assert_int_equal(frame_state(&t.m->frames[w.pfn]), FS_ANON);
	assert_int_equal(swap_root(t.m)->nr_swapcache, 0);
	assert_int_equal(swap_info_by_type(t.m, 0)->inuse_pages, 0);
	assert_true(pte_writable(t.m, pte_at(t.m, p, a)));
	done(&t);
}

/* The pieces shrink_folio_list calls, on a page two processes map. */
static void test_reclaim_pieces(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	swapon(t.m, 1 * MiB, -1);
	uint32_t p, c;
	uint64_t a = written(t.m, &p, 1);
	uint32_t pfn = rd(t.m, p, a).pfn;
	assert_int_equal(do_fork(t.m, p, &c), MM_OK);
	mm_op_begin(t.m);
	assert_int_equal(add_to_swap(t.m, pfn), MM_OK);
	assert_true(try_to_unmap(t.m, pfn));
	assert_int_equal(count_of(t.m, p, a), 2 | SWAP_HAS_CACHE);
	assert_false(swap_remove_mapping(t.m, pfn)); /* dirty: not written yet */
	swap_writepage(t.m, pfn);
	assert_true(swap_remove_mapping(t.m, pfn));
	mm_op_end(t.m);
	assert_int_equal(frame_state(&t.m->frames[pfn]), FS_FREE);
	assert_int_equal(count_of(t.m, c, a), 2);
	assert_int_equal(rd(t.m, c, a).value, 100);
	mm_op_begin(t.m);
	assert_int_equal(add_to_swap(t.m, pfn), MM_EINVAL); /* a free frame */
	mm_op_end(t.m);
	done(&t);
}

static void test_swapoff_brings_pages_back(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	swapon(t.m, 1 * MiB, -1);
	uint32_t p, c;
	uint64_t a = written(t.m, &p, 3);
	pageout(t.m, p, a, 3);
	assert_int_equal(do_fork(t.m, p, &c), MM_OK);
	assert_int_equal(do_swapoff(t.m, 0), MM_OK);
	assert_null(swap_info_by_type(t.m, 0));
	assert_int_equal(task_mm(t.m, p)->swapents, 0);
	assert_int_equal(task_mm(t.m, c)->swapents, 0);
	assert_int_equal(swap_root(t.m)->nr_swapcache, 0);
	assert_int_equal(swap_root(t.m)->total_swap_pages, 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_true(pte_present(t.m, pte_at(t.m, p, a + i * PG)));
		struct fault_result rp = rd(t.m, p, a + i * PG), rc = rd(t.m, c, a + i * PG);
		assert_false(rp.faulted);
		assert_int_equal(rp.value, 100 + i);
		assert_int_equal(rc.pfn, rp.pfn); /* one page for both, as before the swap-out */
	}
	done(&t);
}

/* x86_64/PAE: ~offset in bits 9-58, type in 59-63, exclusive bit 3;
 * 2-level x86: type bits 1-5, offset from bit 9, exclusive bit 7; arm64:
 * type bits 6-10, offset from bit 12, exclusive bit 2. */
static void test_pte_encodings(void **state)
{
	(void)state;
	static const struct {
		const char *arch;
		uint64_t pte;
	} cases[] = {{"x86_64", 0x1fffffffffdb9608ull}, {"x86_pae", 0x1fffffffffdb9608ull},
		     {"x86", 0x246886}, {"arm64", 0x12340c4}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct t t;
		setup_arch(&t, cases[i].arch, 64 * MiB, false);
		uint64_t e = swp_entry(3, 0x1234);
		uint64_t pte = swp_entry_to_pte(t.m, e, true);
		if (pte != cases[i].pte)
			fail_msg("%s: 0x%llx, not 0x%llx", cases[i].arch, (unsigned long long)pte,
				 (unsigned long long)cases[i].pte);
		assert_false(pte_present(t.m, pte));
		assert_true(pte_to_swp_entry(t.m, pte) == e);
		assert_true(pte_swp_exclusive(t.m, pte));
		assert_false(pte_swp_exclusive(t.m, swp_entry_to_pte(t.m, e, false)));
		char buf[64];
		assert_string_equal(swap_pte_text(t.m, pte, buf, sizeof buf), "swap type 3 offset 0x1234 exclusive");
		/* never taken for a migration entry, which has a bit of its own */
		for (unsigned type = 0; type < MAX_SWAPFILES; type++)
			for (uint64_t off = 1; off < 600; off++)
				for (int x = 0; x < 2; x++) {
					uint64_t sp = swp_entry_to_pte(t.m, swp_entry(type, off), x);
					assert_false(is_migration_entry(t.m, sp));
					assert_true(is_swap_pte(t.m, sp));
				}
		done(&t);
	}
}

/* Three candidates besides init: badness = rss + swap + page tables (3:
 * PUD, PMD and PTE under the PGD) + adj * (totalpages / 1000). */
static void test_oom_badness_ordering(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	swapon(t.m, 4 * MiB, -1);
	uint32_t init, a, b, c;
	written(t.m, &init, 1);
	uint64_t va = written(t.m, &a, 40);
	written(t.m, &b, 10);
	written(t.m, &c, 60);
	pageout(t.m, a, va, 20); /* a: 20 in memory, 20 in swap */
	assert_int_equal(set_oom_score_adj(t.m, b, 100), MM_OK);
	assert_int_equal(set_oom_score_adj(t.m, c, -1000), MM_OK);
	uint64_t total = oom_totalpages(t.m);
	uint64_t managed = 0;
	for (unsigned i = 0; i < machine_nr_zones(t.m); i++)
		managed += t.m->zones[i].managed;
	assert_int_equal(total, managed + 1023); /* RAM and the slots after the header */
	int64_t per = (int64_t)(total / 1000);
	assert_int_equal(oom_badness(t.m, a, total), 20 + 20 + 3);
	assert_int_equal(oom_badness(t.m, b, total), 10 + 3 + 100 * per);
	assert_true(oom_badness(t.m, c, total) == OOM_UNKILLABLE);
	assert_true(oom_badness(t.m, init, total) == OOM_UNKILLABLE);
	assert_int_equal(oom_score(t.m, a), (1000 + 43 * 1000 / (int64_t)total) * 2 / 3);
	assert_int_equal(oom_score(t.m, c), 0);
	uint32_t victim;
	recorder_clear(&t.r);
	assert_int_equal(out_of_memory(t.m, true, &victim), MM_OK);
	assert_int_equal(victim, b);
	assert_int_equal(t.r.ev[0].kind, EV_OOM);
	assert_int_equal(ev_get(&t.r.ev[0], "sysrq"), 1);
	assert_kinds(&t.r, 1, 5, "oom_badness oom_badness oom_badness oom_badness");
	assert_int_equal(swap_root(t.m)->oom_kill, 1);
	assert_null(task_mm(t.m, b));
	/* next: a (c is protected, init is never chosen) */
	assert_int_equal(out_of_memory(t.m, true, &victim), MM_OK);
	assert_int_equal(victim, a);
	assert_int_equal(swap_info_by_type(t.m, 0)->inuse_pages, 0); /* a's swap went with it */
	assert_int_equal(out_of_memory(t.m, true, &victim), MM_OK);
	assert_int_equal(victim, 0);
	done(&t);
}

static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct t t;
	setup_arch(&t, "x86_64", 8 * MiB, true);
	uint64_t seed = 1812;
	uint32_t pids[24], n = 0;
	unsigned areas[4], na = 0;
	assert_int_equal(process_create(t.m, "init", &pids[n++]), MM_OK);
	areas[na++] = swapon(t.m, 64 * PG, -1);
	for (int i = 0; i < 1500; i++) {
		uint32_t pid = pids[xorshift64(&seed) % n], live = 0;
		if (!task_mm(t.m, pid))
			continue;
		for (uint32_t k = 0; k < n; k++)
			live += task_mm(t.m, pids[k]) != NULL;
		uint64_t base = task_mm(t.m, pid)->mmap_base;
		uint64_t va = base - (1 + xorshift64(&seed) % 16) * PG, out;
		struct fault_result r;
		unsigned paged, type;
		switch (xorshift64(&seed) % 10) {
		case 0:
			do_mmap(t.m, pid, 0, (1 + xorshift64(&seed) % 4) * PG, VM_READ | VM_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, &out);
			break;
		case 1:
			do_munmap(t.m, pid, va, (1 + xorshift64(&seed) % 3) * PG);
			break;
		case 2:
		case 3: {
			const struct mm_struct *mm = task_mm(t.m, pid);
			const struct vma *x = vma_at(t.m, find_vma(t.m, mm, va));
			if (x && x->vm_start <= va)
				do_madvise(t.m, pid, x->vm_start, x->vm_end - x->vm_start, "MADV_PAGEOUT", &paged);
			break;
		}
		case 4:
			if (n < 24 && xorshift64(&seed) % 3 == 0 && do_fork(t.m, pid, &pids[n]) == MM_OK)
				n++;
			break;
		case 5:
			if (live > 1 && xorshift64(&seed) % 4 == 0)
				do_exit(t.m, pid);
			break;
		case 6:
			if (xorshift64(&seed) % 8 == 0) {
				if (na && (na > 1 || xorshift64(&seed) % 2)) {
					unsigned k = (unsigned)(xorshift64(&seed) % na);
					if (do_swapoff(t.m, areas[k]) == MM_OK)
						areas[k] = areas[--na];
				} else if (na < 4 && do_swapon(t.m, (8 + xorshift64(&seed) % 300) * PG, -1, false, NULL,
							       &type) == MM_OK) {
					areas[na++] = type;
				}
			}
			break;
		default:
			handle_access(t.m, pid, va + xorshift64(&seed) % PG, xorshift64(&seed) % 2 ? ACC_WRITE : ACC_READ,
				      xorshift64(&seed), &r);
		}
	}
	uint32_t end = t.m->nsteps;
	if (end < 3000 || !swap_root(t.m)->pswpin)
		fail_msg("only %u steps, %u swap-ins", end, swap_root(t.m)->pswpin);
	print_message("%u steps, %u tasks, %u out, %u in\n", end, n, swap_root(t.m)->pswpout, swap_root(t.m)->pswpin);
	assert_undo_redo(t.m, &t.r, 0, end);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_swaps_and_priorities),
		cmocka_unit_test(test_errors_change_nothing),
		cmocka_unit_test(test_slot_allocation),
		cmocka_unit_test(test_counts_through_fork_and_exit),
		cmocka_unit_test(test_swapin_read_then_cache_hit),
		cmocka_unit_test(test_write_fault_frees_slot),
		cmocka_unit_test(test_reclaim_pieces),
		cmocka_unit_test(test_swapoff_brings_pages_back),
		cmocka_unit_test(test_pte_encodings),
		cmocka_unit_test(test_oom_badness_ordering),
		cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
