/*
 * Page tables as the kernel builds them (mm/memory.c, mm/pgtable-generic.c,
 * arch/x86/mm/pgtable.c, arch/arm64/mm/pgd.c):
 * - mm_alloc gives an mm its top table (pgd_alloc) and an ASID/PCID;
 * - map walks pgd_offset/p4d_offset/pud_offset/pmd_offset/pte_offset and
 *   allocates each missing table on demand (__p4d_alloc, __pud_alloc,
 *   __pmd_alloc, __pte_alloc) from the buddy allocator, marking its frame a
 *   page table (pagetable_alloc, __folio_set_pgtable); a huge page is a leaf
 *   at PMD (2M) or PUD (1G) with PSE set on x86, a block descriptor on arm64;
 * - entries carry the hardware bits at their real positions: x86's
 *   present/RW/USER/accessed/dirty/PSE/NX (pgtable_types.h), arm64's
 *   valid/table/AP/AF/nG/DBM/PXN/UXN (pgtable-hwdef.h), with the writable but
 *   clean arm64 page read-only until hardware dirty management clears
 *   PTE_RDONLY (as pte_mkclean leaves it);
 * - remap points a leaf at another frame (a copy-on-write break);
 * - mm_free gives an empty mm's top table back (pgd_free);
 * - unmap clears the entry, flushes the page from the TLB (flush_tlb_page)
 *   and frees tables that became empty (free_pgtables, pte_free);
 * - kernel mappings (vmalloc's vmap_pages_range, vunmap_range_noflush) are
 *   PAGE_KERNEL leaves; unmapping one clears it only: the flush is batched
 *   by the caller and kernel page tables are never freed.
 * Simplifications: the kernel frees page tables only when a whole range is
 * unmapped, here as soon as a table is empty; user entries start with the
 * accessed bit clear so the walk can be seen setting it (Linux presets it);
 * the PAE top table takes a whole page; every table takes one frame.
 */
#include "pgtable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"
#include "page_alloc.h"
#include "xalloc.h"

const char *const pt_access_names[NR_ACC] = {"read", "write", "exec"};
const char *const pt_fault_names[NR_PT_FAULTS] = {
	"none", "not present", "write to a read-only page", "user access to a supervisor page",
	"execute of a no-execute page",
};

#define TLB_DEFAULT_ENTRIES 64
#define TLB_DEFAULT_WAYS 4

static uint32_t pt_arena_alloc(struct machine *m, uint32_t bytes)
{
	return arena_alloc(m, &m->pt->arena, (bytes + 7) & ~7u);
}

void pgtable_init(struct machine *m)
{
	struct pgtable *pt = xcalloc(1, sizeof *pt);
	m->pt = pt;
	if (m->cfg.toy.depth)
		pt->fmt = m->cfg.toy;
	else if (!pt_format_by_arch(m->cfg.arch->name, &pt->fmt) || (1u << pt->fmt.offset_bits) != m->cfg.page_size)
		pt->fmt.depth = 0; /* page sizes other than the arch's: no page tables */
	arena_init(m, &pt->arena);
	pt->root = pt_arena_alloc(m, sizeof(struct pt_root));
	pt->tlb_entries = m->cfg.tlb_entries ? m->cfg.tlb_entries : TLB_DEFAULT_ENTRIES;
	pt->tlb_ways = m->cfg.tlb_ways ? m->cfg.tlb_ways : TLB_DEFAULT_WAYS;
	if (pt->tlb_ways > pt->tlb_entries || pt->tlb_entries % pt->tlb_ways)
		pt->tlb_ways = pt->tlb_entries;
	pt->tlb_sets = pt->tlb_entries / pt->tlb_ways;
	pt->tlb = pt_arena_alloc(m, pt->tlb_entries * (uint32_t)sizeof(struct tlb_entry));
}

void pgtable_free(struct machine *m)
{
	free(m->pt); /* the arena itself is freed with the machine's arenas */
	m->pt = NULL;
}

static uint32_t header_bytes(void) { return (uint32_t)sizeof(struct pt_table); }

uint64_t *pt_entries(const struct machine *m, uint32_t table)
{
	return arena_ptr(&m->pt->arena, table + header_bytes());
}

