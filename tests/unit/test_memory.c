/* Page faults (src/mm/memory.c): every path of handle_mm_fault with its
 * steps, contents, counters, out of memory, and the zero page never
 * writable. */
#include <string.h>

#include "helpers.h"
#include "mm/procs.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
	uint32_t pid;
	uint64_t a; /* a 16-page rw anonymous area */
};

static void setup_mem(struct t *t, uint64_t memory)
{
	t->m = boot((struct mm_config[]){config_textbook(memory)});
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.keep = t->r.check = true;
	recorder_attach(t->m, &t->r);
	assert_int_equal(process_create(t->m, "demo", &t->pid), MM_OK);
	assert_int_equal(do_mmap(t->m, t->pid, 0, 16 * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &t->a),
			 MM_OK);
}

static void setup(struct t *t) { setup_mem(t, 64 * MiB); }

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

static struct fault_result must_access(struct t *t, uint64_t va, enum pt_access acc, uint64_t value)
{
	struct fault_result r;
	assert_int_equal(handle_access(t->m, t->pid, va, acc, value, &r), MM_OK);
	return r;
}

static void test_read_maps_the_zero_page(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	size_t at = t.r.n;
	struct fault_result r = must_access(&t, t.a + 5, ACC_READ, 0);
	assert_true(r.faulted && !r.segv);
	assert_int_equal(r.value, 0);
	assert_int_equal(r.pfn, procs_root(t.m)->zero_pfn);
	assert_int_equal(frame_state(&t.m->frames[r.pfn]), FS_ZERO);
	/* the walk faults, the handler finds the VMA, the zero page is set
	 * up, mapped read-only, and the retried walk succeeds */
	size_t f = find_kind(&t.r, at, EV_FAULT);
	assert_true(f < t.r.n && find_kind(&t.r, at, EV_WALK_FAULT) < f);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_ANON_FAULT)], "zero"), 1);
	assert_true(find_kind(&t.r, at, EV_ZERO_PAGE) < t.r.n);
	assert_true(find_kind(&t.r, f, EV_TRANSLATED) < t.r.n);
	/* a second page reads the same frame, with no new zero page */
	at = t.r.n;
	struct fault_result r2 = must_access(&t, t.a + PG, ACC_READ, 0);
	assert_int_equal(r2.pfn, r.pfn);
	assert_int_equal(find_kind(&t.r, at, EV_ZERO_PAGE), t.r.n);
	uint64_t *pte = pte_lookup(t.m, task_mm(t.m, t.pid)->asid, t.a, NULL);
	assert_false(pte_writable(t.m, *pte));
	assert_int_equal(procs_root(t.m)->pgfault, 2);
	assert_int_equal(task_by_pid(t.m, t.pid)->min_flt, 2);
	assert_int_equal(task_mm(t.m, t.pid)->rss_anon, 0); /* the zero page is not counted */
	done(&t);
}

static void test_write_takes_a_new_page(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	size_t at = t.r.n;
	struct fault_result r = must_access(&t, t.a + 8, ACC_WRITE, 1234);
	assert_int_equal(r.value, 1234);
	const struct upage *u = page_user(t.m, r.pfn);
	assert_non_null(u);
	assert_int_equal(u->mapcount, 1);
	assert_int_equal(u->refcount, 1);
	assert_int_equal(u->content, 1234);
	assert_int_equal(u->index, t.a / PG);
	assert_true(u->flags & PG_anon_exclusive);
	assert_true(u->flags & PG_swapbacked);
	assert_int_equal(frame_state(&t.m->frames[r.pfn]), FS_ANON);
	/* GFP_HIGHUSER_MOVABLE|__GFP_ZERO from the buddy */
	size_t af = find_kind(&t.r, at, EV_ANON_FAULT), al = af;
	while (t.r.ev[al].kind != EV_ALLOC)
		al--; /* the page's allocation, after the page tables' */
	assert_int_equal(ev_get(&t.r.ev[al], "gfp"), GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
	assert_true(find_kind(&t.r, at, EV_ANON_VMA) < t.r.n);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_ANON_FAULT)], "zero"), 0);
	/* a read of the same page: a TLB hit, no fault */
	at = t.r.n;
	struct fault_result r2 = must_access(&t, t.a, ACC_READ, 0);
	assert_false(r2.faulted);
	assert_int_equal(r2.value, 1234);
	assert_kinds(&t.r, at, END, "tlb_hit translated access");
	assert_int_equal(task_mm(t.m, t.pid)->rss_anon, 1);
	assert_int_equal(procs_root(t.m)->nr_anon, 1);
	done(&t);
}

static void test_write_after_read_replaces_the_zero_page(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	struct fault_result z = must_access(&t, t.a, ACC_READ, 0);
	size_t at = t.r.n;
	struct fault_result w = must_access(&t, t.a, ACC_WRITE, 9);
	assert_int_not_equal(w.pfn, z.pfn);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_WP_FAULT)], "how"), 2);
	assert_int_equal(page_user(t.m, w.pfn)->content, 9);
	assert_int_equal(must_access(&t, t.a, ACC_READ, 0).value, 9);
	done(&t);
}

