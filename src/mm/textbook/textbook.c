/* The textbook models' subsystem: their arena, the list of models, the
 * checker over all of them (textbook.h). */
#include "textbook.h"

#include <stdlib.h>

#include "freelist.h"
#include "malloc.h"
#include "replace.h"
#include "segment.h"
#include "tbvec.h"
#include "mm/xalloc.h"

void textbook_init(struct machine *m)
{
	m->textbook = xcalloc(1, sizeof *m->textbook);
	arena_init(m, &m->textbook->arena);
	/* the root is made at boot, before the journal records: offset 0 */
	m->textbook->root = arena_alloc(m, &m->textbook->arena, sizeof(struct textbook_root));
}

void textbook_free(struct machine *m)
{
	free(m->textbook);
	m->textbook = NULL;
}

const char *const tb_kind_names[NR_TB_KINDS] = {"free list", "replacement cache", "segment table",
							 "linear page table", "two-level page table", "glibc heap"};

uint32_t textbook_add(struct machine *m, uint32_t bytes, enum tb_kind kind)
{
	/* records hold 64-bit cells: start them 8-byte aligned (the arena
	 * hands out 4-byte units; its chunks are aligned) */
	if (textbook_arena(m)->used % 8)
		arena_alloc(m, textbook_arena(m), 4);
	uint32_t off = arena_alloc(m, textbook_arena(m), (bytes + 7) & ~7u);
	struct tb_model *t = arena_ptr(textbook_arena(m), off);
	struct textbook_root *r = textbook_root(m);
	jset32(&m->j, &t->kind, kind);
	jset32(&m->j, &t->next, r->models);
	jset32(&m->j, &r->models, off);
	jset32(&m->j, &r->count, r->count + 1);
	return off;
}

void textbook_made(struct machine *m, uint32_t off, uint32_t size)
{
	struct tb_model *t = arena_ptr(textbook_arena(m), off);
	jset32(&m->j, &t->born, mm_next_step(m));
	EMIT(m, EV_TB_NEW, textbook_root(m)->count - 1, t->kind, size);
}

void tbv_reserve(struct machine *m, struct arena *a, struct tbvec *v, uint64_t n)
{
	if (n == 0)
		return;
	unsigned last;
	uint32_t at;
	tbv_locate(n - 1, &last, &at);
	for (unsigned k = 0; k <= last && k < TBV_MAX_PAGES; k++)
		if (!v->page[k]) {
			uint32_t cells = k < TBV_GEO ? TBV_FIRST << k : TBV_PAGE_CELLS;
			jset32(&m->j, &v->page[k], arena_alloc(m, a, cells * 4));
		}
}

int check_textbook(const struct machine *m, char *why, size_t whylen)
{
	for (uint32_t o = textbook_root(m)->models; o;) {
		const struct tb_model *t = arena_ptr(textbook_arena(m), o);
		int rc = t->kind == TB_FREELIST ? check_freelist(m, (const struct freelist *)t, why, whylen)
			 : t->kind == TB_REPLACE ? check_replacement(m, (const struct replacement *)t, why, whylen)
			 : t->kind == TB_SEGMENT ? check_segtable(m, (const struct segtable *)t, why, whylen)
			 : t->kind == TB_MALLOC	 ? check_malloc_heap(m, (const struct malloc_heap *)t, why, whylen)
						 : 0; /* page tables by hand: any bytes are a valid dump */
		if (rc)
			return rc;
		o = t->next;
	}
	return 0;
}
