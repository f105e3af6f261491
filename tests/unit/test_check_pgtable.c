/*
 * src/mm/pgtable_check.c: every invariant of the page-table and TLB checker
 * fires.  Each case builds a good machine (x86_64, one mm with two 4K pages
 * and a 2M page, all three in the TLB), corrupts one cell (or one record:
 * a TLB slot, a table whose frame and parent entry must agree to reach the
 * rule), expects the checker's message for that rule, restores the cell
 * and expects the checker to pass again.  Then the flush-pending rule is
 * seen to fire on a protect that forgets its flush, and to hold at every
 * step of the real operations, forwards and after seeking back.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/pgtable.h"
#include "mm/tlb.h"

#define VA4K 0x400000ull      /* PGD 0, PUD 0, PMD 2, PTE 0 (and 0x401000: PTE 1) */
#define VA2M 0x40000000ull    /* PGD 0, PUD 1, PMD 0: a huge leaf */

struct fix {
	struct machine *m;
	uint32_t mm;
	uint32_t pgd, pud, pmd, pte, pmd2; /* table offsets */
	uint32_t page, huge;               /* data pfns */
	unsigned slot4k, slot2m;           /* TLB slots */
};

static uint32_t child_of(const struct machine *m, uint32_t t, uint64_t va)
{
	unsigned d = pt_table(m, t)->depth;
	return pt_children(m, t)[pt_index(&m->pt->fmt, va, d)];
}

static unsigned slot_of(struct machine *m, uint32_t mm, uint64_t va)
{
	uint32_t set;
	int slot = tlb_lookup(m, mm, va, &set);
	assert_true(slot >= 0);
	return (unsigned)slot;
}

static void good(struct fix *x)
{
	struct mm_config c = config_mem(16 * MiB);
	struct machine *m = x->m = boot(&c);
	machine_journal(m, true);
	assert_int_equal(pt_mm_alloc(m, &x->mm), MM_OK);
	x->page = must_alloc(m, 0, GFP_KERNEL);
	x->huge = must_alloc(m, 9, GFP_KERNEL);
	assert_int_equal(pt_map(m, x->mm, VA4K, x->page, 0, PROT_R | PROT_W | PROT_U), MM_OK);
	assert_int_equal(pt_map(m, x->mm, VA4K + 0x1000, x->page, 0, PROT_R | PROT_U), MM_OK);
	assert_int_equal(pt_map(m, x->mm, VA2M, x->huge, 9, PROT_R | PROT_W), MM_OK);
	struct pt_result r;
	assert_int_equal(pt_translate(m, x->mm, VA4K, ACC_WRITE, true, &r), MM_OK);
	assert_int_equal(pt_translate(m, x->mm, VA2M, ACC_READ, false, &r), MM_OK);
	x->pgd = pt_mm(m, x->mm)->pgd;
	x->pud = child_of(m, x->pgd, VA4K);
	x->pmd = child_of(m, x->pud, VA4K);
	x->pte = child_of(m, x->pmd, VA4K);
	x->pmd2 = child_of(m, x->pud, VA2M);
	x->slot4k = slot_of(m, x->mm, VA4K);
	x->slot2m = slot_of(m, x->mm, VA2M);
	assert_int_equal(pt_mm(m, x->mm)->nr_tables, 5);
	assert_machine_ok(m);
}

static uint32_t pfn_of(const struct fix *x, uint32_t table) { return pt_table(x->m, table)->pfn; }

/* The checker of this file (not the buddy's, which some cells also break). */
static void expect_broken(const struct machine *m, const char *message)
{
	char why[256] = "";
	assert_int_equal(check_pgtables(m, why, sizeof why), -1);
	assert_string_equal(why, message);
}

static void expect_ok(const struct machine *m)
{
	char why[256] = "";
	if (check_pgtables(m, why, sizeof why))
		fail_msg("checker: %s", why);
	assert_machine_ok(m);
}

static void corrupt32(struct machine *m, uint32_t *cell, uint32_t value, const char *message)
{
	uint32_t saved = *cell;
	*cell = value;
	expect_broken(m, message);
	*cell = saved;
	expect_ok(m);
}

static void corrupt64(struct machine *m, uint64_t *cell, uint64_t value, const char *message)
{
	uint64_t saved = *cell;
	*cell = value;
	expect_broken(m, message);
	*cell = saved;
	expect_ok(m);
}

/* snprintf into a static buffer, for expected messages. */
static const char *msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *msg(const char *fmt, ...)
{
	static char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return buf;
}

