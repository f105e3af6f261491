/* Compaction (src/mm/compaction.c): the fragmentation indices against
 * hand-computed values and debugfs's format, compact_zone on hand-made
 * layouts (each scanner's stretch, the result, the free blocks made),
 * pages that cannot move, refusals, direct compaction inside an
 * allocation, and a random walk with compaction and undo/redo. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mm/compaction.h"
#include "mm/proc.h"
#include "mm/procs.h"
#include "mm/vmscan.h"

#define PG 4096ull

/* fragmentation_index and unusable_index on free counts set by hand:
 * 10 order-0, 3 order-1 and 1 order-3 block: 24 pages in 14 blocks. */
static void test_indices_by_hand(void **state)
{
	(void)state;
	struct zone z = {0};
	z.free_area[0].nr_free = 10;
	z.free_area[1].nr_free = 3;
	z.free_area[3].nr_free = 1;
	/* order 4: 1000 - (1000 + 24 * 1000 / 16) / 14 = 1000 - 178 */
	assert_int_equal(fragmentation_index(&z, 5, 4), 822);
	/* an order-3 block serves orders 3 and below: -1000 */
	assert_int_equal(fragmentation_index(&z, 5, 3), -1000);
	assert_int_equal(fragmentation_index(&z, 5, 0), -1000);
	/* unusable: (24 - suitable << order) * 1000 / 24 */
	assert_int_equal(unusable_index(&z, 5, 0), 0);
	assert_int_equal(unusable_index(&z, 5, 1), 416); /* 3 + 4 order-1 blocks: (24 - 14) / 24 */
	assert_int_equal(unusable_index(&z, 5, 2), 666);                     /* (24 - 2 * 4) / 24 */
	assert_int_equal(unusable_index(&z, 5, 4), 1000);
	struct zone empty = {0};
	assert_int_equal(fragmentation_index(&empty, 5, 2), 0);
	assert_int_equal(unusable_index(&empty, 5, 2), 1000);
}

static struct machine *toy(unsigned max_order)
{
	struct mm_config c = config_textbook(256 * KiB); /* 64 frames, all DMA */
	c.min_free_kbytes = 0;
	c.max_order = max_order;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	return m;
}

/* 64 frames, every odd one freed: the two debugfs files, byte for byte. */
static void test_extfrag_files(void **state)
{
	(void)state;
	struct machine *m = toy(7);
	for (uint32_t i = 0; i < 64; i++)
		assert_int_equal(must_alloc(m, 0, GFP_KERNEL), i);
	for (uint32_t i = 1; i < 64; i += 2)
		must_free(m, i, 0);
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "extfrag_index", &b), 0);
	/* 32 pages in 32 blocks: 1000 - (1000 + 32000 / 2^k) / 32 */
	assert_string_equal(b.s, "Node 0, zone      DMA -1.000  0.469  0.719  0.844  0.907  0.938  0.954 \n");
	b.len = 0;
	assert_int_equal(mm_proc(m, "unusable_index", &b), 0);
	assert_string_equal(b.s, "Node 0, zone      DMA 0.000 1.000 1.000 1.000 1.000 1.000 1.000 \n");
	strbuf_free(&b);
	machine_free(m);
}

struct t {
	struct machine *m;
	struct recorder r;
	struct zone *z;
	uint32_t file;
};

/* 64 frames in 4-frame pageblocks (max_order 3): page cache pages at the
 * even pfns, the odd ones free; kernel pages stay at the pfns in keep. */
