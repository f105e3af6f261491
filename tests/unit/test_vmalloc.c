/* vmalloc (src/mm/vmalloc.c, vmalloc_tree.c): lowest-fit placement with
 * guard pages, pages in bulk and scattered then mapped PAGE_KERNEL, vfree
 * with its lazy purge, vpages, the errors, a failure part way, placement
 * against a reference, and /proc/vmallocinfo and meminfo. */
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
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
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
	/* the freed range waits for the lazy purge: it is not free yet */
	uint32_t c = must_vmalloc(m, 8192);
	assert_int_equal(vmap_start(vmap_at(m, c)), START + 0x5000);
	uint32_t d = must_vmalloc(m, 100);
	assert_int_equal(vmap_start(vmap_at(m, d)), START + 0x8000);
	vm_unmap_aliases(m);
	uint32_t d2 = must_vmalloc(m, 100);
	assert_int_equal(vmap_start(vmap_at(m, d2)), START); /* purged: the lowest fit again */
	recorder_clear(&r);
	uint32_t e = must_vmalloc(m, 3 * 4096);
	assert_event(&r, 0, "vmalloc", "size=12288 pages=3 nested=0");
	assert_int_equal(ev_get(&r.ev[0], "addr"), (int64_t)(START + 0xa000));
	size_t p = find_kind(&r, 0, EV_VMALLOC_PAGE);
	assert_event(&r, p, "vmalloc_page", "index=0 pages=3");
	assert_int_equal(vmap_at(m, e)->nr_pages, 3);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(frame_state(&m->frames[vmap_pages(m, vmap_at(m, e))[i]]), FS_VMALLOC);
	assert_int_equal(vmalloc_root(m)->nr_pages, 2 + 2 + 1 + 1 + 3); /* b, c, d, d2, e */
	recorder_free(&r);
	machine_free(m);
}

/* On a machine whose free memory is every other page, the pages of an area
 * are scattered; kmalloc of the same size (an order-2 block) fails. */
static void test_scattered(void **state)
{
	(void)state;
	struct mm_config cfg = config_textbook(1 * MiB);
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
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
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
	struct mm_config cfg = config_textbook(1 * MiB);
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
	/* every page came back; nothing was mapped (pages come first), so no
	 * table was made either */
	assert_int_equal(machine_zone(m, 0, ZONE_NORMAL)->free_pages, free_before);
	assert_int_equal(find_kind(&r, 0, EV_SET_PTE), r.n);
	assert_int_equal(vmalloc_root(m)->lazy.nr, 1); /* its range waits for the purge */
	assert_int_equal(vmalloc_root(m)->nr_pages, 0);
	assert_int_equal(vmalloc_root(m)->busy.nr, 0);
	recorder_free(&r);
	machine_free(m);
}

/* Every page arrives but a page table cannot be had (vmap_pages_range
 * fails): the pages mapped so far are unmapped, every page goes back, the
 * tables made stay, and the range waits for the purge.  The second area
 * straddles a 2M boundary, so its second page needs a new PTE table. */
static void test_fail_mapping(void **state)
{
	(void)state;
	struct mm_config cfg = config_textbook(4 * MiB);
	cfg.min_free_kbytes = 0;
	struct machine *m = boot(&cfg);
	must_vmalloc(m, 510 * 4096); /* 510 pages and a guard: up to 511 */
	uint32_t tables = pt_mm(m, vmalloc_root(m)->kernel_mm)->nr_tables;
	uint32_t pfn;
	while (machine_zone(m, 0, ZONE_DMA)->free_pages > 2)
		assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, -1, &pfn), MM_OK);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t a;
	assert_int_equal(vmalloc(m, 2 * 4096, &a), MM_NOMEM);
	assert_non_null(strstr(m->reason, "vmalloc(8192): "));
	assert_kinds(&r, find_kind(&r, 0, EV_SET_PTE), END,
		     "set_pte alloc watermark wakeup_kswapd slowpath watermark try_to_free_pages watermark "
		     "should_reclaim_retry fail vmalloc_fail clear_pte free put free merge put balance_pgdat kswapd_sleep");
	assert_event(&r, find_kind(&r, 0, EV_VMALLOC_FAIL), "vmalloc_fail", "got=2 pages=2");
	assert_int_equal(machine_zone(m, 0, ZONE_DMA)->free_pages, 2);
	assert_int_equal(pt_mm(m, vmalloc_root(m)->kernel_mm)->nr_tables, tables);
	assert_int_equal(vmalloc_root(m)->busy.nr, 1);
	assert_int_equal(vmalloc_root(m)->lazy.nr, 1);
	assert_int_equal(vmalloc_root(m)->nr_pages, 510);
	recorder_free(&r);
	machine_free(m);
}

