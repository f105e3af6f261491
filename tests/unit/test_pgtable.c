/*
 * Page tables, translation and the TLB (pgtable.c, walk.c, tlb.c,
 * pgformat.c, ptdump.c): index extraction per format against hand-computed
 * values, tables allocated and freed, every fault kind, accessed/dirty,
 * huge pages, the TLB, bad input leaving the state unchanged, and undo.
 * The checker runs after every step of every test.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "mm/pgtable.h"
#include "mm/strbuf.h"

/* A machine with the journal on and a recorder that keeps every event and
 * checks after every step (and hashes, when asked). */
static struct machine *boot_recorded(const struct mm_config *c, struct recorder *r, bool hash)
{
	struct machine *m = boot(c);
	machine_journal(m, true);
	memset(r, 0, sizeof *r);
	r->keep = r->check = true;
	r->hash = hash;
	recorder_attach(m, r);
	return m;
}

static struct machine *boot_arch(const char *arch, uint64_t memory, struct recorder *r)
{
	struct mm_config c = config_textbook(memory);
	c.arch = arch_by_name(arch);
	assert_non_null(c.arch);
	return boot_recorded(&c, r, true);
}

static void done(struct machine *m, struct recorder *r)
{
	assert_machine_ok(m);
	recorder_free(r);
	machine_free(m);
}

static uint32_t new_mm(struct machine *m)
{
	uint32_t id = 0;
	assert_int_equal(pt_mm_alloc(m, &id), MM_OK);
	return id;
}

static void must_map(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned order, const char *prot)
{
	char why[128];
	int p = pt_parse_prot(prot, why, sizeof why);
	assert_true(p > 0);
	if (pt_map(m, mm, va, pfn, order, (unsigned)p) != MM_OK)
		fail_msg("map 0x%llx: %s", (unsigned long long)va, m->error);
}

static struct pt_result xlate(struct machine *m, uint32_t mm, uint64_t va, enum pt_access acc, bool user)
{
	struct pt_result r;
	if (pt_translate(m, mm, va, acc, user, &r) != MM_OK)
		fail_msg("translate 0x%llx: %s", (unsigned long long)va, m->error);
	return r;
}

/* ---- index extraction, hand-computed ---- */

struct idx_case {
	const char *arch;
	uint64_t va;
	unsigned idx[PT_MAX_DEPTH];
	uint64_t offset;
};

static const struct idx_case idx_cases[] = {
	{"x86", 0x00403004, {1, 3}, 0x4},
	{"x86", 0xc0100abc, {768, 256}, 0xabc},
	{"x86", 0xfffff123, {1023, 1023}, 0x123},
	{"x86_pae", 0x00403004, {0, 2, 3}, 0x4},
	{"x86_pae", 0xc0100abc, {3, 0, 256}, 0xabc},
	{"x86_pae", 0xbfffe010, {2, 511, 510}, 0x10},
	{"x86_64", 0x00007f1234567abc, {254, 72, 418, 359}, 0xabc},
	{"x86_64", 0x0000000000401000, {0, 0, 2, 1}, 0},
	{"x86_64", 0xffff888012345678, {273, 0, 145, 325}, 0x678},
	{"x86_64_la57", 0x00ff7f1234567abc, {255, 254, 72, 418, 359}, 0xabc},
	{"x86_64_la57", 0x401000, {0, 0, 0, 2, 1}, 0},
	{"x86_64_la57", 0xff11000012345678, {273, 0, 0, 145, 325}, 0x678},
	{"arm64", 0x0000007f12345678, {508, 145, 325}, 0x678},
	{"arm64", 0x400000, {0, 2, 0}, 0},
	{"arm64", 0x0000001234abcdef, {72, 421, 188}, 0xdef},
	{"arm64_48", 0x0000ffff12345678, {511, 508, 145, 325}, 0x678},
	{"arm64_48", 0x400000, {0, 0, 2, 0}, 0},
	{"arm64_48", 0x00007f1234567abc, {254, 72, 418, 359}, 0xabc},
};