static void layout(struct t *t, const uint32_t *keep, unsigned nkeep)
{
	t->m = toy(3);
	memset(&t->r, 0, sizeof t->r);
	t->r.check = t->r.keep = true;
	recorder_attach(t->m, &t->r);
	t->z = machine_zone(t->m, 0, ZONE_DMA);
	assert_int_equal(pageblock_order(t->m), 2);
	assert_int_equal(file_create(t->m, "f", 32 * PG, &t->file), MM_OK);
	uint64_t v;
	unsigned n, disk;
	for (uint32_t pfn = 0; pfn < 64; pfn++) {
		if (pfn % 2 == 0)
			assert_int_equal(file_read(t->m, t->file, pfn / 2 * PG, 1, &v, 1, &n, &disk), MM_OK);
		else
			assert_int_equal(must_alloc(t->m, 0, GFP_KERNEL), pfn);
		assert_int_equal(frame_state(&t->m->frames[pfn]), pfn % 2 ? FS_ALLOC : FS_FILE);
	}
	for (uint32_t pfn = 1; pfn < 64; pfn += 2) {
		bool kept = false;
		for (unsigned i = 0; i < nkeep; i++)
			kept |= keep[i] == pfn;
		if (!kept)
			must_free(t->m, pfn, 0);
	}
	recorder_clear(&t->r);
}

static void done(struct t *t)
{
	assert_machine_ok(t->m);
	recorder_free(&t->r);
	machine_free(t->m);
}

/* The pfns at which the scanners' stretches start, in order. */
static void assert_scans(const struct recorder *r, unsigned scanner, const uint32_t *starts, unsigned n)
{
	unsigned k = 0;
	for (size_t i = find_kind(r, 0, EV_COMPACT_SCAN); i < r->n; i = find_kind(r, i + 1, EV_COMPACT_SCAN)) {
		if (ev_get(&r->ev[i], "scanner") != scanner)
			continue;
		if (k == n)
			fail_msg("scanner %u: more stretches than the %u expected", scanner, n);
		if (ev_get(&r->ev[i], "start") != starts[k])
			fail_msg("scanner %u stretch %u starts at 0x%llx, not 0x%x", scanner, k,
				 (unsigned long long)ev_get(&r->ev[i], "start"), starts[k]);
		k++;
	}
	assert_int_equal(k, n);
}

/*
 * compact_memory on the even/odd layout: round k the migrate scanner takes
 * pageblock 4k's two pages, the free scanner pageblock 60 - 4k's two free
 * frames; after round 6 the free scanner may not go below pageblock 36
 * (the one above the migrate scanner's), so round 7's pages 28 and 30 find
 * no target and stay.  14 pages move; pfns 0..27 become 7 free blocks.
 */
static void test_compact_full_even_odd(void **state)
{
	(void)state;
	struct t t;
	layout(&t, NULL, 0);
	enum compact_result res;
	assert_int_equal(compact_zone_op(t.m, t.z, -1, &res), MM_OK);
	assert_int_equal(res, COMPACT_COMPLETE);
	static const uint32_t mig[] = {0, 4, 8, 12, 16, 20, 24, 28};
	static const uint32_t fre[] = {60, 56, 52, 48, 44, 40, 36};
	assert_scans(&t.r, 0, mig, 8);
	assert_scans(&t.r, 1, fre, 7);
	size_t end = find_kind(&t.r, 0, EV_COMPACT_END);
	assert_event(&t.r, end, "compact_finished", "result=complete migrated=14 failed=2 migrate_pfn=32 free_pfn=32");
	/* the first pair: 0 -> 61 and 2 -> 63 */
	size_t i = find_kind(&t.r, 0, EV_MIGRATE_TARGET);
	assert_event(&t.r, i, "migrate_target", "src=0 dst=61");
	assert_event(&t.r, find_kind(&t.r, i + 1, EV_MIGRATE_TARGET), "migrate_target", "src=2 dst=63");
	uint32_t want[] = {4, 0, 7};
	assert_nr_free(t.z, want, 3, "after compaction");
	for (uint32_t pfn = 0; pfn < 28; pfn += 4)
		assert_int_equal(frame_state(&t.m->frames[pfn]), FS_FREE);
	/* every page of the file is still cached, with its content */
	struct address_space *f = file_by_id(t.m, t.file);
	for (uint64_t idx = 0; idx < 32; idx++) {
		uint32_t pfn = filemap_lookup(t.m, f, idx);
		assert_int_equal(page_user(t.m, pfn)->content, (uint64_t)t.file * 1000000 + idx);
		assert_int_equal(page_user(t.m, pfn)->index, idx);
	}
	assert_int_equal(t.z->compact.nr_isolated, 0);
	assert_int_equal(t.z->compact.running, 0);
	assert_int_equal(t.z->compact.ev[CE_PGMIGRATE_SUCCESS], 14);
	assert_int_equal(t.z->compact.ev[CE_PGMIGRATE_FAIL], 2);
	done(&t);
}