/* The PGD has no parent entry, so its own frame is checked first. */
static void test_table_frame(void **state)
{
	(void)state;
	struct fix x;
	good(&x);
	struct machine *m = x.m;
	struct pt_table *pgd = pt_table(m, x.pgd);
	corrupt32(m, &pgd->pfn, m->nr_frames,
		  msg("mm 1: table at pfn 0x%x is not an order-0 pagetable frame", m->nr_frames));
	uint32_t *info = &m->frames[pgd->pfn].info;
	corrupt32(m, info, frame_info(FS_ALLOC, 0), msg("mm 1: table at pfn 0x%x is not an order-0 pagetable frame", pgd->pfn));
	corrupt32(m, info, frame_info(FS_PAGETABLE, 1), msg("mm 1: table at pfn 0x%x is not an order-0 pagetable frame", pgd->pfn));
	machine_free(m);
}

static void test_table_identity(void **state)
{
	(void)state;
	struct fix x;
	good(&x);
	struct machine *m = x.m;
	struct pt_table *t = pt_table(m, x.pte);
	uint32_t idx = pt_index(&m->pt->fmt, VA4K, 2);
	assert_int_equal(idx, 2);
	corrupt32(m, &t->mm, 2, msg("mm 1: table 0x%x says mm 2 depth 3 parent %u index 2", t->pfn, x.pmd));
	corrupt32(m, &t->depth, 2, msg("mm 1: table 0x%x says mm 1 depth 2 parent %u index 2", t->pfn, x.pmd));
	corrupt32(m, &t->parent, x.pud, msg("mm 1: table 0x%x says mm 1 depth 3 parent %u index 2", t->pfn, x.pud));
	corrupt32(m, &t->index, 3, msg("mm 1: table 0x%x says mm 1 depth 3 parent %u index 3", t->pfn, x.pmd));
	machine_free(m);
}

static void test_entries(void **state)
{
	(void)state;
	struct fix x;
	good(&x);
	struct machine *m = x.m;
	uint32_t pte = pfn_of(&x, x.pte), pmd = pfn_of(&x, x.pmd), pgd = pfn_of(&x, x.pgd);
	/* an entry without the present bit must be zero, and have no child */
	corrupt64(m, &pt_entries(m, x.pte)[7], (uint64_t)x.page << 12,
		  msg("mm 1: table 0x%x entry 7 is not present but not clear", pte));
	corrupt32(m, &pt_children(m, x.pte)[7], x.pte, msg("mm 1: table 0x%x entry 7 is not present but not clear", pte));
	/* PSE on the PMD entry that points to the PTE table */
	uint64_t *e = &pt_entries(m, x.pmd)[2];
	corrupt64(m, e, *e | X86_PSE, msg("mm 1: table 0x%x entry 2 is a leaf with a child table", pmd));
	/* x86_64 has no huge leaf in its PGD */
	corrupt64(m, &pt_entries(m, x.pgd)[5], X86_PRESENT | X86_PSE | (uint64_t)x.huge << 12,
		  msg("mm 1: table 0x%x entry 5 is a huge leaf where x86_64 has none", pgd));
	/* a table entry must hold its child's pfn, and have the child */
	corrupt64(m, e, (*e & ~0xfffffffff000ull) | (uint64_t)x.page << 12,
		  msg("mm 1: table 0x%x entry 2 points to pfn 0x%x, not its child table", pmd, x.page));
	corrupt32(m, &pt_children(m, x.pmd)[2], 0,
		  msg("mm 1: table 0x%x entry 2 points to pfn 0x%x, not its child table", pmd, pte));
	/* two pages mapped in the PTE table */
	corrupt32(m, &pt_table(m, x.pte)->nr_used, 5, msg("mm 1: table 0x%x has 2 entries in use but nr_used 5", pte));
	machine_free(m);
}

static void test_mm_and_frames(void **state)
{
	(void)state;
	struct fix x;
	good(&x);
	struct machine *m = x.m;
	struct pt_mm *o = pt_mm(m, x.mm);
	corrupt32(m, &o->id, 2, "mm slot 1 holds mm 2");
	corrupt32(m, &o->nr_tables, 4, "mm 1: nr_tables 4 but 5 tables are reachable");
	/* a frame in state pagetable that no entry reaches (a leaked table) */
	corrupt32(m, &m->frames[x.page].info, frame_info(FS_PAGETABLE, 0),
		  "6 frames are page tables but 5 tables are reachable");

	/* Two tables on one frame: the second PMD table moved onto the first's
	 * frame, its PUD entry following (else the entry check fires first). */
	struct pt_table *t = pt_table(m, x.pmd2);
	uint64_t *e = &pt_entries(m, x.pud)[1];
	uint32_t pfn = t->pfn;
	uint64_t entry = *e;
	t->pfn = pfn_of(&x, x.pmd);
	*e = (entry & ~0xfffffffff000ull) | (uint64_t)t->pfn << 12;
	expect_broken(m, msg("table frame 0x%x is reached from two entries", t->pfn));
	t->pfn = pfn;
	*e = entry;
	expect_ok(m);
	machine_free(m);
}