static void test_index_extraction(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof idx_cases / sizeof idx_cases[0]; k++) {
		const struct idx_case *c = &idx_cases[k];
		struct pt_format f;
		assert_true(pt_format_by_arch(c->arch, &f));
		assert_true(pt_canonical(&f, c->va));
		for (unsigned d = 0; d < f.depth; d++)
			if (pt_index(&f, c->va, d) != c->idx[d])
				fail_msg("%s 0x%llx depth %u: index %u, want %u", c->arch, (unsigned long long)c->va, d,
					 pt_index(&f, c->va, d), c->idx[d]);
		assert_int_equal(c->va & ((1ull << f.offset_bits) - 1), c->offset);
	}
}

static void test_formats(void **state)
{
	(void)state;
	struct pt_format f;
	assert_true(pt_format_by_arch("x86_64", &f));
	assert_int_equal(f.depth, 4);
	assert_int_equal(f.va_bits, 48);
	assert_string_equal(pt_level_names[f.level[0]], "PGD");
	assert_string_equal(pt_level_names[f.level[1]], "PUD");
	assert_string_equal(pt_level_names[f.level[2]], "PMD");
	assert_string_equal(pt_level_names[f.level[3]], "PTE");
	assert_int_equal(f.huge_mask, 0x6); /* 1G at PUD, 2M at PMD */
	assert_true(pt_format_by_arch("x86_64_la57", &f));
	assert_string_equal(pt_level_names[f.level[1]], "P4D");
	assert_int_equal(f.va_bits, 57);
	assert_true(pt_format_by_arch("x86", &f));
	assert_string_equal(pt_level_names[f.level[1]], "PTE");
	assert_int_equal(f.entry_size, 4);
	assert_int_equal(f.huge_mask, 0x1); /* 4M at PGD */
	assert_true(pt_format_by_arch("x86_pae", &f));
	assert_string_equal(pt_level_names[f.level[1]], "PMD");
	assert_true(pt_format_by_arch("arm64", &f));
	assert_int_equal(f.va_bits, 39);
	assert_int_equal(f.huge_mask, 0x3); /* 1G at PGD, 2M at PMD */
	assert_false(pt_format_by_arch("sparc", &f));

	/* canonical addresses */
	assert_true(pt_format_by_arch("x86_64", &f));
	assert_true(pt_canonical(&f, 0x00007fffffffffff));
	assert_false(pt_canonical(&f, 0x0000800000000000));
	assert_true(pt_canonical(&f, 0xffff800000000000));
	assert_false(pt_canonical(&f, 0xfff0800000000000));
	assert_true(pt_format_by_arch("x86_64_la57", &f));
	assert_true(pt_canonical(&f, 0x0000800000000000));
	assert_false(pt_canonical(&f, 0x0100000000000000));
	assert_true(pt_format_by_arch("arm64", &f));
	assert_false(pt_canonical(&f, 0x0000008000000000));
	assert_true(pt_format_by_arch("x86", &f));
	assert_false(pt_canonical(&f, 0x100000000));

	/* a toy: 3+3 index bits, 32-byte pages, 4-byte entries */
	char why[160];
	unsigned bits[] = {3, 3};
	assert_true(pt_format_toy(&f, "ostep", bits, 2, 5, 4, why, sizeof why));
	assert_int_equal(f.va_bits, 11);
	assert_int_equal(pt_index(&f, 0x3a5, 0), 3);
	assert_int_equal(pt_index(&f, 0x3a5, 1), 5);
	assert_int_equal(pt_index(&f, 0x7ff, 0), 7);
	assert_int_equal(pt_index(&f, 0x7ff, 1), 7);
	assert_int_equal(pt_index(&f, 0x0e0, 1), 7);
	unsigned big[] = {4, 3};
	assert_false(pt_format_toy(&f, "x", big, 2, 5, 4, why, sizeof why));
	assert_non_null(strstr(why, "does not fit"));
	assert_false(pt_format_toy(&f, "x", bits, 0, 5, 4, why, sizeof why));
	assert_false(pt_format_toy(&f, "x", bits, 2, 5, 3, why, sizeof why));
}

static void test_prot(void **state)
{
	(void)state;
	char why[160];
	assert_int_equal(pt_parse_prot("rwxu", why, sizeof why), PROT_R | PROT_W | PROT_X | PROT_U);
	assert_int_equal(pt_parse_prot("ru", why, sizeof why), PROT_R | PROT_U);
	assert_int_equal(pt_parse_prot("rq", why, sizeof why), -1);
	assert_non_null(strstr(why, "'q'"));
	assert_int_equal(pt_parse_prot("rr", why, sizeof why), -1);
	assert_int_equal(pt_parse_prot("w", why, sizeof why), -1);
	assert_int_equal(pt_parse_prot("", why, sizeof why), -1);
}