uint32_t *pt_children(const struct machine *m, uint32_t table)
{
	unsigned n = pt_nr_entries(m, pt_table(m, table)->depth);
	return arena_ptr(&m->pt->arena, table + header_bytes() + n * 8);
}

struct pt_mm *pt_mm(const struct machine *m, uint32_t id)
{
	uint32_t off = idr_find(&m->pt->arena, &pt_root(m)->mms, id);
	if (!off)
		return NULL;
	struct pt_mm *o = arena_ptr(&m->pt->arena, off);
	return o->pgd ? o : NULL; /* 0 once pt_mm_free gave its PGD back */
}

struct tlb_entry *pt_tlb(const struct machine *m)
{
	return arena_ptr(&m->pt->arena, m->pt->tlb);
}

uint32_t pte_pfn(const struct machine *m, uint64_t e)
{
	return (uint32_t)((e >> m->pt->fmt.pfn_shift) & PT_PFN_MASK);
}

bool pte_present(const struct machine *m, uint64_t e)
{
	return m->pt->fmt.family == PTF_ARM64 ? (e & ARM_VALID) != 0 : (e & X86_PRESENT) != 0;
}

bool pte_is_leaf(const struct machine *m, unsigned depth, uint64_t e)
{
	if (depth + 1 == m->pt->fmt.depth)
		return true;
	return m->pt->fmt.family == PTF_ARM64 ? !(e & ARM_TABLE) : (e & X86_PSE) != 0;
}

bool pte_global(const struct machine *m, uint64_t e)
{
	/* arm64's global kernel leaves (no nG) live in TTBR1 tables, which the
	 * model does not build: its leaves here are never global */
	return m->pt->fmt.family != PTF_ARM64 && m->pt->fmt.pfn_shift > 8 && (e & X86_GLOBAL);
}

uint32_t pt_index(const struct pt_format *f, uint64_t va, unsigned depth)
{
	return (uint32_t)((va >> f->shift[depth]) & ((1ull << f->bits[depth]) - 1));
}

uint64_t pt_va_mask(const struct pt_format *f)
{
	return f->va_bits >= 64 ? UINT64_MAX : (1ull << f->va_bits) - 1;
}

bool pt_canonical(const struct pt_format *f, uint64_t va)
{
	uint64_t high = va & ~pt_va_mask(f);
	if (!f->sign_extend)
		return high == 0;
	bool top = (va >> (f->va_bits - 1)) & 1;
	return high == (top ? ~pt_va_mask(f) : 0);
}

int pt_parse_prot(const char *s, char *why, size_t whylen)
{
	int prot = 0;
	for (const char *p = s; *p; p++) {
		const char *at = strchr("rwxu", *p);
		if (!at) {
			snprintf(why, whylen, "prot \"%s\": '%c' is not one of the letters r, w, x, u", s, *p);
			return -1;
		}
		int bit = 1 << (at - "rwxu");
		if (prot & bit) {
			snprintf(why, whylen, "prot \"%s\": '%c' is given twice", s, *p);
			return -1;
		}
		prot |= bit;
	}
	if (!(prot & PROT_R)) {
		snprintf(why, whylen,
			 "prot \"%s\" has no 'r': the hardware cannot map a page it may write or execute but not read",
			 s);
		return -1;
	}
	return prot;
}

/* The entry that maps a page (or a huge page at a higher depth). */
static uint64_t make_leaf(const struct machine *m, unsigned depth, uint32_t pfn, unsigned prot)
{
	const struct pt_format *f = &m->pt->fmt;
	uint64_t e = (uint64_t)pfn << f->pfn_shift;
	bool last = depth + 1 == f->depth;
	if (f->family == PTF_ARM64) {
		e |= ARM_VALID | ARM_SH_INNER | (last ? ARM_TABLE : 0);
		e |= ARM_RDONLY | ((prot & PROT_W) ? ARM_DBM : 0);
		if (prot & PROT_U)
			e |= ARM_USER | ARM_NG | ARM_PXN | ((prot & PROT_X) ? 0 : ARM_UXN);
		else
			e |= ARM_UXN | ((prot & PROT_X) ? 0 : ARM_PXN);
		return e;
	}
	e |= X86_PRESENT | ((prot & PROT_W) ? X86_RW : 0) | ((prot & PROT_U) ? X86_USER : 0);
	e |= last ? 0 : X86_PSE;
	if (f->family == PTF_X86 && !(prot & PROT_X))
		e |= X86_NX;
	return e;
}

