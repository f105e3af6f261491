/* Page migration (src/mm/migrate.c, try_to_migrate and
 * remove_migration_ptes in rmap.c): every mapping translated before and
 * after, contents kept, pages shared after fork keeping both mappings,
 * page cache pages keeping their slot, migration entries in the PTEs
 * between the steps, and refusals leaving the state unchanged. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/compaction.h"
#include "mm/pgtable.h"
#include "mm/procs.h"
#include "mm/slub.h"

#define PG 4096ull

struct t {
	struct machine *m;
	struct recorder r;
	uint32_t parent, child, file;
	uint64_t anon, fva;
};

struct mapping {
	uint32_t pid;
	uint64_t va;
	uint32_t pfn;
	uint64_t value;
};

static struct fault_result acc(struct machine *m, uint32_t pid, uint64_t va, enum pt_access a, uint64_t v)
{
	struct fault_result r;
	assert_int_equal(handle_access(m, pid, va, a, v, &r), MM_OK);
	assert_false(r.segv);
	return r;
}

/* A parent with 4 anonymous pages (values 100..103) and 2 pages of a
 * shared file mapping, forked; the child then writes page 3 (its own copy). */
static void setup(struct t *t)
{
	t->m = boot((struct mm_config[]){config_textbook(16 * MiB)});
	machine_journal(t->m, true);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = t->r.keep = true;
	recorder_attach(t->m, &t->r);
	assert_int_equal(process_create(t->m, "parent", &t->parent), MM_OK);
	assert_int_equal(do_mmap(t->m, t->parent, 0, 4 * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &t->anon),
			 MM_OK);
	for (unsigned i = 0; i < 4; i++)
		acc(t->m, t->parent, t->anon + i * PG, ACC_WRITE, 100 + i);
	assert_int_equal(file_create(t->m, "data", 2 * PG, &t->file), MM_OK);
	assert_int_equal(do_mmap_file(t->m, t->parent, 0, 2 * PG, VM_READ | VM_WRITE, MAP_SHARED, t->file, 0, &t->fva),
			 MM_OK);
	acc(t->m, t->parent, t->fva, ACC_READ, 0);
	acc(t->m, t->parent, t->fva + PG, ACC_READ, 0);
	assert_int_equal(do_fork(t->m, t->parent, &t->child), MM_OK);
	acc(t->m, t->child, t->anon + 3 * PG, ACC_WRITE, 7);
}

/* Every (task, page) mapping, read through the MMU. */
static unsigned mappings(struct t *t, struct mapping *out)
{
	unsigned n = 0;
	uint32_t pids[2] = {t->parent, t->child};
	for (unsigned p = 0; p < 2; p++) {
		for (unsigned i = 0; i < 4; i++) {
			struct fault_result r = acc(t->m, pids[p], t->anon + i * PG, ACC_READ, 0);
			assert_false(r.faulted);
			out[n++] = (struct mapping){pids[p], t->anon + i * PG, r.pfn, r.value};
		}
		for (unsigned i = 0; i < 2; i++) {
			struct fault_result r = acc(t->m, pids[p], t->fva + i * PG, ACC_READ, 0);
			out[n++] = (struct mapping){pids[p], t->fva + i * PG, r.pfn, r.value};
		}
	}
	return n;
}

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

/* Migrate each distinct page once: every mapping of it now translates to
 * the new frame with the same value; every other mapping is untouched. */
