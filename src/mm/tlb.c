/*
 * The TLB: a set-associative cache of leaf entries tagged with the mm's
 * ASID (arm64) / PCID (x86), so switching mms needs no flush; a global
 * leaf (the kernel's vmalloc pages) is cached under ASID 0 and matches in
 * every mm, and only a page flush or a full flush drops it.  A lookup
 * probes each page size the format has (hardware keeps one array per size;
 * here they share the sets).  Replacement is least recently used within the
 * set.  Flushes model flush_tlb_page (INVLPG, TLBI VAE1IS) and flush_tlb_mm
 * (a PCID/ASID-wide invalidation); the kernel's lazy and batched flushing is
 * not modelled for user mappings: every unmap and protection change flushes
 * at once (vmalloc batches the kernel's flushes: vmalloc.c).  The tag is
 * the mm's id, never reused, as if the hardware had an ASID for every mm:
 * real tags are few (x86 PCIDs, of which Linux uses 6 per CPU and recycles
 * them, choose_new_asid; arm64's 8 or 16-bit ASIDs, re-issued by
 * generation with a full flush at rollover) and that recycling is not
 * modelled.
 */
#include "pgtable.h"
#include "tlb.h"

static uint64_t tlb_tag(const struct machine *m, uint64_t va, unsigned shift)
{
	return (va & pt_va_mask(&m->pt->fmt)) >> shift;
}

static bool can_be_leaf(const struct pt_format *f, unsigned d)
{
	return d + 1 == f->depth || (f->huge_mask >> d & 1);
}

int tlb_lookup(const struct machine *m, uint32_t asid, uint64_t va, uint32_t *set)
{
	const struct pt_format *f = &m->pt->fmt;
	const struct tlb_entry *t = pt_tlb(m);
	unsigned ways = m->pt->tlb_ways;
	*set = (uint32_t)(tlb_tag(m, va, f->offset_bits) % m->pt->tlb_sets);
	for (unsigned d = f->depth; d-- > 0;) {
		if (!can_be_leaf(f, d))
			continue;
		uint64_t tag = tlb_tag(m, va, f->shift[d]);
		uint32_t s = (uint32_t)(tag % m->pt->tlb_sets);
		for (unsigned w = 0; w < ways; w++) {
			const struct tlb_entry *e = &t[s * ways + w];
			bool mine = e->asid == asid || e->asid == TLB_GLOBAL_ASID;
			if (e->valid && mine && e->shift == f->shift[d] && e->tag == tag) {
				*set = s;
				return (int)(s * ways + w);
			}
		}
	}
	return -1;
}

void tlb_huge_sets(const struct machine *m, uint64_t va, int64_t *set1, int64_t *set2)
{
	const struct pt_format *f = &m->pt->fmt;
	int64_t *out[2] = {set1, set2};
	unsigned k = 0;
	*set1 = *set2 = -1;
	for (unsigned d = f->depth - 1; d-- > 0 && k < 2;)
		if (can_be_leaf(f, d))
			*out[k++] = (int64_t)(tlb_tag(m, va, f->shift[d]) % m->pt->tlb_sets);
}

void tlb_touch(struct machine *m, unsigned slot)
{
	struct pt_root *r = pt_root(m);
	jset32(&m->j, &r->clock, r->clock + 1);
	jset32(&m->j, &pt_tlb(m)[slot].lru, r->clock);
}

uint64_t tlb_entry_va(const struct machine *m, const struct tlb_entry *e)
{
	const struct pt_format *f = &m->pt->fmt;
	uint64_t va = e->tag << e->shift;
	if (f->sign_extend && (va >> (f->va_bits - 1) & 1))
		va |= ~pt_va_mask(f);
	return va;
}

