/* highmem (src/mm/highmem.c): pkmap slots handed out in order, the
 * wrap-around flush of unused slots, the refusal when every slot is in
 * use, kmap_local's per-CPU fixmap stack, page_address, the errors, and a
 * random walk whose undo and redo give back every step's hash. */
#include <string.h>

#include "helpers.h"
#include "mm/highmem.h"
#include "mm/pgtable.h"
#include "mm/tlb.h"
#include "mm/vmalloc.h"

/* A small 32-bit machine with a HighMem zone: 16M DMA, 16M Normal, 8M
 * HighMem (2048 highmem pages, more than the 512 pkmap slots of PAE). */
static struct machine *boot32(const char *arch, unsigned cpus)
{
	struct mm_config c = config_textbook(40 * MiB);
	c.arch = arch_by_name(arch);
	c.cpus = cpus;
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 16 * MiB;
	c.zone_size[ZONE_NORMAL] = 16 * MiB;
	c.zone_size[ZONE_HIGHMEM] = 8 * MiB;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	return m;
}

static uint32_t high_page(struct machine *m)
{
	uint32_t pfn = must_alloc(m, 0, GFP_HIGHUSER);
	assert_true(page_is_highmem(m, pfn));
	return pfn;
}

static uint64_t must_kmap(struct machine *m, uint32_t pfn)
{
	uint64_t a;
	assert_int_equal(kmap(m, pfn, &a), MM_OK);
	return a;
}

static void test_slots_in_order_and_counts(void **state)
{
	(void)state;
	struct machine *m = boot32("x86", 1);
	assert_true(m->highmem->pkmap);
	assert_int_equal(m->highmem->last_pkmap, 1024);
	uint32_t a = high_page(m), b = high_page(m);
	/* the scan starts after last_pkmap_nr (0): slot 1, then 2 */
	assert_int_equal(must_kmap(m, a), 0xff801000);
	assert_int_equal(must_kmap(m, b), 0xff802000);
	assert_int_equal(must_kmap(m, a), 0xff801000); /* already mapped: the count goes up */
	const struct hm_root *r = hm_root(m);
	assert_int_equal(r->pkmap_count[1], 3);
	assert_int_equal(r->pkmap_count[2], 2);
	assert_int_equal(hm_page_address(m, a), 0xff801000);
	/* the PTE is in init_mm: the kernel's translation finds the frame */
	struct pt_result t;
	assert_int_equal(pt_translate(m, vmalloc_root(m)->kernel_mm, 0xff801234, ACC_WRITE, false, &t), MM_OK);
	assert_int_equal(t.fault, PTF_NONE);
	assert_int_equal(t.pa, ((uint64_t)a << 12) + 0x234);
	assert_int_equal(kunmap(m, a), MM_OK);
	assert_int_equal(kunmap(m, a), MM_OK);
	/* count 1: unused, still mapped until a flush */
	assert_int_equal(r->pkmap_count[1], 1);
	assert_int_equal(hm_page_address(m, a), 0xff801000);
	/* a lowmem page is its direct-map address, no slot */
	uint32_t low = must_alloc(m, 0, GFP_KERNEL);
	assert_int_equal(must_kmap(m, low), 0xc0000000ull + ((uint64_t)low << 12));
	assert_int_equal(r->nr_kmapped, 1);
	assert_machine_ok(m);
	machine_free(m);
}

/* PAE, 512 slots: kmap 511 pages (slots 1..511), unmap those of slots 5
 * and 7; the next kmap wraps to slot 0, flush_all_zero_pkmaps frees 5 and
 * 7 (count 1) and slot 0 is taken; the one after scans 1..4, taken, to 5. */
