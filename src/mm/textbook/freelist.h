/*
 * The free-list allocator of OS courses, as OSTEP's vm-freespace/malloc.py
 * runs it: a heap [base, base + size) and a list of free (addr, size)
 * ranges searched first-, best- or worst-fit (next-fit too, which malloc.py
 * lacks); the chosen range is split (its head handed out) or taken whole;
 * a free puts the range back at the list's head or tail or re-sorts the
 * list by address or size (a stable sort, as Python's sorted()), then may
 * coalesce neighbours in list order.  Sizes are rounded up to `align` and a
 * header added before the search, as malloc.py does.
 *
 * State lives in the textbook arena (textbook.h): every step undoes.
 */
#ifndef MM_TEXTBOOK_FREELIST_H
#define MM_TEXTBOOK_FREELIST_H

#include <stdbool.h>
#include <stdint.h>

#include "tbvec.h"
#include "textbook.h"

enum fl_policy { FL_FIRST, FL_BEST, FL_WORST, FL_NEXT, NR_FL_POLICIES };
enum fl_order { FL_ADDRSORT, FL_SIZESORT_UP, FL_SIZESORT_DOWN, FL_INSERT_FRONT, FL_INSERT_BACK, NR_FL_ORDERS };
extern const char *const fl_policy_names[NR_FL_POLICIES];  /* "FIRST", … as malloc.py spells them */
extern const char *const fl_order_names[NR_FL_ORDERS];     /* "ADDRSORT", "SIZESORT+", … */

#define FL_MAX_SIZE (TBV_MAX_CELLS / 2)

struct fl_config {
	uint32_t size, base, header;
	int32_t align; /* -1: none */
	enum fl_policy policy;
	enum fl_order order;
	bool coalesce;
};

/* One allocator, a record in the textbook arena. */
struct freelist {
	struct tb_model hdr;
	struct fl_config cfg;
	uint32_t id;
	uint32_t nfree;   /* entries on the free list */
	uint32_t rover;   /* next fit: where the last search stopped */
	uint32_t nalloc;  /* ranges handed out */
	struct tbvec list;  /* 2 cells an entry: addr, size */
	struct tbvec sizes; /* by addr - base: size of the range handed out there, 0 if none */
};

/* Check a config; NULL when fine, else what is wrong. */
const char *fl_config_error(const struct fl_config *c);
/* A new allocator (journaled); returns its arena offset. */
uint32_t freelist_new(struct machine *m, const struct fl_config *c);
struct freelist *freelist_at(const struct machine *m, uint32_t off);

/* malloc.py's malloc(): the address (base-relative values are real
 * addresses) or -1, and how many list elements the search examined. */
int64_t freelist_alloc(struct machine *m, uint32_t off, uint32_t size, uint32_t *searched);
/* malloc.py's free(): 0, or -1 when addr was not handed out (no change). */
int freelist_free(struct machine *m, uint32_t off, uint32_t addr);

/* The invariants: entries inside the heap, disjoint, sizes positive, the
 * handed-out ranges and free ranges together cover the heap. */
int check_freelist(const struct machine *m, const struct freelist *f, char *why, size_t whylen);

static inline uint32_t fl_addr(const struct machine *m, const struct freelist *f, uint32_t i)
{
	return tbv_get(textbook_arena(m), &f->list, 2 * (uint64_t)i);
}
static inline uint32_t fl_size(const struct machine *m, const struct freelist *f, uint32_t i)
{
	return tbv_get(textbook_arena(m), &f->list, 2 * (uint64_t)i + 1);
}

#endif