/* The entry that points to a lower table (_PAGE_TABLE; PMD_TYPE_TABLE). */
static uint64_t make_table_entry(const struct machine *m, unsigned depth, uint32_t pfn)
{
	const struct pt_format *f = &m->pt->fmt;
	uint64_t e = (uint64_t)pfn << f->pfn_shift;
	if (f->family == PTF_ARM64)
		return e | ARM_VALID | ARM_TABLE;
	/* PAE's top-level entries (PDPTEs) take the present bit only. */
	if (depth == 0 && f->family == PTF_X86 && f->va_bits == 32)
		return e | X86_PRESENT;
	return e | X86_PRESENT | X86_RW | X86_USER | X86_ACCESSED | X86_DIRTY;
}

static uint32_t table_bytes(const struct machine *m, unsigned depth)
{
	return header_bytes() + pt_nr_entries(m, depth) * 12;
}

/* A table page from the buddy allocator; MM_NOMEM passes through. */
static int table_alloc(struct machine *m, uint32_t mm, unsigned depth, uint32_t parent, uint32_t index,
		       uint32_t *out)
{
	uint32_t pfn;
	int rc = alloc_pages(m, 0, GFP_KERNEL, -1, &pfn);
	if (rc != MM_OK)
		return rc;
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_PAGETABLE, 0));
	struct pt_root *r = pt_root(m);
	uint32_t off = r->free_tables[depth];
	if (off)
		jset32(&m->j, &r->free_tables[depth], pt_table(m, off)->next_free);
	else
		off = pt_arena_alloc(m, table_bytes(m, depth));
	struct pt_table *t = pt_table(m, off);
	jset32(&m->j, &t->pfn, pfn);
	jset32(&m->j, &t->depth, depth);
	jset32(&m->j, &t->mm, mm);
	jset32(&m->j, &t->parent, parent);
	jset32(&m->j, &t->index, index);
	jset32(&m->j, &t->nr_used, 0);
	jset32(&m->j, &t->next_free, 0);
	jset32(&m->j, &t->born, mm_next_step(m));
	struct pt_mm *o = pt_mm(m, mm);
	if (o)
		jset32(&m->j, &o->nr_tables, o->nr_tables + 1);
	*out = off;
	return MM_OK;
}

/* Give an empty table back: unlink it from its parent, free its page. */
static void table_free(struct machine *m, uint32_t off)
{
	struct pt_table *t = pt_table(m, off);
	struct pt_table *p = pt_table(m, t->parent);
	uint32_t pfn = t->pfn, index = t->index;
	jset64(&m->j, &pt_entries(m, t->parent)[index], 0);
	jset32(&m->j, &pt_children(m, t->parent)[index], 0);
	jset32(&m->j, &p->nr_used, p->nr_used - 1);
	struct pt_mm *o = pt_mm(m, t->mm);
	jset32(&m->j, &o->nr_tables, o->nr_tables - 1);
	struct pt_root *r = pt_root(m);
	jset32(&m->j, &t->next_free, r->free_tables[t->depth]);
	jset32(&m->j, &r->free_tables[t->depth], off);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, 0));
	EMIT(m, EV_PGTABLE_FREE, t->mm, m->pt->fmt.level[t->depth], pfn, p->pfn, index);
	free_pages(m, pfn, 0);
}

static int check_mm(struct machine *m, const char *fn, uint32_t mm)
{
	if (!m->pt->fmt.depth)
		return mm_error(m, "%s: no page tables on this machine (its page size is not the %s's)", fn,
				m->cfg.arch->name);
	if (!pt_mm(m, mm))
		return mm_error(m, "%s: mm %u does not exist", fn, mm);
	return MM_OK;
}