/* ---- tables ---- */

static void test_tables_alloc_free(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = boot_arch("x86_64", 16 * MiB, &r);
	uint32_t mm = new_mm(m);
	assert_int_equal(pt_mm(m, mm)->nr_tables, 1);
	uint32_t pgd_pfn = pt_table(m, pt_mm(m, mm)->pgd)->pfn;
	assert_int_equal(frame_state(&m->frames[pgd_pfn]), FS_PAGETABLE);
	recorder_clear(&r);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	must_map(m, mm, 0x401000, page, 0, "rwu");
	/* a PUD, a PMD and a PTE table, each an allocation then a link */
	size_t a = find_kind(&r, 0, EV_PGTABLE_ALLOC);
	assert_event(&r, a, "pgtable_alloc", "level=PUD index=0");
	a = find_kind(&r, a + 1, EV_PGTABLE_ALLOC);
	assert_event(&r, a, "pgtable_alloc", "level=PMD index=0");
	a = find_kind(&r, a + 1, EV_PGTABLE_ALLOC);
	assert_event(&r, a, "pgtable_alloc", "level=PTE index=2");
	assert_int_equal(find_kind(&r, a + 1, EV_PGTABLE_ALLOC), r.n);
	size_t s = find_kind(&r, 0, EV_SET_PTE);
	assert_event(&r, s, "set_pte", "level=PTE index=1");
	assert_int_equal(ev_get(&r.ev[s], "pfn"), page);
	assert_int_equal(pt_mm(m, mm)->nr_tables, 4);

	/* a neighbour in the same PTE table takes no new table */
	uint32_t page2 = must_alloc(m, 0, GFP_KERNEL);
	recorder_clear(&r);
	must_map(m, mm, 0x402000, page2, 0, "ru");
	assert_kinds(&r, 0, END, "set_pte");
	assert_int_equal(pt_mm(m, mm)->nr_tables, 4);

	/* unmapping one leaves the tables; the last frees them bottom up */
	recorder_clear(&r);
	assert_int_equal(pt_unmap(m, mm, 0x402000), MM_OK);
	assert_kinds(&r, 0, END, "clear_pte tlb_flush");
	recorder_clear(&r);
	assert_int_equal(pt_unmap(m, mm, 0x401000), MM_OK);
	size_t f = find_kind(&r, 0, EV_PGTABLE_FREE);
	assert_event(&r, f, "pgtable_free", "level=PTE");
	f = find_kind(&r, f + 1, EV_PGTABLE_FREE);
	assert_event(&r, f, "pgtable_free", "level=PMD");
	f = find_kind(&r, f + 1, EV_PGTABLE_FREE);
	assert_event(&r, f, "pgtable_free", "level=PUD");
	assert_int_equal(pt_mm(m, mm)->nr_tables, 1);
	size_t pt = 0;
	for (uint32_t p = 0; p < m->nr_frames; p++)
		pt += frame_state(&m->frames[p]) == FS_PAGETABLE;
	assert_int_equal(pt, 1);
	/* freed slots are reused */
	must_map(m, mm, 0x7f0000000000, page, 0, "ru");
	assert_int_equal(pt_mm(m, mm)->nr_tables, 4);
	done(m, &r);
}

/* ---- translation and faults ---- */