static void test_tlb_entries(void **state)
{
	(void)state;
	struct fix x;
	good(&x);
	struct machine *m = x.m;
	struct tlb_entry *t = pt_tlb(m);
	unsigned s = x.slot4k, h = x.slot2m;
	uint64_t leaf = pt_entries(m, x.pte)[0], hleaf = pt_entries(m, x.pmd2)[0];
	corrupt32(m, &t[s].asid, 7, msg("TLB slot %u caches ASID 7, which no mm has", s));
	/* the hardware sets accessed and dirty behind the TLB: no staleness */
	t[s].entry ^= X86_DIRTY | X86_ACCESSED;
	expect_ok(m);
	t[s].entry ^= X86_DIRTY | X86_ACCESSED;
	/* a writable entry where the tables say read-only */
	corrupt64(m, &t[s].entry, leaf ^ X86_RW,
		  msg("TLB slot %u (ASID 1, 0x400000) is stale: the tables say 0x%llx", s, (unsigned long long)leaf));
	/* an entry for an address nothing maps (same set: tag + sets) */
	corrupt64(m, &t[s].tag, t[s].tag + m->pt->tlb_sets,
		  msg("TLB slot %u (ASID 1, 0x%llx) is stale: the tables say 0x0", s,
		      (unsigned long long)(VA4K + ((uint64_t)m->pt->tlb_sets << 12))));
	/* a 4K entry where the tables map a 2M page */
	struct tlb_entry saved = t[h];
	t[h].shift = 12;
	t[h].tag = VA2M >> 12;
	expect_broken(m, msg("TLB slot %u (ASID 1, 0x40000000) is stale: the tables say 0x%llx", h,
			     (unsigned long long)hleaf));
	t[h] = saved;
	expect_ok(m);
	/* a good entry copied into a slot of another set */
	unsigned ways = m->pt->tlb_ways, other = 0;
	while (t[other].valid || other / ways == s / ways)
		other++;
	t[other] = t[s];
	expect_broken(m, msg("TLB slot %u is in the wrong set", other));
	t[other].valid = 0;
	expect_ok(m);
	machine_free(m);
}

static void test_pending_record(void **state)
{
	(void)state;
	struct fix x;
	good(&x);
	struct machine *m = x.m;
	struct pt_root *r = pt_root(m);
	/* between operations nothing may be pending */
	r->pending_mm = 1;
	r->pending_op = m->op_base + m->nops;
	r->pending_va = VA4K;
	expect_broken(m, msg("TLB flush of mm 1 0x400000 still pending after op %u ended", r->pending_op));
	r->pending_mm = r->pending_op = 0;
	r->pending_va = 0;
	expect_ok(m);
	/* no half records */
	corrupt32(m, &r->pending_op, 3, "no TLB flush is pending but op 3, va 0x0 are recorded");
	corrupt64(m, &r->pending_va, VA4K, "no TLB flush is pending but op 0, va 0x400000 are recorded");
	machine_free(m);
}

/* ---- the flush-pending rule on operations ---- */

struct watch {
	int steps, failures, stale_excused;
	char first[256];
	uint64_t va;
};

/* After every step: run the checker, remember its first complaint, and
 * count steps where the TLB held a stale entry for the pending address. */
static void on_step(void *ctx, const struct machine *m, const struct event *e)
{
	(void)e;
	struct watch *w = ctx;
	char why[256];
	w->steps++;
	if (check_pgtables(m, why, sizeof why) && !w->failures++)
		snprintf(w->first, sizeof w->first, "%s", why);
	uint32_t set;
	int slot = tlb_lookup(m, 1, w->va, &set);
	if (pt_root(m)->pending_mm && slot >= 0) {
		const struct tlb_entry *t = &pt_tlb(m)[slot];
		if ((t->entry ^ pt_entries(m, t->table)[t->index]) & X86_RW)
			w->stale_excused++;
	}
}

/* What pt_protect does, minus its flush: the bug the rule exists for.
 * flush_mm/flush_va: a flush of something else made instead (mm 0: none). */
