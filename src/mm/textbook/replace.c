/*
 * Page replacement (replace.h), reference for reference as OSTEP's
 * paging-policy.py: the list of resident pages, hits and misses, the same
 * victims, and the same draws from Python's generator for RAND and CLOCK.
 * OPT and UNOPT look at each resident page's next use; the simulator
 * rescans the future for that, here the next use of every reference is
 * known from the start (next_ref), so a miss costs O(frames).
 */
#include "replace.h"

#include <stdio.h>
#include <stdlib.h>

const char *const rp_policy_names[NR_RP_POLICIES + 1] = {"FIFO", "LRU", "MRU", "OPT", "UNOPT", "RAND", "CLOCK",
							 NULL};

const char *rp_config_error(const struct rp_config *c, uint32_t nrefs)
{
	if ((unsigned)c->policy >= NR_RP_POLICIES)
		return "unknown policy";
	if (c->frames < 1 || c->frames > RP_MAX_FRAMES)
		return "the cache holds 1 to 65536 frames";
	if ((c->policy == RP_OPT || c->policy == RP_UNOPT) && nrefs == 0)
		return "OPT and UNOPT need the reference string (refs=) to see the future";
	if (nrefs > TBV_MAX_CELLS)
		return "the reference string is too long";
	return NULL;
}



static inline struct arena *A(const struct machine *m) { return textbook_arena(m); }

int64_t rp_next_ref(const struct machine *m, const struct replacement *r)
{
	return r->index < r->nrefs ? (int64_t)tbv_get(A(m), &r->refs, r->index) : -1;
}

uint32_t replacement_new(struct machine *m, const struct rp_config *c, const uint32_t *refs, uint32_t nrefs,
			 const struct pyrandom *rng)
{
	mm_op_begin(m);
	uint32_t off = textbook_add(m, sizeof(struct replacement), TB_REPLACE);
	struct replacement *r = replacement_at(m, off);
	struct journal *j = &m->j;
	jset32(j, (uint32_t *)&r->cfg.policy, c->policy);
	jset32(j, &r->cfg.frames, c->frames);
	jset32(j, &r->cfg.clockbits, c->clockbits);
	jset64(j, (uint64_t *)&r->cfg.seed, (uint64_t)c->seed);
	jset32(j, &r->id, textbook_root(m)->count - 1);
	jset32(j, &r->slots, arena_alloc(m, A(m), c->frames * (uint32_t)sizeof(struct rp_slot)));
	if (nrefs) {
		tbv_reserve(m, A(m), &r->refs, nrefs);
		tbv_reserve(m, A(m), &r->next_ref, nrefs);
		jset32(j, &r->nrefs, nrefs);
		for (uint32_t i = 0; i < nrefs; i++) {
			tbv_set(m, A(m), &r->refs, i, refs[i]);
			tbv_set(m, A(m), &r->next_ref, i, nrefs);
		}
		/* each reference's next occurrence: scan back, remembering the
		 * last index seen of each page in a host-side open hash */
		uint32_t cap = 64;
		while (cap < 2 * nrefs)
			cap *= 2;
		struct seen { uint32_t page, at; bool used; } *h = calloc(cap, sizeof *h);
		for (uint32_t i = nrefs; h && i-- > 0;) {
			uint32_t k = (refs[i] * 2654435761u) & (cap - 1);
			while (h[k].used && h[k].page != refs[i])
				k = (k + 1) & (cap - 1);
			if (h[k].used)
				tbv_set(m, A(m), &r->next_ref, i, h[k].at);
			h[k] = (struct seen){refs[i], i, true};
		}
		free(h);
	}
	struct pyrandom seeded;
	if (!rng) {
		pyrandom_seed(&seeded, c->seed);
		rng = &seeded;
	}
	for (uint32_t i = 0; i < MT_N; i++)
		jset32(j, &r->rng.mt[i], rng->mt[i]);
	jset32(j, &r->rng.mti, rng->mti);
	textbook_made(m, off, c->frames);
	mm_op_end(m);
	return off;
}

static inline void set_slot(struct machine *m, struct replacement *r, uint32_t i, uint32_t page, uint32_t use, uint32_t next)
{
	struct rp_slot *sl = rp_slot_at(m, r, i);
	jset32(&m->j, &sl->page, page);
	jset32(&m->j, &sl->use, use);
	jset32(&m->j, &sl->next, next);
}

/* Take place i out of the list, closing the gap (Python's list.pop(i)):
 * the left end by turning the ring, others by moving the later ones. */
static uint32_t pop_slot(struct machine *m, struct replacement *r, uint32_t i)
{
	uint32_t page = rp_slot(m, r, i);
	if (i == 0) {
		set_slot(m, r, 0, 0, 0, 0);
		jset32(&m->j, &r->head, rp_ring(r, 1));
	} else {
		for (uint32_t k = i; k + 1 < r->count; k++) {
			const struct rp_slot *n = rp_slot_at(m, r, k + 1);
			set_slot(m, r, k, n->page, n->use, n->next);
		}
		set_slot(m, r, r->count - 1, 0, 0, 0);
	}
	jset32(&m->j, &r->count, r->count - 1);
	return page;
}