static void test_walk_x86_64(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = boot_arch("x86_64", 16 * MiB, &r);
	uint32_t mm = new_mm(m);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	uint64_t va = 0x00007f1234567000;
	must_map(m, mm, va, page, 0, "rwu");
	recorder_clear(&r);
	struct pt_result x = xlate(m, mm, va + 0xabc, ACC_READ, true);
	assert_false(x.tlb_hit);
	assert_int_equal(x.fault, PTF_NONE);
	assert_int_equal(x.pa, ((uint64_t)page << 12) + 0xabc);
	assert_int_equal(x.nlevels, 4);
	assert_int_equal(x.levels[0].index, 254);
	assert_int_equal(x.levels[1].index, 72);
	assert_int_equal(x.levels[2].index, 418);
	assert_int_equal(x.levels[3].index, 359);
	assert_int_equal(x.levels[0].table, pt_table(m, pt_mm(m, mm)->pgd)->pfn);
	assert_int_equal(pte_pfn(m, x.levels[3].entry), page);
	assert_kinds(&r, 0, END, "tlb_miss walk walk walk walk set_ad tlb_fill translated");
	assert_event(&r, 1, "walk", "level=PGD index=254 hi=47 lo=39");
	assert_event(&r, 4, "walk", "level=PTE index=359 hi=20 lo=12");
	assert_int_equal(ev_get(&r.ev[4], "next"), page);
	assert_int_equal(ev_get(&r.ev[1], "next"), x.levels[1].table);
	assert_int_equal(ev_get(&r.ev[5], "accessed"), 1);
	assert_int_equal(ev_get(&r.ev[5], "dirty"), 0);
	/* the leaf is now accessed, not dirty; a write makes it dirty */
	recorder_clear(&r);
	x = xlate(m, mm, va, ACC_WRITE, true);
	assert_true(x.tlb_hit);
	assert_kinds(&r, 0, END, "tlb_hit set_ad translated");
	assert_int_equal(ev_get(&r.ev[1], "accessed"), 0);
	assert_int_equal(ev_get(&r.ev[1], "dirty"), 1);
	uint64_t e = (uint64_t)ev_get(&r.ev[1], "entry");
	assert_true(e & X86_DIRTY);
	assert_true(e & X86_ACCESSED);
	assert_true(e & X86_NX);
	char text[160];
	pte_flags_text(m, e, PT_PTE, text, sizeof text);
	assert_string_equal(text, "present rw user accessed dirty NX");
	done(m, &r);
}

static void test_faults(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = boot_arch("x86_64", 16 * MiB, &r);
	uint32_t mm = new_mm(m);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	must_map(m, mm, 0x400000, page, 0, "ru");   /* read-only user */
	must_map(m, mm, 0x401000, page, 0, "rw");   /* kernel only */
	must_map(m, mm, 0x402000, page, 0, "rwxu"); /* everything */

	struct pt_result x = xlate(m, mm, 0x7f0000000000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_NOT_PRESENT);
	assert_int_equal(x.fault_level, PT_PGD);
	assert_int_equal(x.nlevels, 1);
	x = xlate(m, mm, 0x40000000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_NOT_PRESENT);
	assert_int_equal(x.fault_level, PT_PUD);
	x = xlate(m, mm, 0x600000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_NOT_PRESENT);
	assert_int_equal(x.fault_level, PT_PMD);
	x = xlate(m, mm, 0x403000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_NOT_PRESENT);
	assert_int_equal(x.fault_level, PT_PTE);
	assert_int_equal(x.nlevels, 4);

	recorder_clear(&r);
	x = xlate(m, mm, 0x400000, ACC_WRITE, true);
	assert_int_equal(x.fault, PTF_WRITE_RO);
	assert_int_equal(x.fault_level, PT_PTE);
	assert_kinds(&r, 0, END, "tlb_miss walk walk walk walk walk_fault");
	assert_event(&r, 5, "walk_fault", "level=PTE access=write");
	assert_int_equal(ev_get(&r.ev[5], "reason"), PTF_WRITE_RO);
	x = xlate(m, mm, 0x401000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_USER_SUPERVISOR);
	x = xlate(m, mm, 0x401000, ACC_WRITE, false); /* the kernel may */
	assert_int_equal(x.fault, PTF_NONE);
	x = xlate(m, mm, 0x400000, ACC_EXEC, true);
	assert_int_equal(x.fault, PTF_EXEC_NX);
	x = xlate(m, mm, 0x402000, ACC_EXEC, true);
	assert_int_equal(x.fault, PTF_NONE);
	/* faults on a TLB hit, from the cached permissions */
	x = xlate(m, mm, 0x400000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_NONE);
	recorder_clear(&r);
	x = xlate(m, mm, 0x400000, ACC_WRITE, true);
	assert_true(x.tlb_hit);
	assert_int_equal(x.fault, PTF_WRITE_RO);
	assert_kinds(&r, 0, END, "tlb_hit walk_fault");
	done(m, &r);
}

