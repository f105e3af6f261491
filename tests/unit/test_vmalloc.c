/* vmalloc (src/mm/vmalloc.c): lowest-gap placement with guard pages, pages
 * one at a time and scattered, vfree, the errors, a failure part way, and
 * /proc/vmallocinfo and meminfo. */
#include <string.h>

#include "helpers.h"
#include "mm/proc.h"
#include "mm/strbuf.h"
#include "mm/pgtable.h"
#include "mm/vmalloc.h"

#define START 0xffffc90000000000ull

static uint32_t must_vmalloc(struct machine *m, uint64_t size)
{
	uint32_t a;
	assert_int_equal(vmalloc(m, size, &a), MM_OK);
	return a;
}

static void test_placement(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	assert_int_equal(m->vmalloc->start, START);
	assert_int_equal(m->vmalloc->end, START + (32ull << 40));
	uint32_t a = must_vmalloc(m, 4096);       /* [0, 4K) + guard */
	uint32_t b = must_vmalloc(m, 5000);       /* 2 pages from 8K */
	assert_int_equal(vmap_start(vmap_at(m, a)), START);
	assert_int_equal(vmap_start(vmap_at(m, b)), START + 0x2000);
	assert_int_equal(vmap_at(m, b)->npages, 2);
	assert_int_equal(vmap_end(m, vmap_at(m, b)), START + 0x5000);
	assert_int_equal(vfree(m, START), MM_OK);
	/* the 8K hole at the start fits one page and its guard, not two */
	uint32_t c = must_vmalloc(m, 8192);
	assert_int_equal(vmap_start(vmap_at(m, c)), START + 0x5000);
	uint32_t d = must_vmalloc(m, 100);
	assert_int_equal(vmap_start(vmap_at(m, d)), START);
	recorder_clear(&r);
	uint32_t e = must_vmalloc(m, 3 * 4096);
	assert_event(&r, 0, "vmalloc", "size=12288 pages=3");
	assert_int_equal(ev_get(&r.ev[0], "addr"), (int64_t)(START + 0x8000));
	size_t p = find_kind(&r, 0, EV_VMALLOC_PAGE);
	assert_event(&r, p, "vmalloc_page", "index=0 pages=3");
	assert_int_equal(vmap_at(m, e)->nr_pages, 3);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(frame_state(&m->frames[vmap_pages(m, vmap_at(m, e))[i]]), FS_VMALLOC);
	assert_int_equal(vmalloc_root(m)->nr_pages, 2 + 2 + 1 + 3); /* b, c, d, e */
	recorder_free(&r);
	machine_free(m);
}

/* On a machine whose free memory is every other page, the pages of an area
 * are scattered; kmalloc of the same size (an order-2 block) fails. */
static void test_scattered(void **state)
{
	(void)state;
	struct mm_config cfg = config_mem(1 * MiB);
	cfg.zones_given = true;
	cfg.zone_size[ZONE_NORMAL] = 1 * MiB;
	cfg.min_free_kbytes = 0;
	struct machine *m = boot(&cfg);
	uint32_t pfns[256];
	unsigned n = 0;
	uint32_t pfn;
	while (alloc_pages(m, 0, GFP_KERNEL, -1, &pfn) == MM_OK)
		pfns[n++] = pfn;
	for (unsigned i = 0; i < n; i += 2)
		must_free(m, pfns[i], 0);
	uint32_t a = must_vmalloc(m, 16384);
	const uint32_t *pages = vmap_pages(m, vmap_at(m, a));
	for (int i = 1; i < 4; i++)
		assert_true(pages[i] != pages[i - 1] + 1);
	assert_machine_ok(m);
	machine_free(m);
}

static void test_errors(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	machine_journal(m, true);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	must_vmalloc(m, 8192);
	struct snapshot s = snap(m, &r);
	assert_int_equal(vfree(m, START + 0x1000), MM_EINVAL);
	assert_non_null(strstr(m->error, "inside the vmalloc area at 0xffffc90000000000"));
	assert_int_equal(vfree(m, 0xffff888000000000ull), MM_EINVAL);
	assert_non_null(strstr(m->error, "not a vmalloc address"));
	assert_int_equal(vfree(m, START + 0x100000), MM_EINVAL);
	assert_non_null(strstr(m->error, "no area is there"));
	uint32_t a;
	assert_int_equal(vmalloc(m, 0, &a), MM_EINVAL);
	assert_unchanged(m, &r, &s);
	assert_int_equal(vfree(m, START), MM_OK);
	s = snap(m, &r);
	assert_int_equal(vfree(m, START), MM_EINVAL);
	assert_non_null(strstr(m->error, "double free: the vmalloc area 0xffffc90000000000 was freed at step"));
	assert_unchanged(m, &r, &s);
	assert_int_equal(vmalloc_root(m)->nr_pages, 0);
	recorder_free(&r);
	machine_free(m);
}