static void test_wrap_around_flush(void **state)
{
	(void)state;
	struct machine *m = boot32("x86_pae", 1);
	assert_int_equal(m->highmem->last_pkmap, 512);
	uint32_t pages[514];
	for (int i = 1; i <= 511; i++) {
		pages[i] = high_page(m);
		assert_int_equal(must_kmap(m, pages[i]), 0xff800000ull + ((uint64_t)i << 12));
	}
	/* a translation cached in the TLB, to see the flush drop it */
	struct pt_result t;
	uint32_t kmm = vmalloc_root(m)->kernel_mm;
	assert_int_equal(pt_translate(m, kmm, 0xff805000, ACC_READ, false, &t), MM_OK);
	assert_int_equal(kunmap(m, pages[5]), MM_OK);
	assert_int_equal(kunmap(m, pages[7]), MM_OK);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	pages[512] = high_page(m);
	recorder_clear(&r);
	assert_int_equal(must_kmap(m, pages[512]), 0xff800000);
	size_t f = find_kind(&r, 0, EV_PKMAP_FLUSH);
	assert_true(f < r.n);
	assert_event(&r, f, "flush_all_zero_pkmaps", "freed=2 nr=0");
	assert_int_equal(find_kind(&r, 0, EV_CLEAR_PTE), 0);          /* slot 5 first */
	assert_int_equal(ev_get(&r.ev[0], "va"), 0xff805000);
	assert_true(find_kind(&r, 0, EV_TLB_FLUSH) < f);               /* one flush, before the event */
	assert_int_equal(ev_get(&r.ev[find_kind(&r, 0, EV_TLB_FLUSH)], "scope"), TLB_FLUSH_ALL);
	assert_int_equal(hm_page_address(m, pages[5]), 0);              /* out of the hash */
	assert_int_equal(pt_leaf_entry(m, kmm, 0xff805000), 0);
	pages[513] = high_page(m);
	assert_int_equal(must_kmap(m, pages[513]), 0xff805000);
	assert_int_equal(hm_root(m)->flushes, 1);
	recorder_free(&r);
	assert_machine_ok(m);
	machine_free(m);
}

/* Every slot in use: map_new_virtual scans all 512 after the flush and
 * finds none; where the kernel sleeps the model refuses with a reason. */
static void test_full_refuses(void **state)
{
	(void)state;
	struct machine *m = boot32("x86_pae", 1);
	for (int i = 0; i < 512; i++)
		must_kmap(m, high_page(m));
	assert_int_equal(hm_root(m)->nr_kmapped, 512);
	uint32_t extra = high_page(m);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	uint64_t a;
	assert_int_equal(kmap(m, extra, &a), MM_NOMEM);
	assert_non_null(strstr(m->reason, "would sleep"));
	assert_event(&r, r.n - 1, "kmap_wait", "slots=512");
	assert_int_equal(hm_root(m)->waits, 1);
	assert_int_equal(hm_page_address(m, extra), 0);
	recorder_free(&r);
	assert_machine_ok(m);
	machine_free(m);
}

/* Fixmap slots: cpu c's slot idx is fixmap index 69 + idx + 16c, at
 * 0xfffff000 - index * 4K, so nested mappings go down in address. */
static void test_kmap_local_nesting(void **state)
{
	(void)state;
	struct machine *m = boot32("x86", 2);
	uint32_t a = high_page(m), b = high_page(m);
	uint64_t x, y, z;
	assert_int_equal(kmap_local_page(m, a, 0, false, &x), MM_OK);
	assert_int_equal(kmap_local_page(m, b, 0, true, &y), MM_OK);
	assert_int_equal(kmap_local_page(m, a, 1, false, &z), MM_OK);
	assert_int_equal(x, 0xfffba000);
	assert_int_equal(y, 0xfffb9000);
	assert_int_equal(z, 0xfffaa000);
	assert_int_equal(hm_root(m)->local_depth[0], 2);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	struct snapshot s = snap(m, &r);
	/* out of stack order: refused, as the kernel warns */
	assert_int_equal(kunmap_local(m, x, 0, false), MM_EINVAL);
	assert_non_null(strstr(m->error, "most recent"));
	assert_unchanged(m, &r, &s);
	assert_int_equal(kunmap_local(m, y, 0, true), MM_OK);
	assert_event(&r, r.n - 1, "kunmap_local", "cpu=0 idx=1 atomic=kunmap_atomic");
	assert_int_equal(kunmap_local(m, x + 0x123, 0, false), MM_OK); /* any address in the page */
	assert_int_equal(pt_leaf_entry(m, vmalloc_root(m)->kernel_mm, x), 0);
	assert_int_equal(hm_root(m)->local_depth[0], 0);
	assert_int_equal(hm_root(m)->local_depth[1], 1);
	/* a lowmem page takes no slot */
	uint32_t low = must_alloc(m, 0, GFP_KERNEL);
	assert_int_equal(kmap_local_page(m, low, 0, false, &x), MM_OK);
	assert_int_equal(x, 0xc0000000ull + ((uint64_t)low << 12));
	assert_int_equal(hm_root(m)->local_depth[0], 0);
	assert_int_equal(kunmap_local(m, x, 0, false), MM_OK);
	/* KM_MAX_IDX deep, then refused */
	for (int i = 0; i < KM_MAX_IDX; i++)
		assert_int_equal(kmap_local_page(m, a, 0, false, &x), MM_OK);
	s = snap(m, &r);
	assert_int_equal(kmap_local_page(m, a, 0, false, &x), MM_EINVAL);
	assert_unchanged(m, &r, &s);
	recorder_free(&r);
	assert_machine_ok(m);
	machine_free(m);
}

