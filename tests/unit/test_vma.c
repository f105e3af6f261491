/* VMAs (src/mm/vma.c, mmap.c): the exec layout, top-down gap finding worked
 * by hand, hints and MAP_FIXED, munmap splitting, mprotect split and merge,
 * brk, the errors leaving everything as it was, /proc/PID/maps, and the
 * tree against a brute-force gap search over many VMAs. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/procs.h"
#include "mm/strbuf.h"

#define PG 4096ull
#define BASE 0x7ffff7fff000ull /* mmap_base: TASK_SIZE - 128M */

struct t {
	struct machine *m;
	struct recorder r;
	uint32_t pid;
};

static void setup(struct t *t)
{
	t->m = boot((struct mm_config[]){config_mem(64 * MiB)});
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.keep = t->r.check = true;
	recorder_attach(t->m, &t->r);
	assert_int_equal(process_create(t->m, "demo", &t->pid), MM_OK);
}

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

static uint64_t must_mmap(struct t *t, uint64_t addr, uint64_t len, unsigned prot, unsigned flags)
{
	uint64_t at;
	assert_int_equal(do_mmap(t->m, t->pid, addr, len, prot, flags | MAP_ANONYMOUS, &at), MM_OK);
	return at;
}

/* "start-end prot" per VMA, space-separated, addresses in hex. */
static void assert_vmas(const struct t *t, const char *want)
{
	char buf[1024] = "";
	size_t n = 0;
	const struct mm_struct *mm = task_mm(t->m, t->pid);
	for (uint32_t v = mm->vma_first; v; v = vma_at(t->m, v)->next) {
		char prot[5];
		const struct vma *x = vma_at(t->m, v);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%llx-%llx %s", n ? " " : "",
				      (unsigned long long)x->vm_start, (unsigned long long)x->vm_end,
				      vma_prot_text(x->flags, prot));
	}
	assert_string_equal(buf, want);
}

#define LAYOUT_LO "400000-401000 r-xp 600000-602000 rw-p"
#define STACK "7ffffffde000-7ffffffff000 rw-p"

static void test_layout_and_maps(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	assert_vmas(&t, LAYOUT_LO " " STACK);
	const struct mm_struct *mm = task_mm(t.m, t.pid);
	assert_int_equal(mm->task_size, 0x7ffffffff000ull);
	assert_int_equal(mm->mmap_base, BASE);
	assert_int_equal(mm->total_vm, 1 + 2 + 33);
	must_mmap(&t, 0, 3 * PG, VM_READ | VM_WRITE, MAP_PRIVATE);
	struct strbuf b = {0};
	proc_maps(t.m, t.pid, &b);
	assert_string_equal(b.s, "00400000-00401000 r-xp 00000000 00:00 0 \n"
				 "00600000-00602000 rw-p 00000000 00:00 0 \n"
				 "7ffff7ffc000-7ffff7fff000 rw-p 00000000 00:00 0 \n"
				 "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
				 "                          [stack]\n");
	strbuf_free(&b);
	done(&t);
}

/* Worked example: A (4 pages, rw) goes just below mmap_base; B (2 pages,
 * r) right below A, a different protection so no merge; unmapping A
 * leaves a 4-page gap at the top, so a 2-page area goes at its top
 * (BASE - 2 pages) and a 3-page one no longer fits there: it goes below B. */
static void test_topdown_worked(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = must_mmap(&t, 0, 4 * PG, VM_READ | VM_WRITE, MAP_PRIVATE);
	assert_int_equal(a, BASE - 4 * PG);
	uint64_t b = must_mmap(&t, 0, 2 * PG, VM_READ, MAP_PRIVATE);
	assert_int_equal(b, BASE - 6 * PG);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, 0, EV_GET_UNMAPPED)], "how"), 0);
	assert_int_equal(do_munmap(t.m, t.pid, a, 4 * PG), MM_OK);
	uint64_t c = must_mmap(&t, 0, 2 * PG, VM_READ | VM_EXEC, MAP_PRIVATE);
	assert_int_equal(c, BASE - 2 * PG);
	uint64_t d = must_mmap(&t, 0, 3 * PG, VM_READ | VM_EXEC, MAP_PRIVATE);
	assert_int_equal(d, BASE - 9 * PG);
	/* a 2-page hole between B and C: the next 2-page r-x area fills it and
	 * merges with C above it (same flags, contiguous pgoff) */
	uint64_t e = must_mmap(&t, 0, 2 * PG, VM_READ | VM_EXEC, MAP_PRIVATE);
	assert_int_equal(e, BASE - 4 * PG);
	assert_vmas(&t, LAYOUT_LO " 7ffff7ff6000-7ffff7ff9000 r-xp 7ffff7ff9000-7ffff7ffb000 r--p "
			"7ffff7ffb000-7ffff7fff000 r-xp " STACK);
	done(&t);
}

