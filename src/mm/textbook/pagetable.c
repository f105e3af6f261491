/*
 * Linear and two-level page tables by hand (pagetable.h), computed as
 * OSTEP's paging-linear-translate.py and paging-multilevel-translate.py
 * compute them: VPN = va >> page bits, PA = pfn << page bits | offset; in
 * the two-level table the top five bits index the page directory, the
 * next five the page-table page, a valid bit (0x80) on each entry.
 */
#include "pagetable.h"

#include <string.h>

uint32_t linear_pt_new(struct machine *m, uint32_t page_bits, uint32_t vpages, uint64_t psize,
		       const uint32_t *ptes)
{
	mm_op_begin(m);
	uint32_t off = textbook_add(m, sizeof(struct linear_pt), TB_LINEAR_PT);
	struct linear_pt *t = linear_pt_at(m, off);
	jset32(&m->j, &t->id, textbook_root(m)->count - 1);
	jset32(&m->j, &t->page_bits, page_bits);
	jset32(&m->j, &t->vpages, vpages);
	jset64(&m->j, &t->psize, psize);
	tbv_reserve(m, textbook_arena(m), &t->pte, vpages);
	for (uint32_t v = 0; v < vpages; v++)
		tbv_set(m, textbook_arena(m), &t->pte, v, ptes[v]);
	textbook_made(m, off, vpages);
	mm_op_end(m);
	return off;
}

bool linear_pt_translate(struct machine *m, uint32_t off, uint64_t va, uint64_t *pa)
{
	struct linear_pt *t = linear_pt_at(m, off);
	uint64_t vpn = va >> t->page_bits, offset = va & ((1ull << t->page_bits) - 1);
	uint32_t e = tbv_get(textbook_arena(m), &t->pte, vpn);
	bool valid = e & 0x80000000u;
	*pa = valid ? ((uint64_t)(e & 0x7fffffffu) << t->page_bits) | offset : 0;
	mm_op_begin(m);
	EMIT(m, EV_LPT_TRANSLATE, t->id, (int64_t)va, (int64_t)vpn, e, valid ? (int64_t)(e & 0x7fffffffu) : -1,
	     (int64_t)offset, valid ? (int64_t)*pa : -1, valid);
	mm_op_end(m);
	return valid;
}

uint32_t multilevel_pt_new(struct machine *m, const uint8_t mem[MLPT_MEM], uint32_t pdbr)
{
	mm_op_begin(m);
	uint32_t off = textbook_add(m, sizeof(struct multilevel_pt), TB_MULTILEVEL_PT);
	struct multilevel_pt *t = multilevel_pt_at(m, off);
	jset32(&m->j, &t->id, textbook_root(m)->count - 1);
	jset32(&m->j, &t->pdbr, pdbr);
	jset32(&m->j, &t->mem, arena_alloc(m, textbook_arena(m), MLPT_MEM));
	uint32_t *cells = arena_ptr(textbook_arena(m), t->mem);
	for (uint32_t i = 0; i < MLPT_MEM / 4; i++) {
		uint32_t w;
		memcpy(&w, mem + 4 * i, 4);
		jset32(&m->j, &cells[i], w);
	}
	textbook_made(m, off, MLPT_MEM);
	mm_op_end(m);
	return off;
}

/* Read one entry: EV_MLPT_ENTRY, true when valid with *pfn its 7 bits. */
static bool entry(struct machine *m, const struct multilevel_pt *t, unsigned level, uint32_t va, uint32_t page,
		  uint32_t index, uint32_t *pfn)
{
	uint32_t addr = page * MLPT_PAGE | index;
	uint8_t e = mlpt_mem(m, t)[addr];
	*pfn = e & 0x7f;
	EMIT(m, EV_MLPT_ENTRY, t->id, va, level, index, addr, e, e >> 7, *pfn);
	return e & 0x80;
}

enum mlpt_result multilevel_pt_translate(struct machine *m, uint32_t off, uint32_t va, uint32_t *pa,
					 uint32_t *value)
{
	struct multilevel_pt *t = multilevel_pt_at(m, off);
	uint32_t pt, pfn;
	enum mlpt_result r = MLPT_OK;
	mm_op_begin(m);
	if (!entry(m, t, 0, va, t->pdbr, (va >> 10) & 0x1f, &pt))
		r = MLPT_PDE_FAULT;
	else if (!entry(m, t, 1, va, pt, (va >> 5) & 0x1f, &pfn))
		r = MLPT_PTE_FAULT;
	else {
		*pa = pfn << 5 | (va & 0x1f);
		*value = mlpt_mem(m, t)[*pa];
	}
	EMIT(m, EV_MLPT_RESULT, t->id, va, r == MLPT_OK ? (int64_t)*pa : -1, r == MLPT_OK ? (int64_t)*value : -1, r);
	mm_op_end(m);
	return r;
}