static uint32_t draw(struct machine *m, struct replacement *r, uint32_t n)
{
	return (uint32_t)(pyrandom_random(&m->j, &r->rng) * n);
}

/* The slot to evict under OPT (furthest next use, the last such) or UNOPT
 * (soonest, the first such). */
static uint32_t future_victim(const struct machine *m, const struct replacement *r)
{
	uint32_t pick = 0;
	int64_t best = r->cfg.policy == RP_OPT ? -1 : (int64_t)r->nrefs + 1;
	for (uint32_t i = 0; i < r->count; i++) {
		int64_t when = rp_slot_at(m, r, i)->next;
		if (r->cfg.policy == RP_OPT ? when >= best : when < best) {
			best = when;
			pick = i;
		}
	}
	return pick;
}

static uint32_t evict(struct machine *m, struct replacement *r)
{
	uint32_t slot = 0;
	switch (r->cfg.policy) {
	case RP_FIFO:
	case RP_LRU:
		break;
	case RP_MRU:
		slot = r->count - 1;
		break;
	case RP_RAND:
		slot = draw(m, r, r->count);
		break;
	case RP_OPT:
	case RP_UNOPT:
		slot = future_victim(m, r);
		break;
	case RP_CLOCK:
		for (;;) {
			slot = draw(m, r, r->count);
			uint32_t *use_cell = &rp_slot_at(m, r, slot)->use, use = *use_cell;
			if (use)
				jset32(&m->j, use_cell, use - 1);
			EMIT(m, EV_RP_SCAN, r->id, rp_slot(m, r, slot), use, slot);
			if (use == 0)
				break;
		}
		break;
	default:
		break;
	}
	uint32_t page = pop_slot(m, r, slot);
	EMIT(m, EV_RP_EVICT, r->id, page, r->cfg.policy, slot);
	return page;
}

bool replacement_access(struct machine *m, uint32_t off, uint32_t page, int64_t *victim)
{
	struct replacement *r = replacement_at(m, off);
	uint32_t next = r->index < r->nrefs ? tbv_get(A(m), &r->next_ref, r->index) : r->nrefs;
	/* pages are resident once: a search without an early exit is
	 * branch-free, which beats a break that random references mispredict */
	int64_t at = -1;
	const struct rp_slot *sl = rp_slots(m, r);
	uint32_t first = r->cfg.frames - r->head < r->count ? r->cfg.frames - r->head : r->count;
	for (uint32_t i = 0; i < first; i++) /* the ring's two runs */
		at = sl[r->head + i].page == page ? (int64_t)i : at;
	for (uint32_t i = first; i < r->count; i++)
		at = sl[i - first].page == page ? (int64_t)i : at;
	mm_op_begin(m);
	*victim = -1;
	if (at >= 0) {
		uint32_t use = rp_slot_at(m, r, (uint32_t)at)->use + 1;
		if (use > r->cfg.clockbits)
			use = r->cfg.clockbits;
		if (r->cfg.policy == RP_LRU || r->cfg.policy == RP_MRU) {
			pop_slot(m, r, (uint32_t)at);
			at = r->count;
			jset32(&m->j, &r->count, r->count + 1);
		}
		set_slot(m, r, (uint32_t)at, page, use, next);
		jset32(&m->j, &r->hits, r->hits + 1);
		jset32(&m->j, &r->index, r->index + 1);
		EMIT(m, EV_RP_ACCESS, r->id, r->index - 1, page, true, r->count);
		mm_op_end(m);
		return true;
	}
	EMIT(m, EV_RP_ACCESS, r->id, r->index, page, false, r->count);
	if (r->count == r->cfg.frames)
		*victim = evict(m, r);
	/* a page seen for the first time gets use 1 (not capped: the
	 * simulator caps only on later references) */
	set_slot(m, r, r->count, page, 1, next);
	jset32(&m->j, &r->count, r->count + 1);
	jset32(&m->j, &r->misses, r->misses + 1);
	jset32(&m->j, &r->index, r->index + 1);
	EMIT(m, EV_RP_PLACE, r->id, page, r->count - 1, r->count);
	mm_op_end(m);
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

#define FAIL(...) return (snprintf(why, whylen, __VA_ARGS__), -1)

int check_replacement(const struct machine *m, const struct replacement *r, char *why, size_t whylen)
{
	if (r->count > r->cfg.frames)
		FAIL("cache %u: %u resident pages in %u frames", r->id, r->count, r->cfg.frames);
	if (r->hits + r->misses != r->index)
		FAIL("cache %u: %u hits + %u misses but %u references", r->id, r->hits, r->misses, r->index);
	uint32_t *pages = malloc((r->count + 1) * sizeof *pages);
	if (!pages)
		FAIL("cache %u: no host memory to check it", r->id);
	for (uint32_t i = 0; i < r->count; i++)
		pages[i] = rp_slot(m, r, i);
	qsort(pages, r->count, sizeof *pages, cmp_u32);
	for (uint32_t i = 1; i < r->count; i++)
		if (pages[i] == pages[i - 1]) {
			uint32_t p = pages[i];
			free(pages);
			FAIL("cache %u: page %u is resident twice", r->id, p);
		}
	free(pages);
	return 0;
}