static void test_every_mapping_follows(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	struct mapping before[12], after[12];
	unsigned n = mappings(&t, before);
	assert_int_equal(n, 12);
	assert_int_equal(before[0].pfn, before[6].pfn); /* shared after fork */
	assert_true(before[3].pfn != before[9].pfn);    /* the child's copy */
	for (unsigned k = 0; k < n; k++) {
		uint32_t src = before[k].pfn, dst;
		bool seen = false;
		for (unsigned j = 0; j < k; j++)
			seen |= before[j].pfn == src;
		if (seen)
			continue;
		uint32_t maps = page_user(t.m, src)->mapcount, refs = page_user(t.m, src)->refcount;
		assert_int_equal(migrate_page(t.m, src, 0, PFN_NONE, &dst), MM_OK);
		assert_true(dst != src);
		assert_int_equal(page_user(t.m, dst)->mapcount, maps);
		assert_int_equal(page_user(t.m, dst)->refcount, refs);
		assert_null(page_user(t.m, src));
		assert_int_equal(frame_state(&t.m->frames[block_head(t.m, src)]), FS_FREE);
		assert_int_equal(mappings(&t, after), n);
		for (unsigned j = 0; j < n; j++) {
			assert_int_equal(after[j].value, before[j].value);
			assert_int_equal(after[j].pfn, before[j].pfn == src ? dst : before[j].pfn);
			before[j].pfn = after[j].pfn;
		}
	}
	done(&t);
}

/* The steps of one migration of a page mapped twice: between unmap and
 * remap both PTEs hold migration entries (the checker passes there too). */
static void test_steps_and_migration_entries(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint32_t src = acc(t.m, t.parent, t.anon, ACC_READ, 0).pfn, dst;
	uint32_t asid = task_mm(t.m, t.child)->asid;
	recorder_clear(&t.r);
	assert_int_equal(migrate_page(t.m, src, 0, PFN_NONE, &dst), MM_OK);
	size_t a = find_kind(&t.r, 0, EV_MIGRATE_TARGET);
	assert_kinds(&t.r, a, a + 6,
		     "migrate_target try_to_migrate tlb_flush try_to_migrate tlb_flush migrate_folio");
	assert_kinds(&t.r, 0, 2, "isolate_migratepage alloc");
	assert_event(&t.r, a + 1, "try_to_migrate", "pid=1 mapcount=1");
	assert_event(&t.r, a + 3, "try_to_migrate", "pid=2 mapcount=0");
	uint64_t e = (uint64_t)ev_get(&t.r.ev[a + 3], "pte");
	assert_true(is_migration_entry(t.m, e));
	assert_int_equal(pte_pfn(t.m, e), src);
	assert_false(is_writable_migration_entry(t.m, e)); /* shared after fork: read-only */
	assert_event(&t.r, a + 6, "remove_migration_pte", "mapcount=1");
	assert_event(&t.r, a + 7, "remove_migration_pte", "mapcount=2");
	assert_event(&t.r, t.r.n - 1, "migrated", "mappings=2");
	/* back to just after the child's entry was written: it is there */
	uint32_t step = t.m->nsteps - (uint32_t)(t.r.n - (a + 4));
	machine_seek(t.m, step);
	assert_true(is_migration_entry(t.m, *pte_lookup(t.m, asid, t.anon, NULL)));
	assert_machine_ok(t.m);
	machine_seek(t.m, t.m->j.nsteps);
	assert_int_equal(pte_pfn(t.m, *pte_lookup(t.m, asid, t.anon, NULL)), dst);
	done(&t);
}

/* A writable private page keeps its write permission through the entry;
 * a page cache page's slot names the new frame. */
static void test_writable_and_page_cache(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint32_t own = acc(t.m, t.child, t.anon + 3 * PG, ACC_READ, 0).pfn, dst;
	assert_int_equal(migrate_page(t.m, own, 0, PFN_NONE, &dst), MM_OK);
	size_t u = find_kind(&t.r, 0, EV_MIGRATE_UNMAP);
	while (find_kind(&t.r, u + 1, EV_MIGRATE_UNMAP) < t.r.n)
		u = find_kind(&t.r, u + 1, EV_MIGRATE_UNMAP);
	assert_true(is_writable_migration_entry(t.m, (uint64_t)ev_get(&t.r.ev[u], "pte")));
	assert_true(pte_writable(t.m, *pte_lookup(t.m, task_mm(t.m, t.child)->asid, t.anon + 3 * PG, NULL)));
	uint32_t fp = acc(t.m, t.parent, t.fva + PG, ACC_READ, 0).pfn;
	const struct address_space *f = file_by_id(t.m, t.file);
	assert_int_equal(filemap_lookup(t.m, f, 1), fp);
	uint32_t refs = page_user(t.m, fp)->refcount; /* the cache's and each mapper's */
	assert_int_equal(refs, 1 + page_user(t.m, fp)->mapcount);
	assert_int_equal(migrate_page(t.m, fp, 0, PFN_NONE, &dst), MM_OK);
	assert_int_equal(filemap_lookup(t.m, f, 1), dst);
	assert_int_equal(page_user(t.m, dst)->refcount, refs);
	done(&t);
}