static void test_hint_and_fixed(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t h = must_mmap(&t, 0x10000000, 4 * PG, VM_READ | VM_WRITE, MAP_PRIVATE);
	assert_int_equal(h, 0x10000000);
	/* a hint that is taken falls back to the top-down search */
	uint64_t h2 = must_mmap(&t, 0x10001000, PG, VM_READ, MAP_PRIVATE);
	assert_int_equal(h2, BASE - PG);
	/* MAP_FIXED replaces what was there: the middle of the hinted area */
	uint64_t f = must_mmap(&t, 0x10001000, PG, VM_READ, MAP_PRIVATE | MAP_FIXED);
	assert_int_equal(f, 0x10001000);
	assert_vmas(&t, LAYOUT_LO " 10000000-10001000 rw-p 10001000-10002000 r--p 10002000-10004000 rw-p "
			"7ffff7ffe000-7ffff7fff000 r--p " STACK);
	done(&t);
}

static void test_munmap_split_and_mprotect_merge(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = must_mmap(&t, 0, 8 * PG, VM_READ | VM_WRITE, MAP_PRIVATE);
	assert_int_equal(do_mprotect(t.m, t.pid, a + 2 * PG, 2 * PG, VM_READ), MM_OK);
	assert_vmas(&t, LAYOUT_LO " 7ffff7ff7000-7ffff7ff9000 rw-p 7ffff7ff9000-7ffff7ffb000 r--p "
			"7ffff7ffb000-7ffff7fff000 rw-p " STACK);
	assert_int_equal(task_mm(t.m, t.pid)->map_count, 6);
	size_t at = t.r.n;
	assert_int_equal(do_mprotect(t.m, t.pid, a + 2 * PG, 2 * PG, VM_READ | VM_WRITE), MM_OK);
	assert_kinds(&t.r, at, END, "mprotect vma_prot vma_merge vma_merge");
	assert_vmas(&t, LAYOUT_LO " 7ffff7ff7000-7ffff7fff000 rw-p " STACK);
	/* punch a hole: one VMA becomes two */
	at = t.r.n;
	assert_int_equal(do_munmap(t.m, t.pid, a + 3 * PG, PG), MM_OK);
	assert_kinds(&t.r, at, END, "munmap vma_split vma_split vma_remove");
	assert_vmas(&t, LAYOUT_LO " 7ffff7ff7000-7ffff7ffa000 rw-p 7ffff7ffb000-7ffff7fff000 rw-p " STACK);
	assert_int_equal(task_mm(t.m, t.pid)->total_vm, 36 + 7);
	done(&t);
}

static void test_brk(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t out, start = task_mm(t.m, t.pid)->start_brk;
	assert_int_equal(start, 0x602000);
	assert_int_equal(do_brk(t.m, t.pid, start + 3 * PG + 5, &out), MM_OK);
	assert_int_equal(out, start + 3 * PG + 5);
	/* the heap grew out of the bss VMA: they are one [heap] now */
	assert_vmas(&t, "400000-401000 r-xp 600000-606000 rw-p " STACK);
	struct strbuf b = {0};
	proc_maps(t.m, t.pid, &b);
	assert_non_null(strstr(b.s, "00600000-00606000 rw-p 00000000 00:00 0                                  [heap]\n"));
	strbuf_free(&b);
	assert_int_equal(do_brk(t.m, t.pid, start + PG, &out), MM_OK);
	assert_vmas(&t, "400000-401000 r-xp 600000-603000 rw-p " STACK);
	assert_int_equal(task_mm(t.m, t.pid)->brk, start + PG);
	done(&t);
}

