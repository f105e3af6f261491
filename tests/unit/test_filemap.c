/* Files and the page cache (src/mm/filemap.c) and file faults: read() and
 * the disk, shared mappings seeing each other's writes, private writes
 * copying, major and minor faults, SIGBUS past the end, the file rmap
 * against a scan, the counters, and undo/redo over a random walk. */
#include <string.h>

#include "helpers.h"
#include "mm/procs.h"
#include "mm/slub.h"
#include "mm/proc.h"
#include "mm/strbuf.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
	uint32_t file, p, q;
};

static void setup(struct t *t, bool hash)
{
	t->m = boot((struct mm_config[]){config_mem(hash ? 8 * MiB : 64 * MiB)});
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = true;
	t->r.keep = !hash;
	t->r.hash = hash;
	recorder_attach(t->m, &t->r);
	assert_int_equal(file_create(t->m, "data", 8 * PG, &t->file), MM_OK);
	assert_int_equal(process_create(t->m, "p", &t->p), MM_OK);
	assert_int_equal(process_create(t->m, "q", &t->q), MM_OK);
}

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

static uint64_t fmap(struct t *t, uint32_t pid, unsigned pages, uint64_t off, unsigned flags)
{
	uint64_t a;
	assert_int_equal(do_mmap_file(t->m, pid, 0, pages * PG, VM_READ | VM_WRITE, flags, t->file, off, &a), MM_OK);
	return a;
}

static struct fault_result acc(struct t *t, uint32_t pid, uint64_t va, enum pt_access a, uint64_t v)
{
	struct fault_result r;
	assert_int_equal(handle_access(t->m, pid, va, a, v, &r), MM_OK);
	return r;
}

static void test_read_fills_the_cache(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint64_t v[8];
	unsigned n, disk;
	size_t at = t.r.n;
	assert_int_equal(file_read(t.m, t.file, 100, PG, v, 8, &n, &disk), MM_OK);
	assert_int_equal(n, 2); /* bytes 100..4195 touch pages 0 and 1 */
	assert_int_equal(disk, 2);
	assert_int_equal(v[0], 1000000);
	assert_int_equal(v[1], 1000001);
	assert_true(find_kind(&t.r, at, EV_ADD_TO_PAGE_CACHE) < find_kind(&t.r, at, EV_DISK_READ));
	const struct address_space *f = file_by_id(t.m, t.file);
	assert_int_equal(f->nrpages, 2);
	assert_int_equal(procs_root(t.m)->nr_file_pages, 2);
	at = t.r.n;
	assert_int_equal(file_read(t.m, t.file, 0, 10, v, 8, &n, &disk), MM_OK);
	assert_int_equal(disk, 0);
	assert_kinds(&t.r, at, END, "find_get_page");
	struct snapshot s = snap(t.m, &t.r);
	assert_int_equal(file_read(t.m, t.file, 8 * PG - 1, 2, v, 8, &n, &disk), MM_EINVAL);
	assert_non_null(strstr(t.m->error, "past the end"));
	assert_unchanged(t.m, &t.r, &s);
	done(&t);
}

static void test_shared_mappings_see_each_other(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint64_t a = fmap(&t, t.p, 8, 0, MAP_SHARED), b = fmap(&t, t.q, 4, 4 * PG, MAP_SHARED);
	struct fault_result r = acc(&t, t.p, a + 5 * PG, ACC_READ, 0);
	assert_true(r.major);
	assert_int_equal(r.value, 1000005);
	assert_int_equal(procs_root(t.m)->pgmajfault, 1);
	assert_int_equal(task_by_pid(t.m, t.p)->maj_flt, 1);
	/* q maps file pages 4..7: its page 1 is the same frame, no disk */
	struct fault_result s = acc(&t, t.q, b + PG, ACC_READ, 0);
	assert_false(s.major);
	assert_int_equal(s.pfn, r.pfn);
	/* a write through p (read-only PTE: wp_page_shared) reaches q */
	size_t at = t.r.n;
	acc(&t, t.p, a + 5 * PG, ACC_WRITE, 99);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_WP_FAULT)], "how"), 3);
	assert_int_equal(acc(&t, t.q, b + PG, ACC_READ, 0).value, 99);
	const struct upage *u = page_user(t.m, r.pfn);
	assert_true(u->flags & PG_dirty);
	assert_int_equal(u->mapcount, 2);
	assert_int_equal(u->refcount, 3); /* the cache's and two mappers' */
	/* a write fault on a page not mapped yet: do_shared_fault */
	at = t.r.n;
	acc(&t, t.q, b, ACC_WRITE, 5);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_FILE_FAULT)], "how"), 2);
	assert_int_equal(acc(&t, t.p, a + 4 * PG, ACC_READ, 0).value, 5);
	struct fault_result bus;
	assert_int_equal(do_mmap_file(t.m, t.p, 0, 16 * PG, VM_READ, MAP_SHARED, t.file, 0, &a), MM_OK);
	assert_int_equal(handle_access(t.m, t.p, a + 9 * PG, ACC_READ, 0, &bus), MM_OK);
	assert_true(bus.segv);
	assert_int_equal(bus.segv_reason, SEGV_BUS);
	done(&t);
}