/* To a given free frame: the page lands exactly there, the rest of its
 * free block stays free. */
static void test_to_a_given_frame(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	uint32_t src = acc(t.m, t.parent, t.anon + PG, ACC_READ, 0).pfn, dst;
	struct zone *z = pfn_zone(t.m, src);
	uint32_t target = z->free_area[10].free_list[MIGRATE_MOVABLE].head + 5, free0 = z->free_pages;
	assert_int_equal(migrate_page(t.m, src, -1, target, &dst), MM_OK);
	assert_int_equal(dst, target);
	assert_int_equal(z->free_pages, free0);
	assert_int_equal(acc(t.m, t.child, t.anon + PG, ACC_READ, 0).pfn, target);
	done(&t);
}

static void refused(struct t *t, uint32_t pfn, int node, uint32_t target, const char *msg)
{
	struct snapshot before = snap(t->m, &t->r);
	uint32_t dst;
	assert_int_equal(migrate_page(t->m, pfn, node, target, &dst), MM_EINVAL);
	assert_string_equal(t->m->error, msg);
	assert_unchanged(t->m, &t->r, &before);
}

static void test_refusals_change_nothing(void **state)
{
	(void)state;
	struct t t;
	setup(&t);
	struct zone *z = machine_zone(t.m, 0, ZONE_DMA);
	uint32_t fr = z->free_area[10].free_list[MIGRATE_MOVABLE].head;
	char msg[160];
	snprintf(msg, sizeof msg, "migrate: frame 0x%x cannot move: it is free: there is nothing to move", fr + 3);
	refused(&t, fr + 3, 0, PFN_NONE, msg);
	uint32_t k = must_alloc(t.m, 0, GFP_KERNEL);
	snprintf(msg, sizeof msg,
		 "migrate: frame 0x%x cannot move: it is a kernel allocation: the kernel holds its physical address", k);
	refused(&t, k, 0, PFN_NONE, msg);
	uint32_t pgd = pt_mm(t.m, task_mm(t.m, t.parent)->asid)->pgd;
	uint32_t table = pt_table(t.m, pgd)->pfn;
	snprintf(msg, sizeof msg,
		 "migrate: frame 0x%x cannot move: it is a page table: the MMU walks it by physical address", table);
	refused(&t, table, 0, PFN_NONE, msg);
	uint32_t anon = acc(t.m, t.parent, t.anon, ACC_READ, 0).pfn;
	refused(&t, anon, 3, PFN_NONE, "migrate: node 3 does not exist: this machine has nodes 0..0");
	snprintf(msg, sizeof msg, "migrate: target frame 0x%x is not free (it is allocated)", k);
	refused(&t, anon, -1, k, msg);
	refused(&t, t.m->nr_frames, 0, PFN_NONE, "migrate: pfn 0x1000 is outside memory (pfns 0x0..0xfff)");
	/* a pin: one reference more than its mappings */
	struct upage *u = page_user(t.m, anon);
	u->refcount++;
	snprintf(msg, sizeof msg, "migrate: frame 0x%x cannot move: it is pinned: a reference beyond its mappings holds it",
		 anon);
	refused(&t, anon, 0, PFN_NONE, msg);
	u->refcount--;
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_mapping_follows),
		cmocka_unit_test(test_steps_and_migration_entries),
		cmocka_unit_test(test_writable_and_page_cache),
		cmocka_unit_test(test_to_a_given_frame),
		cmocka_unit_test(test_refusals_change_nothing),
	};
	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