/* An unmovable page at pfn 1 keeps pageblock 0 from becoming free:
 * the migrate scanner counts it and moves the others around it. */
static void test_unmovable_page_stays(void **state)
{
	(void)state;
	struct t t;
	static const uint32_t keep[] = {1};
	layout(&t, keep, 1);
	enum compact_result res;
	assert_int_equal(compact_zone_op(t.m, t.z, -1, &res), MM_OK);
	size_t s = find_kind(&t.r, 0, EV_COMPACT_SCAN);
	assert_event(&t.r, s, "compact_scan", "scanner=migrate start=0 end=4 isolated=2 unmovable=1");
	assert_int_equal(frame_state(&t.m->frames[1]), FS_ALLOC);
	assert_int_equal(frame_state(&t.m->frames[0]), FS_FREE);
	assert_int_equal(frame_order(&t.m->frames[0]), 0); /* its buddy 1 is in use */
	uint32_t want[] = {5, 1, 6};
	assert_nr_free(t.z, want, 3, "after compaction around pfn 1");
	done(&t);
}

/* For an order, compaction stops at the first pageblock boundary where a
 * free block of that order exists (__compact_finished). */
static void test_compact_order_stops_on_success(void **state)
{
	(void)state;
	struct t t;
	layout(&t, NULL, 0);
	enum compact_result res;
	assert_int_equal(compact_zone_op(t.m, t.z, 2, &res), MM_OK);
	assert_int_equal(res, COMPACT_SUCCESS);
	assert_kinds(&t.r, 0, 2, "compaction_suitable compact_zone");
	size_t end = find_kind(&t.r, 0, EV_COMPACT_END);
	assert_event(&t.r, end, "compact_finished", "result=success migrated=2 failed=0 migrate_pfn=4");
	assert_int_equal(t.z->free_area[2].nr_free, 1);
	/* asked again: the order can be had already, nothing is scanned */
	recorder_clear(&t.r);
	assert_int_equal(compact_zone_op(t.m, t.z, 2, &res), MM_OK);
	assert_int_equal(res, COMPACT_SUCCESS);
	assert_kinds(&t.r, 0, END, "compact_finished");
	done(&t);
}

/* kswapd's wakeup: kcompactd compacts the node for the order, counted as
 * a daemon's work; a node where the order can be had stays asleep. */