static int check_va(struct machine *m, const char *fn, uint64_t va)
{
	const struct pt_format *f = &m->pt->fmt;
	if (pt_canonical(f, va))
		return MM_OK;
	if (f->sign_extend)
		return mm_error(m,
				"%s: 0x%llx is not canonical: on %s bits 63..%u must all equal bit %u (0 or 1)", fn,
				(unsigned long long)va, f->name, f->va_bits, f->va_bits - 1);
	return mm_error(m, "%s: 0x%llx does not fit in the %u-bit virtual addresses of %s", fn,
			(unsigned long long)va, f->va_bits, f->name);
}

int pt_mm_alloc(struct machine *m, uint32_t *id)
{
	if (!m->pt->fmt.depth)
		return mm_error(m, "mm_alloc: no page tables on this machine (its page size is not the %s's)",
				m->cfg.arch->name);
	struct pt_root *r = pt_root(m);
	if (r->mms.n == IDR_MAX)
		return mm_error(m, "mm_alloc: all %u address-space ids are used (memstep never reuses one)", IDR_MAX);
	mm_op_begin(m);
	uint32_t mid = r->mms.n + 1;
	uint32_t pgd;
	int rc = table_alloc(m, mid, 0, 0, 0, &pgd);
	if (rc != MM_OK) {
		mm_op_end(m); /* no page for the PGD: the mm does not come to be */
		return rc;
	}
	uint32_t off = pt_arena_alloc(m, sizeof(struct pt_mm));
	struct pt_mm *o = arena_ptr(&m->pt->arena, off);
	jset32(&m->j, &o->id, mid);
	jset32(&m->j, &o->born, mm_next_step(m));
	jset32(&m->j, &o->pgd, pgd);
	jset32(&m->j, &o->nr_tables, 1);
	idr_alloc(m, &m->pt->arena, &pt_root(m)->mms, off);
	EMIT(m, EV_MM_ALLOC, mid, pt_table(m, pgd)->pfn);
	mm_op_end(m);
	*id = mid;
	return MM_OK;
}

/* Size of what a leaf at depth d maps, as log2 bytes. */
static unsigned leaf_shift(const struct machine *m, unsigned depth)
{
	return m->pt->fmt.shift[depth];
}

/* Find the leaf that maps va: its table and depth; 0 if none. */
static uint32_t find_leaf(const struct machine *m, uint32_t mm, uint64_t va, unsigned *depth)
{
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d < m->pt->fmt.depth; d++) {
		uint64_t e = pt_entries(m, t)[pt_index(&m->pt->fmt, va, d)];
		if (!pte_present(m, e))
			return 0;
		if (pte_is_leaf(m, d, e)) {
			*depth = d;
			return t;
		}
		t = pt_children(m, t)[pt_index(&m->pt->fmt, va, d)];
	}
	return 0;
}

/* The tables down to depth target on va's path, allocated where missing
 * (__pud_alloc, __pmd_alloc, __pte_alloc); *out is the one at target. */
static int alloc_path(struct machine *m, uint32_t mm, uint64_t va, unsigned target, uint32_t *out)
{
	const struct pt_format *f = &m->pt->fmt;
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d < target; d++) {
		uint32_t i = pt_index(f, va, d);
		if (!pte_present(m, pt_entries(m, t)[i])) {
			uint32_t child;
			int rc = table_alloc(m, mm, d + 1, t, i, &child);
			if (rc != MM_OK)
				return rc;
			uint32_t cpfn = pt_table(m, child)->pfn;
			jset64(&m->j, &pt_entries(m, t)[i], make_table_entry(m, d, cpfn));
			jset32(&m->j, &pt_children(m, t)[i], child);
			jset32(&m->j, &pt_table(m, t)->nr_used, pt_table(m, t)->nr_used + 1);
			uint64_t base = va & ~((1ull << f->shift[d]) - 1);
			EMIT(m, EV_PGTABLE_ALLOC, mm, f->level[d + 1], cpfn, (int64_t)base, pt_table(m, t)->pfn, i);
		}
		t = pt_children(m, t)[i];
	}
	*out = t;
	return MM_OK;
}

int pt_populate(struct machine *m, uint32_t mm, uint64_t va)
{
	if (check_mm(m, "populate", mm) || check_va(m, "populate", va))
		return MM_EINVAL;
	uint32_t t;
	mm_op_begin(m);
	int rc = alloc_path(m, mm, va, m->pt->fmt.depth - 1, &t);
	mm_op_end(m);
	return rc;
}