static void test_private_writes_copy(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint64_t a = fmap(&t, t.p, 2, 0, MAP_PRIVATE), b = fmap(&t, t.q, 2, 0, MAP_SHARED);
	/* a first write to a private file page: do_cow_fault */
	size_t at = t.r.n;
	struct fault_result w = acc(&t, t.p, a, ACC_WRITE, 7);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_FILE_FAULT)], "how"), 1);
	assert_int_equal(frame_state(&t.m->frames[w.pfn]), FS_ANON);
	assert_int_equal(acc(&t, t.q, b, ACC_READ, 0).value, 1000000);
	/* read first, then write: the page cache's page, then a copy */
	struct fault_result r = acc(&t, t.p, a + PG, ACC_READ, 0);
	assert_int_equal(frame_state(&t.m->frames[r.pfn]), FS_FILE);
	at = t.r.n;
	struct fault_result w2 = acc(&t, t.p, a + PG, ACC_WRITE, 8);
	assert_int_equal(ev_get(&t.r.ev[find_kind(&t.r, at, EV_WP_FAULT)], "how"), 4);
	assert_int_not_equal(w2.pfn, r.pfn);
	assert_int_equal(page_user(t.m, r.pfn)->mapcount, 0);
	assert_int_equal(acc(&t, t.q, b + PG, ACC_READ, 0).value, 1000001);
	/* the rollup counts the file page and the anonymous ones apart */
	struct strbuf sb = {0};
	proc_smaps_rollup(t.m, t.p, &sb);
	assert_non_null(strstr(sb.s, "Anonymous:             8 kB\n"));
	/* every line, in the order Linux 6.18's /proc/PID/smaps_rollup prints */
	static const char *const order[] = {
		"Rss:",		  "Pss:",	    "Pss_Dirty:",      "Pss_Anon:",	  "Pss_File:",	    "Pss_Shmem:",
		"Shared_Clean:",  "Shared_Dirty:",  "Private_Clean:",  "Private_Dirty:",  "Referenced:",    "Anonymous:",
		"KSM:",		  "LazyFree:",	    "AnonHugePages:",  "ShmemPmdMapped:", "FilePmdMapped:", "Shared_Hugetlb:",
		"Private_Hugetlb:", "Swap:",	    "SwapPss:",	       "Locked:",
	};
	const char *line = strchr(sb.s, '\n') + 1; /* after the range header */
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		assert_memory_equal(line, order[i], strlen(order[i]));
		line = strchr(line, '\n') + 1;
	}
	assert_string_equal(line, "");
	strbuf_free(&sb);
	done(&t);
}

static void test_file_rmap_and_teardown(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint64_t a = fmap(&t, t.p, 8, 0, MAP_SHARED), b = fmap(&t, t.q, 8, 0, MAP_SHARED);
	uint32_t pfn = acc(&t, t.p, a + 3 * PG, ACC_READ, 0).pfn;
	acc(&t, t.q, b + 3 * PG, ACC_READ, 0);
	/* split p's VMA: the halves each keep their i_mmap node */
	assert_int_equal(do_mprotect(t.m, t.p, a + 2 * PG, PG, VM_READ), MM_OK);
	uint32_t c;
	assert_int_equal(do_fork(t.m, t.p, &c), MM_OK);
	acc(&t, c, a + 3 * PG, ACC_READ, 0); /* the child faults it in again */
	struct rmap_hit hits[8];
	assert_int_equal(rmap_walk(t.m, pfn, true, hits, 8), 3);
	assert_int_equal(page_user(t.m, pfn)->mapcount, 3);
	assert_int_equal(do_exit(t.m, t.p), MM_OK);
	assert_int_equal(do_exit(t.m, c), MM_OK);
	assert_int_equal(do_munmap(t.m, t.q, b, 8 * PG), MM_OK);
	/* nothing maps it, the cache keeps it */
	assert_int_equal(page_user(t.m, pfn)->mapcount, 0);
	assert_int_equal(page_user(t.m, pfn)->refcount, 1);
	assert_int_equal(procs_root(t.m)->nr_file_mapped, 0);
	assert_int_equal(procs_root(t.m)->nr_file_pages, 1);
	struct strbuf sb = {0};
	proc_meminfo(t.m, &sb);
	assert_non_null(strstr(sb.s, "Cached:                4 kB\n"));
	assert_non_null(strstr(sb.s, "Mapped:                0 kB\n"));
	strbuf_free(&sb);
	done(&t);
}

