/*
 * The course free-list allocator (freelist.h), step for step as OSTEP's
 * vm-freespace/malloc.py: the same search counts, the same list order
 * after every call (its sorts are stable, its coalescing one pass in list
 * order), so `memstep course malloc` prints what malloc.py prints.
 * Next fit, which malloc.py lacks, starts where the last search stopped.
 */
#include "freelist.h"

#include <stdio.h>
#include <stdlib.h>

const char *const fl_policy_names[NR_FL_POLICIES] = {"FIRST", "BEST", "WORST", "NEXT"};
const char *const fl_order_names[NR_FL_ORDERS] = {"ADDRSORT", "SIZESORT+", "SIZESORT-", "INSERT-FRONT",
						  "INSERT-BACK"};

const char *fl_config_error(const struct fl_config *c)
{
	if (c->size == 0 || c->size > FL_MAX_SIZE)
		return "the heap size must be from 1 to 8388608 units";
	if ((uint64_t)c->base + c->size > UINT32_MAX)
		return "the heap must end below 2^32";
	if (c->align == 0 || c->align < -1)
		return "align must be positive, or -1 for none";
	if ((unsigned)c->policy >= NR_FL_POLICIES || (unsigned)c->order >= NR_FL_ORDERS)
		return "unknown policy or list order";
	return NULL;
}

struct freelist *freelist_at(const struct machine *m, uint32_t off)
{
	return arena_ptr(textbook_arena(m), off);
}

static void set_entry(struct machine *m, struct freelist *f, uint32_t i, uint32_t addr, uint32_t size)
{
	tbv_set(m, textbook_arena(m), &f->list, 2 * (uint64_t)i, addr);
	tbv_set(m, textbook_arena(m), &f->list, 2 * (uint64_t)i + 1, size);
}

uint32_t freelist_new(struct machine *m, const struct fl_config *c)
{
	mm_op_begin(m);
	uint32_t off = textbook_add(m, sizeof(struct freelist), TB_FREELIST);
	struct freelist *f = freelist_at(m, off);
	struct journal *j = &m->j;
	jset32(j, &f->cfg.size, c->size);
	jset32(j, &f->cfg.base, c->base);
	jset32(j, &f->cfg.header, c->header);
	jset32(j, (uint32_t *)&f->cfg.align, (uint32_t)c->align);
	jset32(j, (uint32_t *)&f->cfg.policy, c->policy);
	jset32(j, (uint32_t *)&f->cfg.order, c->order);
	jset32(j, (uint32_t *)&f->cfg.coalesce, c->coalesce);
	jset32(j, &f->id, textbook_root(m)->count - 1);
	tbv_reserve(m, textbook_arena(m), &f->list, 2);
	tbv_reserve(m, textbook_arena(m), &f->sizes, c->size);
	set_entry(m, f, 0, c->base, c->size);
	jset32(j, &f->nfree, 1);
	textbook_made(m, off, c->size);
	mm_op_end(m);
	return off;
}

/* Close the gap entry i leaves; next fit's rover keeps its place. */
static void remove_entry(struct machine *m, struct freelist *f, uint32_t i)
{
	for (uint32_t k = i; k + 1 < f->nfree; k++)
		set_entry(m, f, k, fl_addr(m, f, k + 1), fl_size(m, f, k + 1));
	set_entry(m, f, f->nfree - 1, 0, 0);
	jset32(&m->j, &f->nfree, f->nfree - 1);
	if (f->rover > i) /* a rover past the end is taken as 0 where it is used */
		jset32(&m->j, &f->rover, f->rover - 1);
}

/* Is entry i a better candidate than the best so far (malloc.py's test)? */
static bool better(const struct freelist *f, uint32_t size, uint32_t need, int64_t best)
{
	if (size < need)
		return false;
	switch (f->cfg.policy) {
	case FL_BEST:
		return (int64_t)size < best;
	case FL_WORST:
		return (int64_t)size > best;
	default:
		return true;
	}
}