static void test_kcompactd(void **state)
{
	(void)state;
	struct t t;
	layout(&t, NULL, 0);
	bool woken;
	assert_int_equal(kcompactd_wake_op(t.m, 0, 2, &woken), MM_OK);
	assert_true(woken);
	assert_kinds(&t.r, 0, 4, "wakeup_kcompactd kcompactd compaction_suitable compact_zone");
	size_t end = find_kind(&t.r, 0, EV_COMPACT_END);
	assert_event(&t.r, end, "compact_finished", "result=success migrated=2");
	assert_int_equal(t.z->compact.ev[CE_KCOMPACTD_WAKE], 1);
	assert_int_equal(t.z->compact.ev[CE_KCOMPACTD_MIGRATE_SCANNED], 4);
	assert_int_equal(t.z->compact.ev[CE_KCOMPACTD_FREE_SCANNED], 4);
	assert_int_equal(t.z->compact.ev[CE_COMPACTMIGRATE_SCANNED], 4);
	assert_int_equal(node_lruvec(t.m, 0)->kcompactd_max_order, 0); /* served */
	recorder_clear(&t.r);
	/* an order-2 block is free now: the order is recorded, kcompactd sleeps */
	assert_int_equal(kcompactd_wake_op(t.m, 0, 2, &woken), MM_OK);
	assert_false(woken);
	assert_kinds(&t.r, 0, END, "wakeup_kcompactd");
	assert_event(&t.r, 0, "wakeup_kcompactd", "order=2");
	assert_int_equal(node_lruvec(t.m, 0)->kcompactd_max_order, 2);
	assert_int_equal(t.z->compact.ev[CE_KCOMPACTD_WAKE], 1);
	/* bad input: refused, nothing changed */
	struct snapshot before = snap(t.m, &t.r);
	assert_int_equal(kcompactd_wake_op(t.m, 0, 0, &woken), MM_EINVAL);
	assert_int_equal(kcompactd_wake_op(t.m, 3, 2, &woken), MM_EINVAL);
	assert_unchanged(t.m, &t.r, &before);
	done(&t);
}

/* The checker sees a frame left isolated once compaction is over. */
static void test_checker_catches_a_leftover(void **state)
{
	(void)state;
	struct t t;
	layout(&t, NULL, 0);
	char why[256];
	t.m->frames[0].info |= FRAME_ISOLATED;
	assert_int_equal(check_machine(t.m, why, sizeof why), -1);
	assert_string_equal(why, "zone 0: 1 frames are isolated but nr_isolated is 0");
	t.z->compact.nr_isolated = 1;
	assert_int_equal(check_machine(t.m, why, sizeof why), -1);
	assert_string_equal(why, "zone 0: 1 frames are still isolated after compaction and migration ended");
	t.m->frames[0].info &= ~FRAME_ISOLATED;
	t.z->compact.nr_isolated = 0;
	done(&t);
}

static void test_refusals_change_nothing(void **state)
{
	(void)state;
	struct t t;
	layout(&t, NULL, 0);
	struct snapshot before = snap(t.m, &t.r);
	enum compact_result res;
	assert_int_equal(compact_zone_op(t.m, t.z, 3, &res), MM_EINVAL);
	assert_string_equal(t.m->error, "compact: order 3 is out of range: -1 (compact fully) or 0..2");
	assert_int_equal(compact_zone_op(t.m, machine_zone(t.m, 0, ZONE_NORMAL), -1, &res), MM_EINVAL);
	assert_string_equal(t.m->error, "compact: zone Normal is empty: there is nothing to compact");
	assert_unchanged(t.m, &t.r, &before);
	done(&t);
}

/* An order-1 kernel allocation in the even/odd layout: the slow path
 * compacts (not movable, order > 0) before giving up, and succeeds. */
static void test_direct_compaction_in_allocation(void **state)
{
	(void)state;
	struct t t;
	layout(&t, NULL, 0);
	uint32_t pfn;
	assert_int_equal(alloc_pages(t.m, 1, GFP_KERNEL, -1, &pfn), MM_OK);
	size_t d = find_kind(&t.r, 0, EV_DIRECT_COMPACT);
	assert_true(d < t.r.n);
	assert_true(find_kind(&t.r, 0, EV_SLOWPATH) < d);
	size_t end = find_kind(&t.r, d, EV_COMPACT_END);
	assert_event(&t.r, end, "compact_finished", "result=success migrated=2");
	assert_event(&t.r, find_kind(&t.r, d, EV_DONE), "done", "order=1");
	assert_int_equal(pfn, 0);
	assert_int_equal(t.z->compact.ev[CE_COMPACTSTALL], 1);
	assert_int_equal(t.z->compact.ev[CE_COMPACTSUCCESS], 1);
	assert_int_equal(t.z->compact.ev[CE_COMPACTFAIL], 0);
	done(&t);
}

