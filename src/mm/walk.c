/*
 * Address translation as the MMU does it: look in the TLB; on a miss walk
 * the tables from the mm's top table (CR3 on x86, TTBR0_EL1 on arm64) one
 * level at a time, each index taken from its bits of the address, until a
 * leaf (a page, or a huge page / block at PUD or PMD) or an entry that is
 * not present.  The leaf's permissions are checked against the access (x86:
 * USER, RW with CR0.WP set, NX; arm64: AP[1], AP[2] with DBM, UXN/PXN), the
 * accessed and dirty state is set as the hardware does (x86 sets A and D;
 * arm64 with FEAT_HAFDBS sets AF and clears AP[2] on the first write to a
 * DBM page), and the TLB is filled.  Simplifications: permissions are taken
 * from the leaf only (tables are always fully permissive, as Linux makes
 * user tables); SMEP/SMAP/PAN and protection keys are not modelled; a write
 * that hits a TLB entry not yet dirty sets the dirty bit without a re-walk.
 */
#include "pgtable.h"
#include "tlb.h"

#include <string.h>

static enum pt_fault check_access(const struct pt_format *f, uint64_t e, enum pt_access acc, bool user)
{
	if (f->family == PTF_ARM64) {
		if (user && !(e & ARM_USER))
			return PTF_USER_SUPERVISOR;
		if (acc == ACC_WRITE && (e & ARM_RDONLY) && !(e & ARM_DBM))
			return PTF_WRITE_RO;
		if (acc == ACC_EXEC && (e & (user ? ARM_UXN : ARM_PXN)))
			return PTF_EXEC_NX;
		return PTF_NONE;
	}
	if (user && !(e & X86_USER))
		return PTF_USER_SUPERVISOR;
	if (acc == ACC_WRITE && !(e & X86_RW))
		return PTF_WRITE_RO;
	if (acc == ACC_EXEC && f->family == PTF_X86 && (e & X86_NX))
		return PTF_EXEC_NX;
	return PTF_NONE;
}

/* The leaf after this access: accessed, and dirty on a write. */
static uint64_t young(const struct pt_format *f, uint64_t e, enum pt_access acc)
{
	if (f->family == PTF_ARM64) {
		e |= ARM_AF;
		if (acc == ACC_WRITE && (e & ARM_DBM))
			e &= ~ARM_RDONLY;
		return e;
	}
	return e | X86_ACCESSED | (acc == ACC_WRITE ? X86_DIRTY : 0);
}

static void set_young(struct machine *m, uint32_t table, uint32_t index, unsigned depth, uint64_t va, uint64_t e)
{
	uint64_t *cell = &pt_entries(m, table)[index];
	uint64_t old = *cell;
	if (old == e)
		return;
	jset64(&m->j, cell, e);
	const struct pt_format *f = &m->pt->fmt;
	bool dirty_now = f->family == PTF_ARM64 ? (old & ARM_RDONLY) && !(e & ARM_RDONLY)
						: !(old & X86_DIRTY) && (e & X86_DIRTY);
	bool young_now = f->family == PTF_ARM64 ? !(old & ARM_AF) : !(old & X86_ACCESSED);
	EMIT(m, EV_SET_AD, (int64_t)va, f->level[depth], pt_table(m, table)->pfn, index, (int64_t)e, young_now,
	     dirty_now);
}

static void result_pa(struct machine *m, uint32_t mm, uint64_t va, uint64_t e, unsigned shift, struct pt_result *r)
{
	unsigned ps = m->pt->fmt.offset_bits;
	uint64_t off = va & ((1ull << shift) - 1);
	r->page_shift = shift;
	r->pfn = pte_pfn(m, e) + (uint32_t)(off >> ps);
	r->pa = ((uint64_t)pte_pfn(m, e) << ps) + off;
	EMIT(m, EV_TRANSLATED, mm, (int64_t)va, (int64_t)r->pa, pte_pfn(m, e), shift - ps, (int64_t)off);
}