static void test_x86_32_and_arm64(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = boot_arch("x86", 16 * MiB, &r);
	uint32_t mm = new_mm(m);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	must_map(m, mm, 0xc0100000, page, 0, "ru");
	struct pt_result x = xlate(m, mm, 0xc0100abc, ACC_EXEC, true);
	assert_int_equal(x.fault, PTF_NONE); /* no NX without PAE */
	assert_int_equal(x.nlevels, 2);
	assert_int_equal(x.levels[0].index, 768);
	assert_int_equal(x.levels[1].index, 256);
	assert_int_equal(x.pa, ((uint64_t)page << 12) + 0xabc);
	assert_int_equal(pt_mm(m, mm)->nr_tables, 2);
	done(m, &r);

	m = boot_arch("arm64", 16 * MiB, &r);
	mm = new_mm(m);
	page = must_alloc(m, 0, GFP_KERNEL);
	must_map(m, mm, 0x7f12345000, page, 0, "rwu");
	must_map(m, mm, 0x7f12346000, page, 0, "ru");
	must_map(m, mm, 0x7f12347000, page, 0, "rw");
	x = xlate(m, mm, 0x7f12345678, ACC_READ, true);
	assert_int_equal(x.nlevels, 3);
	assert_int_equal(x.levels[0].index, 508);
	assert_int_equal(x.levels[1].index, 145);
	assert_int_equal(x.levels[2].index, 325);
	uint64_t e = x.levels[2].entry;
	/* a clean writable page is read-only with DBM until written */
	assert_true(e & ARM_DBM);
	assert_true(e & ARM_RDONLY);
	assert_true(e & ARM_USER);
	assert_true(e & ARM_PXN);
	assert_true(e & ARM_UXN);
	recorder_clear(&r);
	x = xlate(m, mm, 0x7f12345678, ACC_WRITE, true);
	assert_int_equal(x.fault, PTF_NONE);
	size_t s = find_kind(&r, 0, EV_SET_AD);
	assert_true(s < r.n);
	e = (uint64_t)ev_get(&r.ev[s], "entry");
	assert_false(e & ARM_RDONLY);
	assert_true(e & ARM_AF);
	char text[160];
	pte_flags_text(m, e, PT_PTE, text, sizeof text);
	assert_string_equal(text, "valid page AP=01 AF nG DBM PXN UXN");
	x = xlate(m, mm, 0x7f12346000, ACC_WRITE, true);
	assert_int_equal(x.fault, PTF_WRITE_RO);
	x = xlate(m, mm, 0x7f12347000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_USER_SUPERVISOR);
	x = xlate(m, mm, 0x7f12345000, ACC_EXEC, true);
	assert_int_equal(x.fault, PTF_EXEC_NX);
	x = xlate(m, mm, 0x7f12345000, ACC_READ, true);
	assert_int_equal(x.fault, PTF_NONE);
	done(m, &r);
}

static void test_huge(void **state)
{
	(void)state;
	struct recorder r;
	struct mm_config c = config_textbook(2 * GiB);
	c.max_order = 19;
	struct machine *m = boot_recorded(&c, &r, false);
	uint32_t mm = new_mm(m);
	uint32_t huge = must_alloc(m, 9, GFP_KERNEL);
	must_map(m, mm, 0x40000000 + 0x200000, huge, 9, "rwu");
	struct pt_result x = xlate(m, mm, 0x40212345, ACC_READ, true);
	assert_int_equal(x.nlevels, 3);
	assert_int_equal(x.page_shift, 21);
	assert_true(x.levels[2].entry & X86_PSE);
	assert_int_equal(x.pa, ((uint64_t)huge << 12) + 0x12345);
	assert_int_equal(pt_mm(m, mm)->nr_tables, 3);
	/* a second address in the same 2M page hits the one TLB entry */
	x = xlate(m, mm, 0x403fffff, ACC_READ, true);
	assert_true(x.tlb_hit);
	assert_int_equal(x.pa, ((uint64_t)huge << 12) + 0x1fffff);

	uint32_t giant = must_alloc(m, 18, GFP_KERNEL);
	must_map(m, mm, 0x80000000, giant, 18, "ru");
	x = xlate(m, mm, 0x80000000 + 0x12345678, ACC_READ, true);
	assert_int_equal(x.nlevels, 2);
	assert_int_equal(x.fault_level, -1);
	assert_int_equal(x.pa, ((uint64_t)giant << 12) + 0x12345678);

	/* errors: misaligned, the wrong order, over a PTE table */
	struct snapshot s = snap(m, &r);
	assert_int_equal(pt_map(m, mm, 0x40100000, huge, 9, PROT_R), MM_EINVAL);
	assert_non_null(strstr(m->error, "aligned"));
	assert_int_equal(pt_map(m, mm, 0x40000000, huge, 3, PROT_R), MM_EINVAL);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	s = snap(m, &r);
	must_map(m, mm, 0x400000, page, 0, "r");
	struct snapshot s2 = snap(m, &r);
	assert_int_equal(pt_map(m, mm, 0x400000 & ~0x1fffffull, huge, 9, PROT_R), MM_EINVAL);
	assert_non_null(strstr(m->error, "unmap them first"));
	assert_unchanged(m, &r, &s2);
	assert_int_equal(pt_unmap(m, mm, 0x40212345), MM_EINVAL);
	assert_non_null(strstr(m->error, "inside the 2M page"));
	assert_int_equal(pt_unmap(m, mm, 0x40200000), MM_OK);
	assert_int_equal(pt_unmap(m, mm, 0x80000000), MM_OK);
	(void)s;
	done(m, &r);
}