static void test_proc(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
	must_vmalloc(m, 20480);
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "vmallocinfo", &b), 0);
	assert_string_equal(b.s, "0xffffc90000000000-0xffffc90000006000   24576 pages=5 vmalloc N0=5\n");
	strbuf_free(&b);
	assert_int_equal(mm_proc(m, "meminfo", &b), 0);
	assert_non_null(strstr(b.s, "VmallocTotal:   34359738367 kB\nVmallocUsed:          20 kB\n"));
	strbuf_free(&b);
	machine_free(m);

	/* 32-bit x86: 8-digit addresses above the direct map */
	struct mm_config c = config_textbook(64 * MiB);
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
	struct machine *m = boot((struct mm_config[]){config_textbook(16 * MiB)});
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

/* The pages are mapped into the kernel's page tables (rw, no-execute,
 * kernel only); vfree clears the PTEs at once but flushes the TLB only at
 * the purge, so a stale entry still translates until then. */
static void test_mapped_into_init_mm(void **state)
{
	(void)state;
	struct mm_config cfg = config_textbook(16 * MiB);
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
	uint32_t first = vmap_pages(m, area)[0];
	uint32_t tables = pt_mm(m, kmm)->nr_tables;
	recorder_clear(&r);
	assert_int_equal(vfree(m, start), MM_OK);
	assert_int_equal(find_kind(&r, 0, EV_TLB_FLUSH), r.n); /* no flush yet */
	assert_int_equal(pt_leaf_entry(m, kmm, start), 0);
	struct pt_result res;
	assert_int_equal(pt_translate(m, kmm, start, ACC_READ, false, &res), MM_OK);
	assert_true(res.tlb_hit); /* stale, as in the kernel until the purge */
	assert_int_equal(res.pfn, first);
	vm_unmap_aliases(m);
	assert_int_equal(pt_translate(m, kmm, start, ACC_READ, false, &res), MM_OK);
	assert_false(res.tlb_hit);
	assert_int_equal(res.fault, PTF_NOT_PRESENT);
	assert_int_equal(pt_mm(m, kmm)->nr_tables, tables); /* vunmap frees no table */
	recorder_free(&r);
	machine_free(m);
}

/* PAGE_KERNEL: x86 present rw accessed dirty global NX (0x...163); arm64
 * valid page AF DBM PXN UXN, writable (no AP[2]), global (no nG), EL1 only. */
static void test_page_kernel_bits(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(16 * MiB)});
	uint32_t a = must_vmalloc(m, 4096);
	const struct vmap_area *v = vmap_at(m, a);
	uint32_t pfn = vmap_pages(m, v)[0];
	uint64_t e = pt_leaf_entry(m, vmalloc_root(m)->kernel_mm, vmap_start(v));
	assert_int_equal(e, 0x8000000000000163ull | (uint64_t)pfn << 12);
	assert_true(e & X86_GLOBAL);
	assert_machine_ok(m);
	machine_free(m);

	/* arm64's tables here hold TTBR0 (user) addresses only, so vmalloc
	 * maps nothing there; its PAGE_KERNEL entry is still the kernel's */
	struct mm_config c = config_textbook(16 * MiB);
	c.arch = arch_by_name("arm64");
	m = boot(&c);
	assert_false(vmalloc_maps_pages(m));
	e = vmalloc_pte(m, 0x123);
	uint64_t want = 0x123ull << 12 | ARM_VALID | ARM_TABLE | ARM_SH_INNER | ARM_AF | ARM_DBM | ARM_PXN | ARM_UXN;
	assert_int_equal(e, want);
	assert_false(e & (ARM_NG | ARM_RDONLY | ARM_USER));
	machine_free(m);
}