uint64_t pt_kernel_leaf(const struct machine *m, uint32_t pfn)
{
	uint64_t e = make_leaf(m, m->pt->fmt.depth - 1, pfn, PROT_R | PROT_W);
	if (m->pt->fmt.family == PTF_ARM64)
		return (e & ~ARM_RDONLY) | ARM_AF;
	/* a toy entry has no global bit: its bit 8 is the pfn's lowest */
	return e | X86_ACCESSED | X86_DIRTY | (m->pt->fmt.pfn_shift > 8 ? X86_GLOBAL : 0);
}

static int map_leaf(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned order, unsigned prot,
		    bool kernel);

int pt_map(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned order, unsigned prot)
{
	return map_leaf(m, mm, va, pfn, order, prot, false);
}

int pt_map_kernel(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn)
{
	return map_leaf(m, mm, va, pfn, 0, PROT_R | PROT_W, true);
}

static int map_leaf(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned order, unsigned prot,
		    bool kernel)
{
	if (check_mm(m, "map", mm) || check_va(m, "map", va))
		return MM_EINVAL;
	const struct pt_format *f = &m->pt->fmt;
	char sz[16];
	/* the depth whose leaves are this size */
	unsigned target = f->depth - 1;
	if (order) {
		unsigned d = 0;
		while (d + 1 < f->depth && !((f->huge_mask >> d & 1) && (unsigned)(f->shift[d] - f->offset_bits) == order))
			d++;
		if (d + 1 == f->depth)
			return mm_error(m, "map: %s maps pages of order 0 or huge pages, not an order-%u block", f->name,
					order);
		target = d;
	}
	unsigned shift = leaf_shift(m, target);
	if (va & ((1ull << shift) - 1))
		return mm_error(m, "map: 0x%llx is not aligned to the %s page it would map", (unsigned long long)va,
				pt_size_text(shift, sz, sizeof sz));
	if ((uint64_t)pfn + (1ull << order) > m->nr_frames || (pfn & ((1u << order) - 1)))
		return mm_error(m, "map: pfn 0x%x is not the start of an order-%u block in memory (pfns 0..0x%x)", pfn,
				order, m->nr_frames - 1);
	uint64_t end = ((uint64_t)pfn + (1ull << order)) << m->page_shift;
	if ((f->pa_bits < 64 && end > (1ull << f->pa_bits)) ||
	    (f->entry_size == 4 && pfn + (1ull << order) > (1ull << (32 - f->pfn_shift))))
		return mm_error(m, "map: pfn 0x%x is beyond what a %s entry can address (%u physical bits)", pfn, f->name,
				f->pa_bits);
	if (!(prot & PROT_R) || prot > 15)
		return mm_error(m, "map: prot must include r");
	/* refuse to map over a mapping */
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d <= target && t; d++) {
		uint32_t i = pt_index(f, va, d);
		uint64_t e = pt_entries(m, t)[i];
		if (e && !pte_present(m, e) && d + 1 == f->depth)
			return mm_error(m, "map: 0x%llx holds a swap entry: a fault brings its page back",
					(unsigned long long)va);
		if (!pte_present(m, e))
			break;
		if (pte_is_leaf(m, d, e))
			return mm_error(m, "map: 0x%llx is already mapped (by a %s page at %s level, pfn 0x%x): unmap it first",
					(unsigned long long)va, pt_size_text(leaf_shift(m, d), sz, sizeof sz),
					pt_level_names[f->level[d]], pte_pfn(m, e));
		if (d == target)
			return mm_error(m, "map: pages inside the %s at 0x%llx are mapped through a %s table: unmap them first",
					pt_size_text(shift, sz, sizeof sz), (unsigned long long)va,
					pt_level_names[f->level[d + 1]]);
		t = pt_children(m, t)[i];
	}

	mm_op_begin(m);
	int rc = alloc_path(m, mm, va, target, &t);
	if (rc != MM_OK) {
		mm_op_end(m);
		return rc;
	}
	uint32_t i = pt_index(f, va, target);
	uint64_t e = kernel ? pt_kernel_leaf(m, pfn) : make_leaf(m, target, pfn, prot);
	jset64(&m->j, &pt_entries(m, t)[i], e);
	jset32(&m->j, &pt_table(m, t)->nr_used, pt_table(m, t)->nr_used + 1);
	EMIT(m, EV_SET_PTE, mm, (int64_t)va, f->level[target], pt_table(m, t)->pfn, i, (int64_t)e, pfn, order);
	mm_op_end(m);
	return MM_OK;
}