int64_t freelist_alloc(struct machine *m, uint32_t off, uint32_t size, uint32_t *searched)
{
	struct freelist *f = freelist_at(m, off);
	uint64_t need = size;
	if (f->cfg.align != -1 && need % (uint32_t)f->cfg.align)
		need += (uint32_t)f->cfg.align - need % (uint32_t)f->cfg.align;
	need += f->cfg.header;
	mm_op_begin(m);
	EMIT(m, EV_FL_ALLOC, f->id, size, (int64_t)need);
	int64_t best_size = f->cfg.policy == FL_BEST ? (int64_t)f->cfg.size + 1 : -1;
	int64_t best = -1;
	uint32_t count = 0, n = f->nfree;
	uint32_t start = f->cfg.policy == FL_NEXT && f->rover < n ? f->rover : 0;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = (start + k) % n;
		uint32_t esize = fl_size(m, f, i);
		bool keep = need <= UINT32_MAX && better(f, esize, (uint32_t)need, best_size);
		count++;
		EMIT(m, EV_FL_SEARCH, f->id, i, fl_addr(m, f, i), esize, esize >= need, keep);
		if (keep) {
			best = i;
			best_size = esize;
			if (f->cfg.policy == FL_FIRST || f->cfg.policy == FL_NEXT)
				break;
		}
	}
	*searched = count;
	if (best < 0) {
		EMIT(m, EV_FL_NOFIT, f->id, (int64_t)need, count);
		mm_op_end(m);
		return -1;
	}
	uint32_t i = (uint32_t)best, addr = fl_addr(m, f, i);
	/* every write before the step that shows it */
	tbv_set(m, textbook_arena(m), &f->sizes, addr - f->cfg.base, (uint32_t)need);
	jset32(&m->j, &f->nalloc, f->nalloc + 1);
	if ((uint64_t)best_size > need) {
		set_entry(m, f, i, addr + (uint32_t)need, (uint32_t)(best_size - (int64_t)need));
		jset32(&m->j, &f->rover, i);
		EMIT(m, EV_FL_SPLIT, f->id, addr, (int64_t)need, addr + (int64_t)need, best_size - (int64_t)need, count);
	} else {
		remove_entry(m, f, i);
		EMIT(m, EV_FL_TAKE, f->id, addr, (int64_t)need, count);
	}
	mm_op_end(m);
	return addr;
}

/* The sort key of entry i for the list order; descending orders negate. */
static int64_t key(const struct machine *m, const struct freelist *f, uint32_t i)
{
	switch (f->cfg.order) {
	case FL_SIZESORT_UP:
		return fl_size(m, f, i);
	case FL_SIZESORT_DOWN:
		return -(int64_t)fl_size(m, f, i);
	default:
		return fl_addr(m, f, i);
	}
}

/* Python's sorted() is stable: an insertion sort (strict comparisons)
 * gives the same order, and the list is nearly sorted, so it is quick.
 * Returns where entry `track` ended up; it is the last entry (the freed
 * range, just appended), placed by the last pass and moved by none after. */
static uint32_t stable_sort(struct machine *m, struct freelist *f, uint32_t track)
{
	for (uint32_t i = 1; i < f->nfree; i++) {
		int64_t k = key(m, f, i);
		uint32_t a = fl_addr(m, f, i), s = fl_size(m, f, i), j = i;
		while (j > 0 && key(m, f, j - 1) > k) {
			set_entry(m, f, j, fl_addr(m, f, j - 1), fl_size(m, f, j - 1));
			j--;
		}
		if (j != i) {
			set_entry(m, f, j, a, s);
			if (track == i)
				track = j;
		}
	}
	return track;
}

/* malloc.py's coalescing: one pass in list order, merging each entry into
 * the one before it when it starts where that one ends; a step a merge. */
static void coalesce(struct machine *m, struct freelist *f)
{
	for (uint32_t i = 1; i < f->nfree;) {
		uint32_t pa = fl_addr(m, f, i - 1), ps = fl_size(m, f, i - 1);
		uint32_t a = fl_addr(m, f, i), s = fl_size(m, f, i);
		if (a != pa + ps) {
			i++;
			continue;
		}
		set_entry(m, f, i - 1, pa, ps + s);
		remove_entry(m, f, i);
		EMIT(m, EV_FL_COALESCE, f->id, pa, ps + s, a);
	}
}

