/*
 * Base and bounds, and two-segment translation (segment.h), as OSTEP's
 * relocation.py and segmentation.py compute them: segment 0 (or the only
 * segment) maps offset va to base + va when va < limit; segment 1, for the
 * upper half of the space, maps va to base + (va - asize), a negative
 * offset from its high end, valid down to base - limit.
 */
#include "segment.h"

#include <stdio.h>

const char *seg_config_error(const struct seg_config *c)
{
	if (c->nseg < 1 || c->nseg > SEG_MAX)
		return "one segment (base and bounds) or two";
	if (c->asize == 0 || c->psize == 0 || c->asize > (1ull << 48) || c->psize > (1ull << 48))
		return "asize and psize must be from 1 to 2^48";
	/* Only what translation needs: whether a segment fits physical memory
	 * is the front end's rule (the simulators check it their own way). */
	if (c->nseg == 2 && c->base[1] < c->limit[1])
		return "segment 1 grows down from its base: the base must be at least its limit";
	return NULL;
}

uint32_t segtable_new(struct machine *m, const struct seg_config *c)
{
	mm_op_begin(m);
	uint32_t off = textbook_add(m, sizeof(struct segtable), TB_SEGMENT);
	struct segtable *s = segtable_at(m, off);
	struct journal *j = &m->j;
	jset32(j, &s->id, textbook_root(m)->count - 1);
	jset32(j, &s->nseg, c->nseg);
	jset64(j, &s->asize, c->asize);
	jset64(j, &s->psize, c->psize);
	for (unsigned i = 0; i < c->nseg; i++) {
		jset64(j, &s->base[i], c->base[i]);
		jset64(j, &s->limit[i], c->limit[i]);
	}
	textbook_made(m, off, c->nseg);
	mm_op_end(m);
	return off;
}

bool segment_translate(struct machine *m, uint32_t off, uint64_t va, uint64_t *pa, unsigned *seg)
{
	struct segtable *s = segtable_at(m, off);
	/* the top bit picks the segment; segment 1 counts down from its end */
	unsigned k = s->nseg == 2 && 2 * va >= s->asize ? 1 : 0;
	int64_t offset = k ? (int64_t)va - (int64_t)s->asize : (int64_t)va;
	bool ok = k ? (int64_t)s->base[1] + offset >= (int64_t)(s->base[1] - s->limit[1]) : va < s->limit[0];
	*seg = k;
	*pa = ok ? (uint64_t)((int64_t)s->base[k] + offset) : 0;
	mm_op_begin(m);
	jset32(&m->j, &s->translations, s->translations + 1);
	if (!ok)
		jset32(&m->j, &s->violations, s->violations + 1);
	EMIT(m, EV_SEG_TRANSLATE, s->id, (int64_t)va, k, offset, (int64_t)s->base[k], (int64_t)s->limit[k],
	     ok ? (int64_t)*pa : -1, ok);
	mm_op_end(m);
	return ok;
}

int check_segtable(const struct machine *m, const struct segtable *s, char *why, size_t whylen)
{
	(void)m;
	if (s->violations > s->translations) {
		snprintf(why, whylen, "segment table %u: %u violations in %u translations", s->id, s->violations,
			 s->translations);
		return -1;
	}
	return 0;
}