/* Processes, files, kernel pages, migrations and compactions at random,
 * the checker after every step; every step undone and redone gives the
 * state hashed when it was first reached. */
static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(2 * MiB);
	c.max_order = 5;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	uint64_t seed = 17;
	uint32_t pids[8], n = 0, file, kpages[64], nk = 0;
	assert_int_equal(process_create(m, "init", &pids[n++]), MM_OK);
	assert_int_equal(file_create(m, "f", 64 * PG, &file), MM_OK);
	unsigned compactions = 0, migrations = 0;
	for (int i = 0; i < 700; i++) {
		uint32_t pid = pids[xorshift64(&seed) % n];
		uint64_t base = task_mm(m, pid)->mmap_base, va = base - (1 + xorshift64(&seed) % 48) * PG, out;
		struct fault_result fr;
		uint64_t v;
		unsigned np, disk;
		switch (xorshift64(&seed) % 10) {
		case 0:
			do_mmap(m, pid, 0, (1 + xorshift64(&seed) % 8) * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS, &out);
			break;
		case 1:
			do_munmap(m, pid, va, (1 + xorshift64(&seed) % 3) * PG);
			break;
		case 2:
			if (n < 8 && xorshift64(&seed) % 4 == 0 && do_fork(m, pid, &pids[n]) == MM_OK)
				n++;
			break;
		case 3:
			file_read(m, file, xorshift64(&seed) % 64 * PG, 1, &v, 1, &np, &disk);
			break;
		case 4: {
			uint32_t k;
			if (nk < 64 && alloc_pages(m, 0, GFP_KERNEL, -1, &k) == MM_OK)
				kpages[nk++] = k;
			else if (nk)
				free_pages(m, kpages[--nk], 0);
			break;
		}
		case 5: {
			uint32_t src = (uint32_t)(xorshift64(&seed) % m->nr_frames), dst;
			migrations += migrate_page(m, src, 0, PFN_NONE, &dst) == MM_OK;
			break;
		}
		case 6:
			if (xorshift64(&seed) % 6 == 0) {
				enum compact_result res;
				int order = (int)(xorshift64(&seed) % 6) - 1;
				compactions += compact_zone_op(m, machine_zone(m, 0, ZONE_DMA), order, &res) == MM_OK;
			}
			break;
		default:
			handle_access(m, pid, va + xorshift64(&seed) % PG, xorshift64(&seed) % 2 ? ACC_WRITE : ACC_READ,
				      xorshift64(&seed), &fr);
		}
	}
	uint32_t end = m->nsteps;
	print_message("%u steps, %u compactions, %u migrations\n", end, compactions, migrations);
	assert_true(compactions > 5 && migrations > 5);
	for (uint32_t s = end; s-- > 0;) {
		machine_seek(m, s);
		if (machine_hash(m) != r.hashes[s])
			fail_msg("state after undoing to step %u differs", s);
		if (s % 257 == 0)
			assert_machine_ok(m);
	}
	for (uint32_t s = 0; s <= end; s += 89) {
		machine_seek(m, s);
		if (machine_hash(m) != r.hashes[s])
			fail_msg("state after redoing to step %u differs", s);
	}
	recorder_free(&r);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indices_by_hand),
		cmocka_unit_test(test_extfrag_files),
		cmocka_unit_test(test_compact_full_even_odd),
		cmocka_unit_test(test_unmovable_page_stays),
		cmocka_unit_test(test_compact_order_stops_on_success),
		cmocka_unit_test(test_kcompactd),
		cmocka_unit_test(test_checker_catches_a_leftover),
		cmocka_unit_test(test_refusals_change_nothing),
		cmocka_unit_test(test_direct_compaction_in_allocation),
		cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests_name("compaction", tests, NULL, NULL);
}