static void test_errors_change_nothing(void **state)
{
	(void)state;
	struct machine *m = boot32("x86", 1);
	uint32_t a = high_page(m);
	uint32_t freed = high_page(m);
	must_free(m, freed, 0);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	struct snapshot s = snap(m, &r);
	uint64_t x;
	assert_int_equal(kmap(m, freed, &x), MM_EINVAL);
	assert_non_null(strstr(m->error, "is free"));
	assert_int_equal(kmap(m, m->nr_frames, &x), MM_EINVAL);
	assert_int_equal(kunmap(m, a), MM_EINVAL);
	assert_string_equal(m->error, "kunmap: pfn 0x2000 is not kmapped");
	assert_int_equal(kmap_local_page(m, a, 1, false, &x), MM_EINVAL);
	assert_non_null(strstr(m->error, "cpu 1 does not exist"));
	assert_int_equal(kunmap_local(m, 0xfffba000, 0, false), MM_EINVAL);
	assert_int_equal(kunmap_local(m, 0x1000, 0, false), MM_EINVAL);
	assert_unchanged(m, &r, &s);
	recorder_free(&r);
	machine_free(m);
}

/* On x86_64 every page is lowmem: kmap is page_address, no pkmap. */
static void test_64bit_direct_map(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
	uint32_t p = must_alloc(m, 0, GFP_KERNEL);
	assert_false(m->highmem->pkmap);
	assert_int_equal(must_kmap(m, p), 0xffff888000000000ull + ((uint64_t)p << 12));
	assert_int_equal(kunmap(m, p), MM_OK);
	assert_int_equal(kmap_flush_unused(m), MM_EINVAL);
	machine_free(m);
}

/* Random kmaps, kunmaps, kmap_locals and kunmap_locals with the checker
 * after every step; then every step's hash comes back going backwards
 * and forwards again. */
static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct machine *m = boot32("x86_pae", 2);
	uint32_t pages[8];
	for (int i = 0; i < 8; i++)
		pages[i] = high_page(m);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	uint32_t start = m->nsteps, kmapped[8] = {0};
	uint64_t seed = 0x5eed, x;
	for (int i = 0; i < 400; i++) {
		uint64_t v = xorshift64(&seed);
		unsigned p = v % 8, cpu = (v >> 8) % 2;
		switch ((v >> 16) % 5) {
		case 0:
		case 1:
			if (kmap(m, pages[p], &x) == MM_OK)
				kmapped[p]++;
			break;
		case 2:
			if (kmapped[p] && kunmap(m, pages[p]) == MM_OK)
				kmapped[p]--;
			break;
		case 3:
			kmap_local_page(m, pages[p], cpu, false, &x);
			break;
		default: {
			uint32_t d = hm_root(m)->local_depth[cpu];
			if (d)
				assert_int_equal(kunmap_local(m, kmap_local_addr(cpu, d - 1), cpu, false), MM_OK);
		}
		}
		if (i == 200)
			assert_int_equal(kmap_flush_unused(m), MM_OK);
	}
	uint32_t end = m->nsteps;
	assert_true(end - start > 400);
	assert_undo_redo(m, &r, start, end);
	recorder_free(&r);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots_in_order_and_counts),
		cmocka_unit_test(test_wrap_around_flush),
		cmocka_unit_test(test_full_refuses),
		cmocka_unit_test(test_kmap_local_nesting),
		cmocka_unit_test(test_errors_change_nothing),
		cmocka_unit_test(test_64bit_direct_map),
		cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