static void test_errors_change_nothing(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint64_t a = must_mmap(&t, 0, 4 * PG, VM_READ | VM_WRITE, MAP_PRIVATE);
	struct snapshot s = snap(t.m, &t.r);
	uint64_t out;
	assert_int_equal(do_munmap(t.m, t.pid, a + 1, PG), MM_EINVAL);
	assert_non_null(strstr(t.m->error, "not page-aligned"));
	assert_int_equal(do_munmap(t.m, t.pid, 0x20000000, PG), MM_EINVAL);
	assert_non_null(strstr(t.m->error, "nothing is mapped"));
	assert_int_equal(do_mprotect(t.m, t.pid, a - PG, 2 * PG, VM_READ), MM_EINVAL);
	assert_non_null(strstr(t.m->error, "hole"));
	assert_int_equal(do_mmap(t.m, t.pid, 0, 0, VM_READ, MAP_PRIVATE, &out), MM_EINVAL);
	assert_int_equal(do_mmap(t.m, t.pid, 0x7ffffffff000ull - PG, 4 * PG, VM_READ, MAP_PRIVATE | MAP_FIXED, &out),
			 MM_EINVAL);
	assert_non_null(strstr(t.m->error, "past the end"));
	assert_int_equal(do_mmap(t.m, t.pid, 0, PG, VM_READ, MAP_PRIVATE | MAP_SHARED, &out), MM_EINVAL);
	assert_int_equal(do_mmap(t.m, t.pid, 0, UINT64_MAX - 10, VM_READ, MAP_PRIVATE, &out), MM_EINVAL);
	assert_int_equal(do_brk(t.m, t.pid, 0x1000, &out), MM_EINVAL);
	uint32_t child;
	assert_int_equal(do_fork(t.m, 99, &child), MM_EINVAL);
	assert_unchanged(t.m, &t.r, &s);
	done(&t);
}

/* The highest [x, x+len) in [low, high) free of every VMA, found by trying
 * every gap: what the tree search must agree with. */
static uint64_t brute_topdown(const struct machine *m, const struct mm_struct *mm, uint64_t len, uint64_t low,
			      uint64_t high)
{
	uint64_t best = 0, below = 0;
	for (uint32_t v = mm->vma_first;; v = vma_at(m, v)->next) {
		uint64_t top = v ? vma_at(m, v)->vm_start : UINT64_MAX;
		uint64_t gs = below > low ? below : low, ge = top < high ? top : high;
		if (ge > gs && ge - gs >= len)
			best = ge - len;
		if (!v)
			break;
		below = vma_at(m, v)->vm_end;
	}
	return best;
}

static void test_gap_search_matches_brute_force(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	t.r.check = false; /* checked every 50 operations below */
	uint64_t seed = 7;
	const struct mm_struct *mm = task_mm(t.m, t.pid);
	for (int i = 0; i < 2000; i++) {
		uint64_t len = (1 + xorshift64(&seed) % 8) * PG;
		uint64_t want = brute_topdown(t.m, mm, len, 65536, BASE);
		assert_int_equal(unmapped_area_topdown(t.m, mm, len, 65536, BASE), want);
		uint64_t at;
		/* alternate protections so neighbours do not all merge */
		unsigned prot = xorshift64(&seed) % 2 ? VM_READ : VM_READ | VM_WRITE;
		assert_int_equal(do_mmap(t.m, t.pid, 0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, &at), MM_OK);
		assert_int_equal(at, want);
		if (xorshift64(&seed) % 3 == 0) {
			uint64_t hole = BASE - (1 + xorshift64(&seed) % (uint64_t)(i + 8)) * PG;
			if (!vma_range_free(t.m, mm, hole, hole + PG))
				assert_int_equal(do_munmap(t.m, t.pid, hole, PG), MM_OK);
		}
		if (i % 50 == 0)
			assert_machine_ok(t.m);
	}
	assert_true(mm->map_count > 500);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_maps),
		cmocka_unit_test(test_topdown_worked),
		cmocka_unit_test(test_hint_and_fixed),
		cmocka_unit_test(test_munmap_split_and_mprotect_merge),
		cmocka_unit_test(test_brk),
		cmocka_unit_test(test_errors_change_nothing),
		cmocka_unit_test(test_gap_search_matches_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