/* Kernel mappings are global: cached under ASID 0, they hit from any mm
 * (every Linux mm shares the kernel half); an mm-wide flush keeps them. */
static void test_global_tlb_entries(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(16 * MiB)});
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t a = must_vmalloc(m, 4096), user;
	assert_int_equal(pt_mm_alloc(m, &user), MM_OK);
	uint32_t kmm = vmalloc_root(m)->kernel_mm;
	uint64_t va = vmap_start(vmap_at(m, a));
	struct pt_result res;
	recorder_clear(&r);
	assert_int_equal(pt_translate(m, kmm, va, ACC_READ, false, &res), MM_OK);
	size_t fill = find_kind(&r, 0, EV_TLB_FILL);
	assert_true(fill < r.n);
	assert_int_equal(ev_get(&r.ev[fill], "mm"), TLB_GLOBAL_ASID);
	assert_int_equal(pt_translate(m, user, va, ACC_READ, false, &res), MM_OK);
	assert_true(res.tlb_hit);
	assert_int_equal(res.pfn, vmap_pages(m, vmap_at(m, a))[0]);
	/* the TLB checker: a global entry must sit under ASID 0 */
	struct tlb_entry *te = &pt_tlb(m)[ev_get(&r.ev[fill], "set") * m->pt->tlb_ways + ev_get(&r.ev[fill], "way")];
	te->asid = user;
	char why[256] = "";
	assert_int_equal(check_machine(m, why, sizeof why), -1);
	assert_non_null(strstr(why, "a global entry under ASID"));
	te->asid = TLB_GLOBAL_ASID;
	assert_machine_ok(m);
	assert_int_equal(pt_tlb_flush(m, user, 0, true), 0); /* flush_tlb_mm: not global entries */
	assert_int_equal(pt_tlb_flush(m, user, va, false), 1); /* INVLPG: yes */
	recorder_free(&r);
	machine_free(m);
}

/* vm_area_alloc_pages takes every page before vmap_pages_range maps any. */
static void test_bulk_then_map(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(16 * MiB)});
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	must_vmalloc(m, 4 * 4096);
	size_t last_page = 0, pages = 0;
	for (size_t i = 0; i < r.n; i++)
		if (r.ev[i].kind == EV_VMALLOC_PAGE) {
			last_page = i;
			pages++;
		}
	assert_int_equal(pages, 4);
	size_t first_map = find_kind(&r, 0, EV_SET_PTE);
	assert_true(first_map < r.n);
	assert_true(last_page < first_map);
	assert_true(find_kind(&r, 0, EV_PGTABLE_ALLOC) > last_page);
	size_t maps = 0;
	for (size_t i = first_map; i < r.n; i++)
		maps += r.ev[i].kind == EV_SET_PTE;
	assert_int_equal(maps, 4);
	recorder_free(&r);
	machine_free(m);
}

/* free_vmap_area_noflush: areas wait until they pass lazy_max_pages (32
 * MiB of pages, 8192 at 4K on one CPU); then one purge, one flush (of
 * everything: far more than 33 pages), and the whole range is one free
 * area again. */