/* zoneinfo's per-node stats: each row reads its own counter (six distinct
 * values, so rows wired to the wrong counter cannot pass). */
static void test_zoneinfo_node_stats(void **state)
{
	(void)state;
	struct t t;
	setup(&t, false);
	uint64_t a = fmap(&t, t.p, 8, 0, MAP_SHARED), b = fmap(&t, t.q, 2, 0, MAP_PRIVATE);
	for (int i = 0; i < 4; i++)
		acc(&t, t.p, a + (uint64_t)i * PG, ACC_READ, 0); /* 4 cached, 4 mapped */
	assert_int_equal(do_munmap(t.m, t.p, a + 2 * PG, PG), MM_OK); /* 3 mapped, the cache keeps 4 */
	acc(&t, t.q, b, ACC_WRITE, 7);                                  /* one anon copy */
	struct kmem_cache_args ra = {.flags = SLAB_RECLAIM_ACCOUNT, .ctor = true, .min_partial = -1};
	uint32_t c, s, i;
	assert_int_equal(kmem_cache_create_args(t.m, "radix_tree_node", 576, &ra, &c), MM_OK);
	assert_int_equal(kmem_cache_alloc(t.m, c, &s, &i), MM_OK); /* one order-1 slab */
	struct kobj o;
	assert_int_equal(kmalloc(t.m, 3000, GFP_KERNEL, &o), MM_OK);  /* kmalloc-4096: an order-3 slab */
	assert_int_equal(kmalloc(t.m, 40000, GFP_KERNEL, &o), MM_OK); /* large: order 4, 16 pages */
	struct strbuf sb = {0};
	proc_zoneinfo(t.m, &sb);
	const char *block = strstr(sb.s, "  per-node stats\n");
	assert_non_null(block);
	const char *want = (
		 "  per-node stats\n"
		 "      nr_slab_reclaimable 2\n"
		 "      nr_slab_unreclaimable 24\n"
		 "      nr_anon_pages 1\n"
		 "      nr_mapped    3\n"
		 "      nr_file_pages 4\n"
		 "      nr_page_table_pages 8\n" /* p and q: four levels each */
		 "  pages free");
	assert_memory_equal(block, want, strlen(want));
	strbuf_free(&sb);
	done(&t);
}

static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct t t;
	setup(&t, true);
	uint64_t seed = 11, out;
	uint32_t pids[2] = {t.p, t.q};
	for (int i = 0; i < 600; i++) {
		uint32_t pid = pids[xorshift64(&seed) % 2];
		uint64_t base = task_mm(t.m, pid)->mmap_base, va = base - (1 + xorshift64(&seed) % 16) * PG;
		struct fault_result r;
		switch (xorshift64(&seed) % 6) {
		case 0:
			do_mmap_file(t.m, pid, 0, (1 + xorshift64(&seed) % 4) * PG, VM_READ | VM_WRITE,
				     xorshift64(&seed) % 2 ? MAP_SHARED : MAP_PRIVATE, t.file,
				     (xorshift64(&seed) % 8) * PG, &out);
			break;
		case 1:
			do_munmap(t.m, pid, va, PG);
			break;
		case 2:
			do_mprotect(t.m, pid, va, PG, (unsigned)(1 + xorshift64(&seed) % 3));
			break;
		default:
			handle_access(t.m, pid, va, xorshift64(&seed) % 2 ? ACC_WRITE : ACC_READ, xorshift64(&seed), &r);
		}
	}
	uint32_t end = t.m->nsteps;
	for (uint32_t s = end; s-- > 0;) {
		machine_seek(t.m, s);
		if (machine_hash(t.m) != t.r.hashes[s])
			fail_msg("state after undoing to step %u differs", s);
	}
	machine_seek(t.m, end);
	assert_true(machine_hash(t.m) == t.r.hashes[end]);
	print_message("%u steps\n", end);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fills_the_cache),
		cmocka_unit_test(test_shared_mappings_see_each_other),
		cmocka_unit_test(test_private_writes_copy),
		cmocka_unit_test(test_file_rmap_and_teardown),
		cmocka_unit_test(test_zoneinfo_node_stats),
		cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