static void fault(struct machine *m, uint32_t mm, uint64_t va, enum pt_access acc, unsigned level,
		  enum pt_fault why, struct pt_result *r)
{
	r->fault = why;
	r->fault_level = (int)level;
	EMIT(m, EV_WALK_FAULT, mm, (int64_t)va, acc, level, why);
}

int pt_translate(struct machine *m, uint32_t mm, uint64_t va, enum pt_access acc, bool user, struct pt_result *r)
{
	const struct pt_format *f = &m->pt->fmt;
	if (!f->depth)
		return mm_error(m, "translate: no page tables on this machine (its page size is not the %s's)",
				m->cfg.arch->name);
	if (!pt_mm(m, mm))
		return mm_error(m, "translate: mm %u does not exist", mm);
	if (!pt_canonical(f, va))
		return mm_error(m, "translate: 0x%llx is not a %s address (%u-bit virtual addresses%s)",
				(unsigned long long)va, f->sign_extend ? "canonical" : "valid", f->va_bits,
				f->sign_extend ? ", sign-extended" : "");
	memset(r, 0, sizeof *r);
	r->va = va;
	r->fault_level = -1;
	struct pt_root *root = pt_root(m);
	mm_op_begin(m);
	uint32_t set;
	int slot = tlb_lookup(m, mm, va, &set);
	if (slot >= 0) {
		struct tlb_entry *te = &pt_tlb(m)[slot];
		r->tlb_hit = true;
		jset32(&m->j, &root->hits, root->hits + 1);
		tlb_touch(m, (unsigned)slot);
		EMIT(m, EV_TLB_HIT, mm, (int64_t)va, acc, set, (unsigned)slot % m->pt->tlb_ways, pte_pfn(m, te->entry));
		unsigned depth = 0;
		while (f->shift[depth] != te->shift)
			depth++;
		enum pt_fault why = check_access(f, te->entry, acc, user);
		if (why != PTF_NONE) {
			fault(m, mm, va, acc, f->level[depth], why, r);
		} else {
			uint64_t e = young(f, te->entry, acc);
			if (e != te->entry) {
				jset64(&m->j, &te->entry, e);
				set_young(m, te->table, te->index, depth, va, young(f, pt_entries(m, te->table)[te->index], acc));
			}
			result_pa(m, mm, va, te->entry, te->shift, r);
		}
		mm_op_end(m);
		return MM_OK;
	}
	jset32(&m->j, &root->misses, root->misses + 1);
	int64_t hset, hset2;
	tlb_huge_sets(m, va, &hset, &hset2);
	EMIT(m, EV_TLB_MISS, mm, (int64_t)va, acc, set, hset, hset2);
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d < f->depth; d++) {
		uint32_t i = pt_index(f, va, d);
		uint64_t e = pt_entries(m, t)[i];
		bool present = pte_present(m, e), leaf = present && pte_is_leaf(m, d, e);
		struct pt_walk_level *l = &r->levels[r->nlevels++];
		l->level = f->level[d];
		l->index = i;
		l->table = pt_table(m, t)->pfn;
		l->entry = e;
		EMIT(m, EV_WALK, (int64_t)va, f->level[d], i, pt_table(m, t)->pfn, (int64_t)e,
		     present ? (int64_t)pte_pfn(m, e) : -1, f->shift[d] + f->bits[d] - 1, f->shift[d]);
		if (!present) {
			fault(m, mm, va, acc, f->level[d], PTF_NOT_PRESENT, r);
			break;
		}
		if (!leaf) {
			t = pt_children(m, t)[i];
			continue;
		}
		enum pt_fault why = check_access(f, e, acc, user);
		if (why != PTF_NONE) {
			fault(m, mm, va, acc, f->level[d], why, r);
			break;
		}
		set_young(m, t, i, d, va, young(f, e, acc));
		e = pt_entries(m, t)[i];
		tlb_fill(m, pte_global(m, e) ? TLB_GLOBAL_ASID : mm, va, f->shift[d], e, t, i);
		result_pa(m, mm, va, e, f->shift[d], r);
		break;
	}
	mm_op_end(m);
	return MM_OK;
}