static void test_segv(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	struct fault_result r = must_access(&t, 0x1000, ACC_READ, 0);
	assert_true(r.segv);
	assert_int_equal(r.segv_reason, SEGV_NO_VMA);
	r = must_access(&t, 0x400010, ACC_WRITE, 1); /* text is r-x */
	assert_true(r.segv);
	assert_int_equal(r.segv_reason, SEGV_ACCESS);
	r = must_access(&t, t.a, ACC_EXEC, 0); /* rw- */
	assert_true(r.segv);
	assert_int_equal(r.segv_reason, SEGV_ACCESS);
	assert_true(find_kind(&t.r, 0, EV_SEGV) < t.r.n);
	/* after mprotect to read-only, a write to a present page is refused */
	must_access(&t, t.a, ACC_WRITE, 1);
	assert_int_equal(do_mprotect(t.m, t.pid, t.a, PG, VM_READ), MM_OK);
	r = must_access(&t, t.a, ACC_WRITE, 2);
	assert_true(r.segv);
	assert_int_equal(must_access(&t, t.a, ACC_READ, 0).value, 1);
	/* PROT_NONE: the page stays, no access reaches it */
	assert_int_equal(do_mprotect(t.m, t.pid, t.a, PG, 0), MM_OK);
	assert_true(must_access(&t, t.a, ACC_READ, 0).segv);
	assert_int_equal(do_mprotect(t.m, t.pid, t.a, PG, VM_READ | VM_WRITE), MM_OK);
	/* exclusive again: writable at once, the value kept */
	assert_int_equal(must_access(&t, t.a, ACC_READ, 0).value, 1);
	struct fault_result w = must_access(&t, t.a, ACC_WRITE, 3);
	assert_false(w.faulted);
	struct fault_result bad;
	assert_int_equal(handle_access(t.m, t.pid, 0x800000000000ull, ACC_READ, 0, &bad), MM_EINVAL);
	done(&t);
}

static void test_munmap_frees_pages(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t before = machine_zone(t.m, 0, ZONE_DMA32)->free_pages;
	for (unsigned i = 0; i < 16; i++)
		must_access(&t, t.a + i * PG, ACC_WRITE, i);
	assert_int_equal(task_mm(t.m, t.pid)->rss_anon, 16);
	assert_int_equal(do_munmap(t.m, t.pid, t.a, 16 * PG), MM_OK);
	assert_int_equal(task_mm(t.m, t.pid)->rss_anon, 0);
	assert_int_equal(procs_root(t.m)->nr_anon, 0);
	/* pages and page tables back: what is left is the PGD */
	assert_int_equal(machine_zone(t.m, 0, ZONE_DMA32)->free_pages, before);
	done(&t);
}

/* A fault below the stack grows it, within RLIMIT_STACK (8M). */
static void test_stack_grows(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	const struct mm_struct *mm = task_mm(t.m, t.pid);
	uint64_t top = mm->task_size, vms = mm->total_vm;
	uint64_t va = top - 40 * PG + 8; /* 7 pages below the 33-page stack */
	struct fault_result r = must_access(&t, va, ACC_WRITE, 3);
	assert_false(r.segv);
	assert_int_equal(mm->total_vm, vms + 7);
	uint32_t v = find_vma(t.m, mm, va);
	assert_int_equal(vma_at(t.m, v)->vm_start, top - 40 * PG);
	assert_int_equal(vma_at(t.m, v)->pgoff, (top - 40 * PG) / PG);
	assert_true(find_kind(&t.r, 0, EV_VMA_RESIZE) < t.r.n);
	/* beyond the rlimit: SIGSEGV */
	assert_true(must_access(&t, top - (8 * MiB) - PG, ACC_READ, 0).segv);
	done(&t);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	struct t t;
	setup_mem(&t, 1 * MiB);
	uint64_t a;
	assert_int_equal(do_mmap(t.m, t.pid, 0, 1 * MiB, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a), MM_OK);
	unsigned got = 0;
	for (; got < 256; got++) {
		struct fault_result r;
		assert_int_equal(handle_access(t.m, t.pid, a + got * PG, ACC_WRITE, got, &r), MM_OK);
		if (r.oom)
			break;
	}
	assert_true(got > 100 && got < 256);
	/* anonymous pages cannot be reclaimed without swap: the OOM killer's turn */
	assert_non_null(strstr(t.m->reason, "the OOM killer would run next"));
	assert_int_equal(task_mm(t.m, t.pid)->rss_anon, got);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_maps_the_zero_page),
		cmocka_unit_test(test_write_takes_a_new_page),
		cmocka_unit_test(test_write_after_read_replaces_the_zero_page),
		cmocka_unit_test(test_segv),
		cmocka_unit_test(test_munmap_frees_pages),
		cmocka_unit_test(test_stack_grows),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