void pt_pending_flush(struct machine *m, uint32_t mm, uint64_t va)
{
	struct pt_root *r = pt_root(m);
	jset32(&m->j, &r->pending_mm, mm);
	jset32(&m->j, &r->pending_op, m->op_base + m->nops);
	jset64(&m->j, &r->pending_va, va);
}

/* The leaf mapping va, checked for unmap and protect. */
static int leaf_at(struct machine *m, const char *fn, uint32_t mm, uint64_t va, uint32_t *table, unsigned *depth)
{
	if (check_mm(m, fn, mm) || check_va(m, fn, va))
		return MM_EINVAL;
	*table = find_leaf(m, mm, va, depth);
	if (!*table)
		return mm_error(m, "%s: nothing is mapped at 0x%llx in mm %u", fn, (unsigned long long)va, mm);
	unsigned shift = leaf_shift(m, *depth);
	char sz[16];
	if (va & ((1ull << shift) - 1))
		return mm_error(m, "%s: 0x%llx is inside the %s page mapped at 0x%llx: give its start", fn,
				(unsigned long long)va, pt_size_text(shift, sz, sizeof sz),
				(unsigned long long)(va & ~((1ull << shift) - 1)));
	return MM_OK;
}

/* Clear a leaf; a user one is flushed and its emptied tables freed, a
 * kernel one is not (vunmap_range_noflush). */
static int unmap_leaf(struct machine *m, const char *fn, uint32_t mm, uint64_t va, bool kernel)
{
	uint32_t t;
	unsigned depth;
	if (leaf_at(m, fn, mm, va, &t, &depth))
		return MM_EINVAL;
	const struct pt_format *f = &m->pt->fmt;
	mm_op_begin(m);
	uint32_t i = pt_index(f, va, depth);
	uint64_t old = pt_entries(m, t)[i];
	jset64(&m->j, &pt_entries(m, t)[i], 0);
	jset32(&m->j, &pt_table(m, t)->nr_used, pt_table(m, t)->nr_used - 1);
	if (!kernel)
		pt_pending_flush(m, mm, va);
	EMIT(m, EV_CLEAR_PTE, mm, (int64_t)va, f->level[depth], pt_table(m, t)->pfn, i, (int64_t)old, pte_pfn(m, old),
	     leaf_shift(m, depth) - f->offset_bits);
	if (!kernel) {
		pt_tlb_flush(m, mm, va, false);
		/* free the tables this left empty, bottom up; never the PGD */
		while (pt_table(m, t)->depth > 0 && pt_table(m, t)->nr_used == 0) {
			uint32_t parent = pt_table(m, t)->parent;
			table_free(m, t);
			t = parent;
		}
	}
	mm_op_end(m);
	return MM_OK;
}

int pt_unmap(struct machine *m, uint32_t mm, uint64_t va)
{
	return unmap_leaf(m, "unmap", mm, va, false);
}

int pt_unmap_kernel(struct machine *m, uint32_t mm, uint64_t va)
{
	return unmap_leaf(m, "vunmap", mm, va, true);
}

uint64_t pt_make_pte(const struct machine *m, uint32_t pfn, unsigned prot)
{
	return make_leaf(m, m->pt->fmt.depth - 1, pfn, prot);
}

uint64_t pt_set_pte_raw(struct machine *m, uint32_t mm, uint64_t va, uint64_t e)
{
	uint32_t t;
	alloc_path(m, mm, va, m->pt->fmt.depth - 1, &t); /* the tables are there: nothing allocated */
	uint64_t *cell = &pt_entries(m, t)[pt_index(&m->pt->fmt, va, m->pt->fmt.depth - 1)];
	uint64_t old = *cell;
	jset64(&m->j, cell, e);
	if (!old != !e)
		jset32(&m->j, &pt_table(m, t)->nr_used, pt_table(m, t)->nr_used + (e ? 1 : -1));
	if (pte_present(m, old))
		pt_pending_flush(m, mm, va);
	return old;
}

