/*
 * Growable arrays of 32-bit cells in a journaled arena, for the textbook
 * models: pages of 256 Ki cells (one arena chunk each) reached through a
 * directory, so an array can pass the arena's 1 MiB allocation limit and
 * every cell written through tbv_set is undone with its step.
 */
#ifndef MM_TEXTBOOK_TBVEC_H
#define MM_TEXTBOOK_TBVEC_H

#include <stdint.h>

#include "mm/arena.h"
#include "mm/machine.h"

/* Pages grow geometrically, 64 << k cells for k < TBV_GEO (so a small
 * model stays small), then stay at one arena chunk each. */
#define TBV_FIRST 64u
#define TBV_GEO 13u /* 64 << 12 = 256 Ki cells = one chunk */
#define TBV_PAGE_CELLS (ARENA_CHUNK / 4)
#define TBV_GEO_CELLS ((uint64_t)TBV_FIRST * ((1u << TBV_GEO) - 1))
#define TBV_MAX_PAGES (TBV_GEO + 60)
#define TBV_MAX_CELLS (TBV_GEO_CELLS + 60ull * TBV_PAGE_CELLS)

struct tbvec {
	uint32_t page[TBV_MAX_PAGES]; /* arena offsets; a page not made yet is 0 (the root holds offset 0) */
};

/* Page k and the cell within it that index i falls in. */
static inline void tbv_locate(uint64_t i, unsigned *k, uint32_t *at)
{
	if (i < TBV_GEO_CELLS) {
		unsigned p = 63 - (unsigned)__builtin_clzll(i / TBV_FIRST + 1);
		*k = p;
		*at = (uint32_t)(i - TBV_FIRST * ((1ull << p) - 1));
	} else {
		*k = TBV_GEO + (unsigned)((i - TBV_GEO_CELLS) / TBV_PAGE_CELLS);
		*at = (uint32_t)((i - TBV_GEO_CELLS) % TBV_PAGE_CELLS);
	}
}

/* Make sure cells [0, n) exist (zeroed when new); n <= TBV_MAX_CELLS. */
void tbv_reserve(struct machine *m, struct arena *a, struct tbvec *v, uint64_t n);

static inline uint32_t *tbv_cell(const struct arena *a, const struct tbvec *v, uint64_t i)
{
	if (i < TBV_FIRST) /* most models fit the first page */
		return (uint32_t *)arena_ptr(a, v->page[0]) + i;
	unsigned k;
	uint32_t at;
	tbv_locate(i, &k, &at);
	return (uint32_t *)arena_ptr(a, v->page[k]) + at;
}
static inline uint32_t tbv_get(const struct arena *a, const struct tbvec *v, uint64_t i)
{
	return *tbv_cell(a, v, i);
}
static inline void tbv_set(struct machine *m, const struct arena *a, const struct tbvec *v, uint64_t i, uint32_t x)
{
	jset32(&m->j, tbv_cell(a, v, i), x);
}

#endif