static void test_bad_input_unchanged(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = boot_arch("x86_64", 16 * MiB, &r);
	uint32_t mm = new_mm(m);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	must_map(m, mm, 0x400000, page, 0, "ru");
	struct snapshot s = snap(m, &r);
	struct pt_result x;
	assert_int_equal(pt_map(m, mm, 0x0000800000000000, page, 0, PROT_R), MM_EINVAL);
	assert_non_null(strstr(m->error, "not canonical"));
	assert_int_equal(pt_map(m, mm, 0x400010, page, 0, PROT_R), MM_EINVAL);
	assert_non_null(strstr(m->error, "not aligned"));
	assert_int_equal(pt_map(m, mm, 0x400000, page, 0, PROT_R), MM_EINVAL);
	assert_non_null(strstr(m->error, "already mapped"));
	assert_int_equal(pt_map(m, mm, 0x500000, m->nr_frames, 0, PROT_R), MM_EINVAL);
	assert_int_equal(pt_map(m, mm, 0x500000, page, 0, PROT_W), MM_EINVAL);
	assert_int_equal(pt_map(m, 7, 0x500000, page, 0, PROT_R), MM_EINVAL);
	assert_non_null(strstr(m->error, "mm 7 does not exist"));
	assert_int_equal(pt_unmap(m, mm, 0x500000), MM_EINVAL);
	assert_non_null(strstr(m->error, "nothing is mapped"));
	assert_int_equal(pt_unmap(m, mm, 0xffff000000000000), MM_EINVAL);
	assert_int_equal(pt_protect(m, mm, 0x500000, PROT_R), MM_EINVAL);
	assert_int_equal(pt_translate(m, mm, 0x0000800000000000, ACC_READ, true, &x), MM_EINVAL);
	assert_unchanged(m, &r, &s);

	/* a machine whose page size is not the arch's has no page tables */
	struct mm_config c = config_textbook(1 * MiB);
	c.page_size = 1024;
	struct machine *m2 = boot(&c);
	uint32_t id;
	assert_int_equal(pt_mm_alloc(m2, &id), MM_EINVAL);
	assert_non_null(strstr(m2->error, "no page tables"));
	machine_free(m2);
	done(m, &r);
}

/* ---- the TLB ---- */