static void test_lazy_purge(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
	assert_int_equal(m->vmalloc->lazy_max, 8192);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	for (unsigned i = 0; i < 4096; i++) {
		uint32_t a = must_vmalloc(m, 4096);
		assert_int_equal(vfree(m, vmap_start(vmap_at(m, a))), MM_OK);
	}
	/* 4096 areas of 2 pages: 8192 lazy pages, not more than the limit */
	assert_int_equal(vmalloc_root(m)->lazy_nr, 8192);
	assert_int_equal(vmalloc_root(m)->lazy.nr, 4096);
	assert_int_equal(find_kind(&r, 0, EV_VMAP_PURGE), r.n);
	assert_int_equal(find_kind(&r, 0, EV_TLB_FLUSH), r.n);
	assert_machine_ok(m);
	recorder_clear(&r);
	uint32_t a = must_vmalloc(m, 4096);
	assert_int_equal(vmap_start(vmap_at(m, a)), START + 4096ull * 0x2000);
	assert_int_equal(vfree(m, vmap_start(vmap_at(m, a))), MM_OK);
	size_t p = find_kind(&r, 0, EV_VMAP_PURGE);
	assert_true(p < r.n);
	assert_int_equal(find_kind(&r, p + 1, EV_VMAP_PURGE), r.n);
	assert_int_equal(ev_get(&r.ev[p], "areas"), 4097);
	assert_int_equal(ev_get(&r.ev[p], "pages"), 8194);
	assert_int_equal(ev_get(&r.ev[p], "start"), (int64_t)START);
	size_t f = find_kind(&r, 0, EV_TLB_FLUSH);
	assert_true(f < p);
	assert_event(&r, f, "tlb_flush", "mm=0 scope=all");
	assert_int_equal(find_kind(&r, f + 1, EV_TLB_FLUSH), r.n);
	assert_int_equal(vmalloc_root(m)->lazy_nr, 0);
	assert_int_equal(vmalloc_root(m)->free.nr, 1);
	assert_machine_ok(m);
	a = must_vmalloc(m, 4096);
	assert_int_equal(vmap_start(vmap_at(m, a)), START);
	recorder_free(&r);
	machine_free(m);
}

/* alloc_vmap_area finds no room: it purges the lazily freed areas and
 * tries again.  32-bit x86 with 1G: the vmalloc range is only about 110M
 * (from 8M above the 896M direct map to below the fixmap). */
static void test_purge_when_full(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(1 * GiB);
	c.arch = arch_by_name("x86");
	struct machine *m = boot(&c);
	uint64_t room = m->vmalloc->end - m->vmalloc->start;
	assert_true(room > 100 * MiB && room < 120 * MiB);
	must_vmalloc(m, 80 * MiB);
	uint32_t a = must_vmalloc(m, 20 * MiB);
	uint64_t a_start = vmap_start(vmap_at(m, a));
	assert_int_equal(vfree(m, a_start), MM_OK);
	/* a and its vmalloc'ed page array (5120 pointers of 4 bytes): 5127
	 * pages, below lazy_max_pages */
	assert_int_equal(vmalloc_root(m)->lazy.nr, 2);
	assert_int_equal(vmalloc_root(m)->lazy_nr, 5121 + 6);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	uint32_t b = must_vmalloc(m, 15 * MiB); /* more than the free space above a */
	assert_int_equal(vmap_start(vmap_at(m, b)), a_start);
	size_t p = find_kind(&r, 0, EV_VMAP_PURGE);
	assert_true(p < find_kind(&r, 0, EV_VMALLOC));
	assert_int_equal(ev_get(&r.ev[p], "areas"), 2);
	assert_machine_ok(m);
	recorder_free(&r);
	machine_free(m);
}

/* A page array larger than a page is vmalloc'ed itself (vpages): 513
 * pointers of 8 bytes need two pages, in an area after the first one; vfree
 * frees both. */
static void test_vpages(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(64 * MiB)});
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	must_vmalloc(m, 512 * 4096); /* 4096 bytes of pointers: kmalloc'ed */
	uint32_t a = must_vmalloc(m, 513 * 4096);
	const struct vmap_area *v = vmap_at(m, a);
	assert_true(v->pages_area != 0);
	assert_int_equal(vmap_at(m, v->pages_area)->npages, 2);
	assert_int_equal(vmalloc_root(m)->busy.nr, 3);
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "vmallocinfo", &b), 0);
	assert_string_equal(b.s, "0xffffc90000000000-0xffffc90000201000 2101248 pages=512 vmalloc N0=512\n"
				 "0xffffc90000201000-0xffffc90000403000 2105344 pages=513 vmalloc vpages N0=513\n"
				 "0xffffc90000403000-0xffffc90000406000   12288 pages=2 vmalloc N0=2\n");
	strbuf_free(&b);
	size_t first = find_kind(&r, 0, EV_VMALLOC);
	size_t nested = find_kind(&r, find_kind(&r, first + 1, EV_VMALLOC) + 1, EV_VMALLOC);
	assert_event(&r, nested, "vmalloc", "size=4104 pages=2 nested=1");
	assert_int_equal(vfree(m, START + 0x201000), MM_OK);
	assert_int_equal(vmalloc_root(m)->busy.nr, 1);
	assert_int_equal(mm_proc(m, "vmallocinfo", &b), 0);
	assert_string_equal(b.s, "0xffffc90000000000-0xffffc90000201000 2101248 pages=512 vmalloc N0=512\n"
				 "0xffffc90000201000-0xffffc90000403000 2105344 unpurged vm_area\n"
				 "0xffffc90000403000-0xffffc90000406000   12288 unpurged vm_area\n");
	strbuf_free(&b);
	recorder_free(&r);
	machine_free(m);
}

