/*
 * Page-table and TLB invariants (check_pgtables, called from check_machine
 * after every step in tests).  Each failure names the table, entry or TLB
 * slot and says which rule broke:
 * - each mm slot holds the mm of its id, and the tree from its PGD is
 *   well formed: every table sits in an order-0 frame in state pagetable
 *   and records its owner, depth, parent table and parent index; an entry
 *   that is not present is zero and has no child, or at the last level a
 *   migration entry or a swap entry naming a slot in use; a leaf has no child and
 *   sits at a depth where the format allows leaves; a table entry holds its
 *   child table's pfn; nr_used counts the present, migration and swap entries;
 * - an mm's nr_tables counts the tables reachable from its PGD; no table
 *   frame is reached twice; every frame in state pagetable is a reached
 *   table (a table dropped without freeing its frame is caught);
 * - a pending TLB flush belongs to the operation still in progress: once
 *   the operation that changed an entry has ended, its flush must be done
 *   (the kernel's tlb_finish_mmu);
 * - every valid TLB entry has a live ASID, caches the current leaf for its
 *   address with the same page size and bits (up to accessed and dirty,
 *   which the hardware sets behind the TLB), and sits in the set its tag
 *   selects.  The one address whose flush is pending may be stale, and so
 *   may a kernel entry of a lazily freed vmalloc area (its flush waits for
 *   the purge).
 */
#include "check.h"
#include "highmem.h"
#include "pgtable.h"
#include "swap.h"
#include "tlb.h"
#include "vmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct ctx {
	const struct machine *m;
	char *why;
	size_t whylen;
	uint32_t *pfns;
	size_t n, cap;
	uint32_t tables; /* of the mm being checked */
};

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_table(struct ctx *c, uint32_t mm, uint32_t off, unsigned depth, uint32_t parent, uint32_t index)
{
	const struct machine *m = c->m;
	const struct pt_table *t = pt_table(m, off);
	if (t->pfn >= m->nr_frames || frame_state(&m->frames[t->pfn]) != FS_PAGETABLE ||
	    frame_order(&m->frames[t->pfn]) != 0)
		return fail(c, "mm %u: table at pfn 0x%x is not an order-0 pagetable frame", mm, t->pfn);
	if (t->mm != mm || t->depth != depth || t->parent != parent || t->index != index)
		return fail(c, "mm %u: table 0x%x says mm %u depth %u parent %u index %u", mm, t->pfn, t->mm, t->depth,
			    t->parent, t->index);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		uint32_t *p = realloc(c->pfns, c->cap * sizeof *p);
		if (!p)
			return fail(c, "out of host memory");
		c->pfns = p;
	}
	c->pfns[c->n++] = t->pfn;
	c->tables++;
	const uint64_t *ent = pt_entries(m, off);
	const uint32_t *child = pt_children(m, off);
	uint32_t used = 0;
	for (uint32_t i = 0; i < pt_nr_entries(m, depth); i++) {
		if (!pte_present(m, ent[i])) {
			if (is_migration_entry(m, ent[i]) && depth + 1 == m->pt->fmt.depth && !child[i]) {
				used++; /* a page under migration keeps its slot */
				continue;
			}
			/* a swap entry: a PTE-level leaf not present (swap_check.c checks its slot) */
			bool swap = depth + 1 == m->pt->fmt.depth && is_swap_pte(m, ent[i]) &&
				    swap_count_at(m, pte_to_swp_entry(m, ent[i])) & SWAP_COUNT_MASK;
			if ((ent[i] && !swap) || child[i])
				return fail(c, "mm %u: table 0x%x entry %u is not present but not clear", mm, t->pfn, i);
			used += swap;
			continue;
		}
		used++;
		if (pte_is_leaf(m, depth, ent[i])) {
			if (child[i])
				return fail(c, "mm %u: table 0x%x entry %u is a leaf with a child table", mm, t->pfn, i);
			if (depth + 1 < m->pt->fmt.depth && !(m->pt->fmt.huge_mask >> depth & 1))
				return fail(c, "mm %u: table 0x%x entry %u is a huge leaf where %s has none", mm, t->pfn, i,
					    m->pt->fmt.name);
			continue;
		}
		if (!child[i] || pt_table(m, child[i])->pfn != pte_pfn(m, ent[i]))
			return fail(c, "mm %u: table 0x%x entry %u points to pfn 0x%x, not its child table", mm,
				    t->pfn, i, pte_pfn(m, ent[i]));
		if (check_table(c, mm, child[i], depth + 1, off, i))
			return -1;
	}
	if (used != t->nr_used)
		return fail(c, "mm %u: table 0x%x has %u entries in use but nr_used %u", mm, t->pfn, used, t->nr_used);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The leaf entry mapping va now, or 0. */
static uint64_t current_leaf(const struct machine *m, uint32_t mm, uint64_t va, unsigned *shift)
{
	const struct pt_format *f = &m->pt->fmt;
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d < f->depth; d++) {
		uint32_t i = pt_index(f, va, d);
		uint64_t e = pt_entries(m, t)[i];
		if (!pte_present(m, e))
			return 0;
		if (pte_is_leaf(m, d, e)) {
			*shift = f->shift[d];
			return e;
		}
		t = pt_children(m, t)[i];
	}
	return 0;
}