int freelist_free(struct machine *m, uint32_t off, uint32_t addr)
{
	struct freelist *f = freelist_at(m, off);
	uint64_t rel = (uint64_t)addr - f->cfg.base;
	uint32_t size = addr >= f->cfg.base && rel < f->cfg.size ? tbv_get(textbook_arena(m), &f->sizes, rel) : 0;
	mm_op_begin(m);
	if (!size) {
		EMIT(m, EV_FL_NOTHELD, f->id, addr);
		mm_op_end(m);
		return -1;
	}
	tbv_reserve(m, textbook_arena(m), &f->list, 2 * ((uint64_t)f->nfree + 1));
	uint32_t at = f->nfree;
	if (f->cfg.order == FL_INSERT_FRONT) {
		for (uint32_t k = f->nfree; k > 0; k--)
			set_entry(m, f, k, fl_addr(m, f, k - 1), fl_size(m, f, k - 1));
		at = 0;
	}
	set_entry(m, f, at, addr, size);
	jset32(&m->j, &f->nfree, f->nfree + 1);
	if (f->cfg.order != FL_INSERT_FRONT && f->cfg.order != FL_INSERT_BACK)
		at = stable_sort(m, f, at);
	tbv_set(m, textbook_arena(m), &f->sizes, rel, 0);
	jset32(&m->j, &f->nalloc, f->nalloc - 1);
	EMIT(m, EV_FL_FREE, f->id, addr, size, f->cfg.order, at);
	if (f->cfg.coalesce)
		coalesce(m, f);
	mm_op_end(m);
	return 0;
}

#define FAIL(...) return (snprintf(why, whylen, __VA_ARGS__), -1)

int check_freelist(const struct machine *m, const struct freelist *f, char *why, size_t whylen)
{
	uint8_t *used = calloc(f->cfg.size, 1);
	if (!used)
		FAIL("free list %u: no host memory to check it", f->id);
	uint64_t free_units = 0, held = 0;
	uint32_t nalloc = 0;
	int rc = 0;
	for (uint32_t i = 0; i < f->nfree && !rc; i++) {
		uint32_t a = fl_addr(m, f, i), s = fl_size(m, f, i);
		if (s == 0 || a < f->cfg.base || (uint64_t)a - f->cfg.base + s > f->cfg.size) {
			rc = (snprintf(why, whylen, "free list %u: element %u [addr %u size %u] is empty or leaves the heap",
				       f->id, i, a, s), -1);
			break;
		}
		for (uint32_t u = a - f->cfg.base; u < a - f->cfg.base + s && !rc; u++)
			if (used[u]++)
				rc = (snprintf(why, whylen, "free list %u: element %u overlaps another at %u", f->id, i,
					       u + f->cfg.base), -1);
		free_units += s;
	}
	for (uint32_t u = 0; u < f->cfg.size && !rc; u++) {
		uint32_t s = tbv_get(textbook_arena(m), &f->sizes, u);
		if (!s)
			continue;
		nalloc++;
		held += s;
		bool bad = (uint64_t)u + s > f->cfg.size;
		for (uint32_t k = u; k < u + s && !bad; k++)
			bad = used[k]++ != 0;
		if (bad)
			rc = (snprintf(why, whylen, "free list %u: the range handed out at %u overlaps free space or leaves the heap",
				       f->id, u + f->cfg.base), -1);
	}
	free(used);
	if (rc)
		return rc;
	if (nalloc != f->nalloc)
		FAIL("free list %u: nalloc %u but %u ranges are handed out", f->id, f->nalloc, nalloc);
	if (free_units + held != f->cfg.size)
		FAIL("free list %u: %llu free and %llu handed out of a %u-unit heap", f->id,
		     (unsigned long long)free_units, (unsigned long long)held, f->cfg.size);
	return 0;
}