static void test_tlb(void **state)
{
	(void)state;
	struct recorder r;
	struct mm_config c = config_textbook(16 * MiB);
	c.tlb_entries = 2;
	c.tlb_ways = 2; /* one set of two ways */
	struct machine *m = boot_recorded(&c, &r, false);
	uint32_t a = new_mm(m), b = new_mm(m);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	for (uint64_t va = 0x400000; va < 0x403000; va += 0x1000)
		must_map(m, a, va, page, 0, "rwu");
	must_map(m, b, 0x400000, page + 0, 0, "ru");

	assert_false(xlate(m, a, 0x400000, ACC_READ, true).tlb_hit);
	assert_true(xlate(m, a, 0x400000, ACC_READ, true).tlb_hit);
	/* another ASID at the same address does not hit a's entry */
	assert_false(xlate(m, b, 0x400000, ACC_READ, true).tlb_hit);
	assert_true(xlate(m, a, 0x400000, ACC_READ, true).tlb_hit);
	/* the set is full: 0x401000 evicts b's entry (least recently used) */
	recorder_clear(&r);
	assert_false(xlate(m, a, 0x401000, ACC_READ, true).tlb_hit);
	size_t ev = find_kind(&r, 0, EV_TLB_EVICT);
	assert_true(ev < r.n);
	assert_int_equal(ev_get(&r.ev[ev], "mm"), b);
	assert_true(xlate(m, a, 0x400000, ACC_READ, true).tlb_hit);
	assert_false(xlate(m, b, 0x400000, ACC_READ, true).tlb_hit);
	/* unmap flushes the page: the next access walks and faults */
	recorder_clear(&r);
	assert_int_equal(pt_unmap(m, a, 0x400000), MM_OK);
	size_t f = find_kind(&r, 0, EV_TLB_FLUSH);
	assert_event(&r, f, "tlb_flush", "scope=page entries=1");
	struct pt_result x = xlate(m, a, 0x400000, ACC_READ, true);
	assert_false(x.tlb_hit);
	assert_int_equal(x.fault, PTF_NOT_PRESENT);
	/* a protection change flushes too */
	assert_true(!xlate(m, a, 0x402000, ACC_WRITE, true).tlb_hit);
	assert_int_equal(pt_protect(m, a, 0x402000, PROT_R | PROT_U), MM_OK);
	x = xlate(m, a, 0x402000, ACC_WRITE, true);
	assert_false(x.tlb_hit);
	assert_int_equal(x.fault, PTF_WRITE_RO);
	/* protect keeps the dirty bit the hardware set */
	assert_true(x.levels[3].entry & X86_DIRTY);
	/* a whole-mm flush */
	xlate(m, a, 0x401000, ACC_READ, true);
	assert_true(pt_tlb_flush(m, a, 0, true) >= 1);
	assert_false(xlate(m, a, 0x401000, ACC_READ, true).tlb_hit);
	const struct pt_root *root = pt_root(m);
	assert_true(root->hits >= 3);
	assert_true(root->misses >= 5);
	done(m, &r);
}

/*
 * Least recently used within a set, with several ways: 8 entries of 4 ways
 * are 2 sets, a 4K page's set its page number's low bit.  Set 0 fills its
 * ways in order with 0x400000, 0x402000, 0x404000, 0x406000 (an invalid
 * way is taken before any eviction); hits on 0x400000 and 0x404000 make
 * 0x402000 the least recently used, then 0x406000, then 0x400000 — first
 * in, first out would evict 0x400000 first.  Set 1 fills without evicting.
 */
static void test_tlb_lru_of_four_ways(void **state)
{
	(void)state;
	struct recorder r;
	struct mm_config c = config_textbook(16 * MiB);
	c.tlb_entries = 8;
	c.tlb_ways = 4;
	struct machine *m = boot_recorded(&c, &r, false);
	uint32_t a = new_mm(m);
	uint32_t page = must_alloc(m, 0, GFP_KERNEL);
	for (uint64_t va = 0x400000; va < 0x410000; va += 0x1000)
		must_map(m, a, va, page, 0, "ru");
	for (unsigned i = 0; i < 4; i++) {
		recorder_clear(&r);
		assert_false(xlate(m, a, 0x400000 + 0x2000 * i, ACC_READ, true).tlb_hit);
		assert_int_equal(find_kind(&r, 0, EV_TLB_EVICT), r.n);
		size_t f = find_kind(&r, 0, EV_TLB_FILL);
		assert_true(f < r.n);
		assert_int_equal(ev_get(&r.ev[f], "set"), 0);
		assert_int_equal(ev_get(&r.ev[f], "way"), i);
	}
	assert_true(xlate(m, a, 0x400000, ACC_READ, true).tlb_hit);
	assert_true(xlate(m, a, 0x404000, ACC_READ, true).tlb_hit);
	/* set 1 is empty: its first fill evicts nothing although set 0 is full */
	recorder_clear(&r);
	assert_false(xlate(m, a, 0x401000, ACC_READ, true).tlb_hit);
	assert_int_equal(find_kind(&r, 0, EV_TLB_EVICT), r.n);
	assert_event(&r, find_kind(&r, 0, EV_TLB_FILL), "tlb_fill", "set=1 way=0");
	static const struct {
		uint64_t miss, victim;
		unsigned way;
	} order[] = {{0x408000, 0x402000, 1}, {0x40a000, 0x406000, 3}, {0x40c000, 0x400000, 0}};
	for (unsigned i = 0; i < 3; i++) {
		recorder_clear(&r);
		assert_false(xlate(m, a, order[i].miss, ACC_READ, true).tlb_hit);
		size_t ev = find_kind(&r, 0, EV_TLB_EVICT);
		assert_true(ev < r.n);
		assert_int_equal(ev_get(&r.ev[ev], "va"), (int64_t)order[i].victim);
		assert_int_equal(ev_get(&r.ev[ev], "set"), 0);
		assert_int_equal(ev_get(&r.ev[ev], "way"), order[i].way);
		/* the new entry takes the victim's way */
		assert_int_equal(ev_get(&r.ev[find_kind(&r, 0, EV_TLB_FILL)], "way"), order[i].way);
	}
	/* 0x404000 was touched last of the originals: it is still there */
	assert_true(xlate(m, a, 0x404000, ACC_READ, true).tlb_hit);
	assert_int_equal(pt_root(m)->evictions, 3);
	done(m, &r);
}