/* The operation the state is in the middle of, numbered as events number
 * it; 0 between operations.  After a seek, the cursor is inside an
 * operation when the next recorded step belongs to the same one. */
uint32_t pt_op_in_progress(const struct machine *m)
{
	const struct journal *j = &m->j;
	if (m->op_depth)
		return m->op_base + m->nops;
	if (j->on && j->cursor && j->cursor < j->nsteps && j->ops[journal_step_op(j, j->cursor)].first_step != j->cursor)
		return m->op_base + m->nops;
	return 0;
}

static int check_pending(struct ctx *c)
{
	const struct pt_root *r = pt_root(c->m);
	if (!r->pending_mm)
		return r->pending_op || r->pending_va ? fail(c, "no TLB flush is pending but op %u, va 0x%llx are recorded",
							      r->pending_op, (unsigned long long)r->pending_va)
						      : 0;
	if (!r->pending_op || r->pending_op != pt_op_in_progress(c->m))
		return fail(c, "TLB flush of mm %u 0x%llx still pending after op %u ended", r->pending_mm,
			    (unsigned long long)r->pending_va, r->pending_op);
	return 0;
}

static int check_tlb(struct ctx *c)
{
	const struct machine *m = c->m;
	const struct tlb_entry *t = pt_tlb(m);
	uint64_t ad = m->pt->fmt.family == PTF_ARM64 ? ARM_AF | ARM_RDONLY : X86_ACCESSED | X86_DIRTY;
	for (unsigned i = 0; i < m->pt->tlb_entries; i++) {
		if (!t[i].valid)
			continue;
		/* a global entry is the kernel's (vmalloc's init_mm) */
		uint32_t owner = t[i].asid == TLB_GLOBAL_ASID ? vmalloc_root(m)->kernel_mm : t[i].asid;
		if (!pt_mm(m, owner))
			return fail(c, "TLB slot %u caches ASID %u, which no mm has", i, t[i].asid);
		if ((t[i].asid == TLB_GLOBAL_ASID) != pte_global(m, t[i].entry))
			return fail(c, "TLB slot %u: a %s entry under ASID %u", i,
				    pte_global(m, t[i].entry) ? "global" : "non-global", t[i].asid);
		uint64_t va = tlb_entry_va(m, &t[i]);
		const struct pt_root *r = pt_root(m);
		if (r->pending_mm == owner && tlb_entry_va(m, &t[i]) == r->pending_va)
			continue; /* changed, its flush the next step */
		if (vmalloc_lazy_va(m, owner, va))
			continue; /* vfree'd, its flush batched for the lazy purge */
		if (highmem_flush_pending(m, owner, va))
			continue; /* a pkmap slot flush_all_zero_pkmaps cleared, its flush to come */
		unsigned shift = 0;
		uint64_t e = current_leaf(m, owner, va, &shift);
		if (!e || shift != t[i].shift || (e & ~ad) != (t[i].entry & ~ad))
			return fail(c, "TLB slot %u (ASID %u, 0x%llx) is stale: the tables say 0x%llx", i, t[i].asid,
				    (unsigned long long)va, (unsigned long long)e);
		if (i / m->pt->tlb_ways != (t[i].tag % m->pt->tlb_sets))
			return fail(c, "TLB slot %u is in the wrong set", i);
	}
	return 0;
}

int check_pgtables(const struct machine *m, char *why, size_t whylen)
{
	if (!m->pt || !m->pt->fmt.depth)
		return 0;
	struct ctx c = {.m = m, .why = why, .whylen = whylen};
	const struct pt_root *r = pt_root(m);
	int rc = 0;
	for (uint32_t id = 1; id <= r->mms.n && !rc; id++) {
		const struct pt_mm *o = pt_mm(m, id);
		c.tables = 0;
		if (!o)
			continue; /* freed (pt_mm_free) */
		if (o->id != id)
			rc = fail(&c, "mm slot %u holds mm %u", id, o->id);
		else if (check_table(&c, id, o->pgd, 0, 0, 0))
			rc = -1;
		else if (c.tables != o->nr_tables)
			rc = fail(&c, "mm %u: nr_tables %u but %u tables are reachable", id, o->nr_tables, c.tables);
	}
	if (!rc && c.n) {
		qsort(c.pfns, c.n, sizeof *c.pfns, cmp_u32);
		for (size_t i = 1; i < c.n && !rc; i++)
			if (c.pfns[i] == c.pfns[i - 1])
				rc = fail(&c, "table frame 0x%x is reached from two entries", c.pfns[i]);
	}
	if (!rc) {
		size_t frames = 0;
		for (uint32_t p = 0; p < m->nr_frames; p++)
			frames += frame_state(&m->frames[p]) == FS_PAGETABLE;
		if (frames != c.n)
			rc = fail(&c, "%zu frames are page tables but %zu tables are reachable", frames, c.n);
	}
	if (!rc)
		rc = check_pending(&c);
	if (!rc)
		rc = check_tlb(&c);
	free(c.pfns);
	return rc;
}