/* Random vmalloc/vfree/purge against a reference of the placement rule
 * (the lowest free gap that fits, with lazily freed ranges still taken),
 * checker on after every step, then every step undone and redone. */
#define REF_MAX 64
struct ref_area {
	uint64_t start, end;
	bool busy;
};

static uint64_t ref_lowest(const struct ref_area *ra, unsigned n, uint64_t bytes)
{
	uint64_t at = START;
	for (;;) {
		bool moved = false;
		for (unsigned i = 0; i < n; i++)
			if (ra[i].start < at + bytes && at < ra[i].end) {
				at = ra[i].end;
				moved = true;
			}
		if (!moved)
			return at;
	}
}

static void test_random_against_reference(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_textbook(16 * MiB)});
	machine_journal(m, true);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	struct ref_area ra[REF_MAX * 4];
	unsigned n = 0;
	uint64_t rng = 7;
	for (unsigned step = 0; step < 300; step++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		unsigned roll = (unsigned)(rng >> 33) % 10, busy = 0;
		for (unsigned i = 0; i < n; i++)
			busy += ra[i].busy;
		if (roll == 0) {
			vm_unmap_aliases(m);
			unsigned k = 0;
			for (unsigned i = 0; i < n; i++)
				if (ra[i].busy)
					ra[k++] = ra[i];
			n = k;
		} else if (roll < 5 && busy > 0) {
			unsigned pick = (unsigned)(rng >> 40) % busy, i = 0;
			for (;; i++)
				if (ra[i].busy && pick-- == 0)
					break;
			assert_int_equal(vfree(m, ra[i].start), MM_OK);
			ra[i].busy = false;
		} else if (n < REF_MAX * 4 - 1 && busy < REF_MAX) {
			uint64_t pages = 1 + (rng >> 45) % 5;
			uint64_t want = ref_lowest(ra, n, (pages + 1) * 4096);
			uint32_t a = must_vmalloc(m, pages * 4096 - 100);
			assert_int_equal(vmap_start(vmap_at(m, a)), want);
			ra[n++] = (struct ref_area){want, want + (pages + 1) * 4096, true};
		}
		/* every journal write belongs to a step: none after the last */
		assert_true(m->j.nsteps > 0);
		assert_int_equal(m->j.nrb, journal_rec_begin(&m->j, m->j.nsteps));
	}
	assert_machine_ok(m);
	for (uint32_t s = m->nsteps; s-- > 0;) {
		machine_seek(m, s);
		assert_true(machine_hash(m) == r.hashes[s]);
	}
	assert_machine_ok(m);
	machine_seek(m, (uint32_t)r.nhash - 1);
	assert_true(machine_hash(m) == r.hashes[r.nhash - 1]);
	assert_machine_ok(m);
	recorder_free(&r);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_placement),     cmocka_unit_test(test_scattered), cmocka_unit_test(test_errors),
	cmocka_unit_test(test_fail_part_way), cmocka_unit_test(test_fail_mapping), cmocka_unit_test(test_proc),      cmocka_unit_test(test_journal),
	cmocka_unit_test(test_mapped_into_init_mm), cmocka_unit_test(test_page_kernel_bits),
	cmocka_unit_test(test_bulk_then_map),       cmocka_unit_test(test_lazy_purge),
	cmocka_unit_test(test_vpages),              cmocka_unit_test(test_purge_when_full),              cmocka_unit_test(test_global_tlb_entries),              cmocka_unit_test(test_random_against_reference),
};

int main(void)
{
	return cmocka_run_group_tests_name("vmalloc", tests, NULL, NULL);
}