void pt_pte_done(struct machine *m, uint32_t mm, uint64_t va, uint64_t old)
{
	if (pte_present(m, old))
		pt_tlb_flush(m, mm, va, false);
	uint32_t t;
	alloc_path(m, mm, va, m->pt->fmt.depth - 1, &t);
	while (pt_table(m, t)->depth > 0 && pt_table(m, t)->nr_used == 0) {
		uint32_t parent = pt_table(m, t)->parent;
		table_free(m, t);
		t = parent;
	}
}

uint64_t pt_leaf_entry(const struct machine *m, uint32_t mm, uint64_t va)
{
	unsigned depth;
	if (!m->pt->fmt.depth || !pt_mm(m, mm) || !pt_canonical(&m->pt->fmt, va))
		return 0;
	uint32_t t = find_leaf(m, mm, va, &depth);
	return t ? pt_entries(m, t)[pt_index(&m->pt->fmt, va, depth)] : 0;
}

/* Rewrite the leaf at va: pfn (PFN_NONE keeps it) with prot, keeping
 * what the hardware recorded when the frame stays (pte_modify). */
static int set_leaf(struct machine *m, const char *fn, uint32_t mm, uint64_t va, uint32_t pfn, unsigned prot)
{
	uint32_t t;
	unsigned depth;
	if (leaf_at(m, fn, mm, va, &t, &depth))
		return MM_EINVAL;
	if (!(prot & PROT_R) || prot > 15)
		return mm_error(m, "%s: prot must include r", fn);
	const struct pt_format *f = &m->pt->fmt;
	uint32_t i = pt_index(f, va, depth);
	uint64_t old = pt_entries(m, t)[i];
	bool keep = pfn == PFN_NONE;
	uint64_t e = make_leaf(m, depth, keep ? pte_pfn(m, old) : pfn, prot);
	if (!keep) {
		/* a new frame: nothing recorded yet */
	} else if (f->family == PTF_ARM64) {
		e |= old & ARM_AF;
		if ((old & ARM_DBM) && !(old & ARM_RDONLY) && (e & ARM_DBM))
			e &= ~ARM_RDONLY;
	} else {
		e |= old & (X86_ACCESSED | X86_DIRTY);
	}
	mm_op_begin(m);
	jset64(&m->j, &pt_entries(m, t)[i], e);
	pt_pending_flush(m, mm, va);
	EMIT(m, EV_SET_PTE, mm, (int64_t)va, f->level[depth], pt_table(m, t)->pfn, i, (int64_t)e, pte_pfn(m, e),
	     leaf_shift(m, depth) - f->offset_bits);
	pt_tlb_flush(m, mm, va, false);
	mm_op_end(m);
	return MM_OK;
}

int pt_protect(struct machine *m, uint32_t mm, uint64_t va, unsigned prot)
{
	return set_leaf(m, "protect", mm, va, PFN_NONE, prot);
}

int pt_remap(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned prot)
{
	return set_leaf(m, "remap", mm, va, pfn, prot);
}

/* ---- migration entries (pgtable.h) ---- */

static uint64_t migration_bit(const struct machine *m)
{
	if (m->pt->fmt.family == PTF_ARM64)
		return 1ull << 56;
	/* bit 8 (x86's PROTNONE position), which no x86 swap entry sets
	 * (swapops.c); a toy entry's pfn starts at bit 8: a flag bit below */
	return m->pt->fmt.pfn_shift > 9 ? 1ull << 8 : 1ull << 3;
}

/* The bits a migration entry carries from the leaf: the pfn, write,
 * accessed and dirty. */
static uint64_t migration_carried(const struct machine *m)
{
	uint64_t pfn = (uint64_t)PT_PFN_MASK << m->pt->fmt.pfn_shift;
	if (m->pt->fmt.family == PTF_ARM64)
		return pfn | ARM_DBM | ARM_RDONLY | ARM_AF;
	return pfn | X86_RW | X86_ACCESSED | X86_DIRTY;
}