void tlb_fill(struct machine *m, uint32_t asid, uint64_t va, unsigned shift, uint64_t entry, uint32_t table,
	      uint32_t index)
{
	unsigned ways = m->pt->tlb_ways;
	uint64_t tag = tlb_tag(m, va, shift);
	uint32_t set = (uint32_t)(tag % m->pt->tlb_sets);
	struct tlb_entry *t = pt_tlb(m) + set * ways;
	unsigned victim = 0;
	for (unsigned w = 0; w < ways; w++) {
		if (!t[w].valid) {
			victim = w;
			break;
		}
		if (t[w].lru < t[victim].lru)
			victim = w;
	}
	struct tlb_entry *e = &t[victim];
	struct pt_root *r = pt_root(m);
	if (e->valid) {
		uint64_t old_va = tlb_entry_va(m, e);
		uint32_t old_asid = e->asid, old_pfn = pte_pfn(m, e->entry);
		jset32(&m->j, &e->valid, 0);
		jset32(&m->j, &r->evictions, r->evictions + 1);
		EMIT(m, EV_TLB_EVICT, old_asid, (int64_t)old_va, set, victim, old_pfn);
	}
	jset32(&m->j, &e->valid, 1);
	jset32(&m->j, &e->asid, asid);
	jset64(&m->j, &e->tag, tag);
	jset64(&m->j, &e->entry, entry);
	jset32(&m->j, &e->shift, shift);
	jset32(&m->j, &e->table, table);
	jset32(&m->j, &e->index, index);
	jset32(&m->j, &r->fills, r->fills + 1);
	tlb_touch(m, set * ways + victim);
	EMIT(m, EV_TLB_FILL, asid, (int64_t)(va & ~((1ull << shift) - 1)), set, victim, pte_pfn(m, entry),
	     shift - m->pt->fmt.offset_bits);
}

/* Drop entry i if the flush covers it: an mm flush keeps global entries, a
 * page flush (INVLPG) drops them too; a page flush only its page's tag. */
static int flush_entry(struct machine *m, unsigned i, uint32_t mm, uint64_t va, bool all)
{
	struct tlb_entry *e = &pt_tlb(m)[i];
	bool global = e->asid == TLB_GLOBAL_ASID && !all;
	if (!e->valid || (mm && e->asid != mm && !global))
		return 0;
	if (!all && e->tag != tlb_tag(m, va, e->shift))
		return 0;
	jset32(&m->j, &e->valid, 0);
	return 1;
}

int pt_tlb_flush(struct machine *m, uint32_t mm, uint64_t va, bool all)
{
	const struct pt_format *f = &m->pt->fmt;
	struct pt_root *r = pt_root(m);
	unsigned ways = m->pt->tlb_ways;
	int n = 0;
	mm_op_begin(m);
	if (all) {
		for (unsigned i = 0; i < m->pt->tlb_entries; i++)
			n += flush_entry(m, i, mm, va, all);
	} else {
		/* a page can only be cached in the set of each page size's tag,
		 * as a lookup probes them; sizes sharing a set are probed once */
		uint32_t done[PT_MAX_DEPTH];
		unsigned nd = 0;
		for (unsigned d = f->depth; d-- > 0;) {
			if (!can_be_leaf(f, d))
				continue;
			uint32_t s = (uint32_t)(tlb_tag(m, va, f->shift[d]) % m->pt->tlb_sets);
			bool seen = false;
			for (unsigned k = 0; k < nd; k++)
				seen |= done[k] == s;
			if (seen)
				continue;
			done[nd++] = s;
			for (unsigned w = 0; w < ways; w++)
				n += flush_entry(m, s * ways + w, mm, va, all);
		}
	}
	jset32(&m->j, &r->flushes, r->flushes + 1);
	if (r->pending_mm && (!mm || mm == r->pending_mm) && (all || va == r->pending_va)) {
		jset32(&m->j, &r->pending_mm, 0);
		jset32(&m->j, &r->pending_op, 0);
		jset64(&m->j, &r->pending_va, 0);
	}
	EMIT(m, EV_TLB_FLUSH, mm, all ? 0 : (int64_t)va, all ? (mm ? TLB_FLUSH_MM : TLB_FLUSH_ALL) : TLB_FLUSH_PAGE,
	     n);
	mm_op_end(m);
	return n;
}

const char *const tlb_flush_names[NR_TLB_FLUSH] = {"page", "mm", "all"};