static void protect_flushing(struct machine *m, const struct fix *x, uint32_t flush_mm, uint64_t flush_va)
{
	struct pt_root *r = pt_root(m);
	uint64_t *e = &pt_entries(m, x->pte)[0];
	mm_op_begin(m);
	jset64(&m->j, e, *e & ~X86_RW);
	jset32(&m->j, &r->pending_mm, x->mm);
	jset32(&m->j, &r->pending_op, m->op_base + m->nops);
	jset64(&m->j, &r->pending_va, VA4K);
	EMIT(m, EV_SET_PTE, x->mm, (int64_t)VA4K, PT_PTE, pfn_of(x, x->pte), 0, (int64_t)*e, x->page, 0);
	if (flush_mm)
		pt_tlb_flush(m, flush_mm, flush_va, false);
	mm_op_end(m);
}

static void protect_without_flush(struct machine *m, const struct fix *x) { protect_flushing(m, x, 0, 0); }

/* The good machine, checked after every step from now on. */
static struct machine *watched(struct fix *x, struct watch *w)
{
	good(x);
	x->m->listener = on_step;
	x->m->listener_ctx = w;
	return x->m;
}

static void test_forgotten_flush_fires(void **state)
{
	(void)state;
	struct fix x;
	struct watch w = {.va = VA4K};
	struct machine *m = watched(&x, &w);
	uint32_t before = m->nsteps;
	protect_without_flush(m, &x);
	/* during its own operation the stale entry is excused */
	assert_int_equal(w.failures, 0);
	assert_int_equal(w.stale_excused, 1);
	uint32_t op = m->op_base + m->nops;
	const char *want = msg("TLB flush of mm 1 0x400000 still pending after op %u ended", op);
	char copy[256];
	snprintf(copy, sizeof copy, "%s", want);
	expect_broken(m, copy);
	/* the next operation's first step sees it too: the write goes through
	 * the stale writable entry, and the checker says why */
	struct pt_result r;
	assert_int_equal(pt_translate(m, x.mm, VA4K, ACC_WRITE, true, &r), MM_OK);
	assert_true(r.tlb_hit);
	assert_int_equal(r.fault, PTF_NONE);
	assert_true(w.failures >= 1);
	assert_string_equal(w.first, copy);
	/* back before the faulty protect, the machine is sound again */
	m->listener = NULL;
	machine_seek(m, before);
	expect_ok(m);
	machine_free(m);
}

/* Flushing another page, or the page in another mm, is not the flush the
 * changed entry needs. */
static void test_flush_of_something_else_does_not_count(void **state)
{
	(void)state;
	const struct {
		uint32_t mm;
		uint64_t va;
	} wrong[] = {{1, VA4K + 0x1000}, {2, VA4K}};
	for (unsigned k = 0; k < 2; k++) {
		struct fix x;
		struct watch w = {.va = VA4K};
		struct machine *m = watched(&x, &w);
		protect_flushing(m, &x, wrong[k].mm, wrong[k].va);
		assert_int_equal(w.failures, 0);
		assert_int_equal(pt_root(m)->pending_mm, 1);
		expect_broken(m, msg("TLB flush of mm 1 0x400000 still pending after op %u ended", m->op_base + m->nops));
		machine_free(m);
	}
}

static void test_real_paths_hold(void **state)
{
	(void)state;
	struct fix x;
	struct watch w = {.va = VA4K};
	struct machine *m = watched(&x, &w);
	uint32_t before = m->nsteps;
	assert_int_equal(pt_protect(m, x.mm, VA4K, PROT_R | PROT_U), MM_OK);
	/* the step between set_pte and its flush held a stale, excused entry */
	assert_int_equal(w.stale_excused, 1);
	struct pt_result r;
	assert_int_equal(pt_translate(m, x.mm, VA4K, ACC_WRITE, true, &r), MM_OK);
	assert_int_equal(r.fault, PTF_WRITE_RO);
	assert_int_equal(pt_unmap(m, x.mm, VA4K + 0x1000), MM_OK);
	assert_int_equal(pt_unmap(m, x.mm, VA2M), MM_OK);
	assert_int_equal(w.failures, 0);
	assert_true(w.steps > 6);
	/* every position of the history, in the middle of operations too */
	m->listener = NULL;
	uint32_t end = m->nsteps;
	for (uint32_t s = end; s-- > before;) {
		machine_seek(m, s);
		expect_ok(m);
	}
	for (uint32_t s = before; s <= end; s++) {
		machine_seek(m, s);
		expect_ok(m);
	}
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_table_frame),
	cmocka_unit_test(test_table_identity),
	cmocka_unit_test(test_entries),
	cmocka_unit_test(test_mm_and_frames),
	cmocka_unit_test(test_tlb_entries),
	cmocka_unit_test(test_pending_record),
	cmocka_unit_test(test_forgotten_flush_fires),
	cmocka_unit_test(test_flush_of_something_else_does_not_count),
	cmocka_unit_test(test_real_paths_hold),
};

int main(void)
{
	return cmocka_run_group_tests_name("check_pgtable", tests, NULL, NULL);
}