bool is_migration_entry(const struct machine *m, uint64_t e)
{
	return !pte_present(m, e) && (e & migration_bit(m));
}

bool is_writable_migration_entry(const struct machine *m, uint64_t e)
{
	if (!is_migration_entry(m, e))
		return false;
	return m->pt->fmt.family == PTF_ARM64 ? (e & ARM_DBM) != 0 : (e & X86_RW) != 0;
}

/* The last-level table holding va's PTE, or 0 if a table above is missing
 * or maps a huge page. */
static uint32_t pte_table(const struct machine *m, uint32_t mm, uint64_t va)
{
	const struct pt_format *f = &m->pt->fmt;
	if (!f->depth || !pt_mm(m, mm))
		return 0;
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d + 1 < f->depth; d++) {
		uint64_t e = pt_entries(m, t)[pt_index(f, va, d)];
		if (!pte_present(m, e) || pte_is_leaf(m, d, e))
			return 0;
		t = pt_children(m, t)[pt_index(f, va, d)];
	}
	return t;
}

uint64_t pt_make_migration(struct machine *m, uint32_t mm, uint64_t va)
{
	uint32_t t = pte_table(m, mm, va);
	if (!t)
		return 0;
	uint64_t *cell = &pt_entries(m, t)[pt_index(&m->pt->fmt, va, m->pt->fmt.depth - 1)];
	if (!pte_present(m, *cell))
		return 0;
	uint64_t e = (*cell & migration_carried(m)) | migration_bit(m);
	jset64(&m->j, cell, e);
	pt_pending_flush(m, mm, va);
	return e;
}

uint64_t pt_restore_migration(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned prot)
{
	uint32_t t = pte_table(m, mm, va);
	if (!t)
		return 0;
	const struct pt_format *f = &m->pt->fmt;
	uint64_t *cell = &pt_entries(m, t)[pt_index(f, va, f->depth - 1)];
	if (!is_migration_entry(m, *cell))
		return 0;
	uint64_t e = make_leaf(m, f->depth - 1, pfn, prot);
	e |= *cell & (f->family == PTF_ARM64 ? ARM_AF : X86_ACCESSED | X86_DIRTY);
	jset64(&m->j, cell, e);
	return e;
}

static bool maps_leaf(const struct machine *m, uint32_t t)
{
	unsigned d = pt_table(m, t)->depth;
	for (uint32_t i = 0; i < pt_nr_entries(m, d); i++) {
		uint64_t e = pt_entries(m, t)[i];
		if (pte_present(m, e) && (pte_is_leaf(m, d, e) || maps_leaf(m, pt_children(m, t)[i])))
			return true;
	}
	return false;
}

static void free_subtables(struct machine *m, uint32_t t)
{
	unsigned d = pt_table(m, t)->depth;
	for (uint32_t i = 0; i < pt_nr_entries(m, d); i++)
		if (pte_present(m, pt_entries(m, t)[i])) {
			uint32_t c = pt_children(m, t)[i];
			free_subtables(m, c);
			table_free(m, c);
		}
}

int pt_mm_free(struct machine *m, uint32_t id)
{
	if (check_mm(m, "mm_free", id))
		return MM_EINVAL;
	struct pt_mm *o = pt_mm(m, id);
	if (maps_leaf(m, o->pgd))
		return mm_error(m, "mm_free: mm %u still maps memory: unmap it first", id);
	mm_op_begin(m);
	pt_tlb_flush(m, id, 0, true);
	free_subtables(m, o->pgd); /* free_pgtables: tables left empty by faults that failed */
	uint32_t off = o->pgd, pfn = pt_table(m, off)->pfn;
	struct pt_root *r = pt_root(m);
	jset32(&m->j, &o->pgd, 0);
	jset32(&m->j, &o->nr_tables, 0);
	jset32(&m->j, &pt_table(m, off)->next_free, r->free_tables[0]);
	jset32(&m->j, &r->free_tables[0], off);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, 0));
	EMIT(m, EV_PGTABLE_FREE, id, m->pt->fmt.level[0], pfn, 0, 0);
	free_pages(m, pfn, 0);
	mm_op_end(m);
	return MM_OK;
}