/* ---- undo ---- */

static void test_undo_redo(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = boot_arch("x86_64", 16 * MiB, &r);
	r.keep = false;
	uint64_t seed = 99;
	uint32_t mm = new_mm(m), mm2 = new_mm(m);
	for (int i = 0; i < 300; i++) {
		uint64_t va = (xorshift64(&seed) % 64) << 21 | (xorshift64(&seed) % 4) << 12;
		uint32_t which = xorshift64(&seed) % 2 ? mm : mm2;
		switch (xorshift64(&seed) % 3) {
		case 0:
			pt_map(m, which, va, (uint32_t)(xorshift64(&seed) % m->nr_frames), 0, PROT_R | PROT_U);
			break;
		case 1:
			pt_unmap(m, which, va);
			break;
		default: {
			struct pt_result x;
			pt_translate(m, which, va, xorshift64(&seed) % 2 ? ACC_WRITE : ACC_READ, true, &x);
		}
		}
	}
	uint32_t end = m->nsteps;
	assert_true(end > 300);
	for (uint32_t s = end; s-- > 0;) {
		machine_seek(m, s);
		if (machine_hash(m) != r.hashes[s])
			fail_msg("state after undoing to step %u differs", s);
		if (s % 97 == 0)
			assert_machine_ok(m);
	}
	machine_seek(m, end);
	assert_true(machine_hash(m) == r.hashes[end]);
	assert_machine_ok(m);
	done(m, &r);
}

/* ---- ptdump ---- */

static void test_ptdump(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = boot_arch("x86_64", 16 * MiB, &r);
	uint32_t mm = new_mm(m);
	uint32_t p = must_alloc(m, 1, GFP_KERNEL);
	must_map(m, mm, 0x400000, p, 0, "rxu");
	must_map(m, mm, 0x401000, p + 1, 0, "rxu");
	must_map(m, mm, 0x600000, p, 0, "rwu");
	struct strbuf sb = {0};
	pt_dump(m, mm, &sb);
	assert_non_null(strstr(sb.s, "5 table pages"));
	assert_non_null(strstr(sb.s, "0x0000000000400000-0x0000000000402000         8K  ro  USR     x"));
	assert_non_null(strstr(sb.s, "0x0000000000600000-0x0000000000601000         4K  RW  USR     NX"));
	strbuf_free(&sb);
	done(m, &r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_extraction), cmocka_unit_test(test_formats),
		cmocka_unit_test(test_prot),		 cmocka_unit_test(test_tables_alloc_free),
		cmocka_unit_test(test_walk_x86_64),	 cmocka_unit_test(test_faults),
		cmocka_unit_test(test_x86_32_and_arm64), cmocka_unit_test(test_huge),
		cmocka_unit_test(test_bad_input_unchanged), cmocka_unit_test(test_tlb),
		cmocka_unit_test(test_tlb_lru_of_four_ways),
		cmocka_unit_test(test_undo_redo),	 cmocka_unit_test(test_ptdump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