/* The buddy runs dry part way: the pages got so far go back. */
static void test_fail_part_way(void **state)
{
	(void)state;
	struct mm_config cfg = config_mem(1 * MiB);
	cfg.zones_given = true;
	cfg.zone_size[ZONE_NORMAL] = 1 * MiB;
	struct machine *m = boot(&cfg);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t free_before = machine_zone(m, 0, ZONE_NORMAL)->free_pages;
	uint32_t a;
	assert_int_equal(vmalloc(m, 1 * MiB, &a), MM_NOMEM);
	assert_non_null(strstr(m->reason, "vmalloc(1048576): page"));
	size_t f = find_kind(&r, 0, EV_VMALLOC_FAIL);
	assert_true(f < r.n);
	assert_true(ev_get(&r.ev[f], "got") > 0);
	/* every page came back but the kernel's top table (init_mm's PGD) */
	assert_int_equal(machine_zone(m, 0, ZONE_NORMAL)->free_pages, free_before - 1);
	assert_int_equal(vmalloc_root(m)->nr_pages, 0);
	assert_int_equal(vmalloc_root(m)->busy, 0);
	recorder_free(&r);
	machine_free(m);
}

static void test_proc(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	must_vmalloc(m, 20480);
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "vmallocinfo", &b), 0);
	assert_string_equal(b.s, "0xffffc90000000000-0xffffc90000006000   24576 pages=5 vmalloc N0=5\n");
	strbuf_free(&b);
	assert_int_equal(mm_proc(m, "meminfo", &b), 0);
	assert_non_null(strstr(b.s, "VmallocTotal:   34359738368 kB\nVmallocUsed:          20 kB\n"));
	strbuf_free(&b);
	machine_free(m);

	/* 32-bit x86: 8-digit addresses above the direct map */
	struct mm_config c = config_mem(64 * MiB);
	c.arch = arch_by_name("x86");
	m = boot(&c);
	must_vmalloc(m, 4096);
	assert_int_equal(mm_proc(m, "vmallocinfo", &b), 0);
	assert_string_equal(b.s, "0xc4800000-0xc4802000    8192 pages=1 vmalloc N0=1\n");
	strbuf_free(&b);
	machine_free(m);
}

/* Undo and redo of vmalloc and vfree restore the state exactly. */
static void test_journal(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(16 * MiB)});
	machine_journal(m, true);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	must_vmalloc(m, 40000);
	must_vmalloc(m, 4096);
	assert_int_equal(vfree(m, START), MM_OK);
	must_vmalloc(m, 4096);
	for (uint32_t s = m->nsteps; s-- > 0;) {
		machine_seek(m, s);
		assert_machine_ok(m);
		assert_true(machine_hash(m) == r.hashes[s]);
	}
	recorder_free(&r);
	machine_free(m);
}

/* Each page is mapped into the kernel's page tables as it arrives (rw,
 * no-execute, kernel only) and unmapped by vfree. */
static void test_mapped_into_init_mm(void **state)
{
	(void)state;
	struct mm_config cfg = config_mem(16 * MiB);
	struct machine *m = boot(&cfg);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t a;
	assert_int_equal(vmalloc(m, 3 * 4096, &a), MM_OK);
	uint32_t kmm = vmalloc_root(m)->kernel_mm;
	assert_true(kmm != 0);
	const struct vmap_area *area = vmap_at(m, a);
	for (uint32_t i = 0; i < 3; i++) {
		struct pt_result res;
		uint64_t va = vmap_start(area) + i * 4096u + 0x123;
		assert_int_equal(pt_translate(m, kmm, va, ACC_WRITE, false, &res), MM_OK);
		assert_int_equal(res.fault, PTF_NONE);
		assert_int_equal(res.pfn, vmap_pages(m, area)[i]);
		assert_int_equal(res.pa & 0xfff, 0x123);
		assert_int_equal(pt_translate(m, kmm, va, ACC_EXEC, false, &res), MM_OK);
		assert_int_equal(res.fault, PTF_EXEC_NX);
		assert_int_equal(pt_translate(m, kmm, va, ACC_READ, true, &res), MM_OK);
		assert_int_equal(res.fault, PTF_USER_SUPERVISOR);
	}
	uint64_t start = vmap_start(area);
	assert_int_equal(vfree(m, start), MM_OK);
	struct pt_result res;
	assert_int_equal(pt_translate(m, kmm, start, ACC_READ, false, &res), MM_OK);
	assert_int_equal(res.fault, PTF_NOT_PRESENT);
	assert_int_equal(pt_mm(m, kmm)->nr_tables, 1); /* the emptied tables went back */
	recorder_free(&r);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_placement),     cmocka_unit_test(test_scattered), cmocka_unit_test(test_errors),
	cmocka_unit_test(test_fail_part_way), cmocka_unit_test(test_proc),      cmocka_unit_test(test_journal),
	cmocka_unit_test(test_mapped_into_init_mm),
};

int main(void)
{
	return cmocka_run_group_tests_name("vmalloc", tests, NULL, NULL);
}
