/*
 * Invariants of SLOB (check_slob, its check row), run after every step in
 * tests:
 * - each of the three lists is a well-linked circle whose count counts it;
 *   its pages say they are on it and have free units (a full page is on no
 *   list; an entirely free one only for the step between slob_new_page and
 *   its first slob_alloc: slob_free gives such a page back at once).  Which list a page is on says nothing of its free space: the
 *   request that made the page, or the free that gave a full page back a
 *   block, chose it;
 * - a page's free blocks chain in address order inside the page, end at the
 *   page's end, and their units add up to the page's free units;
 * - no free block covers a unit of a live allocation, and live and free
 *   units together fit the page;
 * - a slob page's frame is an order-0 slab frame the pfn index names; a
 *   live big block's head is a kmalloc-state frame of its order; every slab
 *   and kmalloc frame is one of those; the page and big-page counters agree;
 * - each cache's live-object count is the number of live allocations it
 *   owns, and a destroyed cache owns none.
 */
#include "slob.h"

#include <stdio.h>
#include <stdlib.h>

#define FAIL(...) return (snprintf(why, whylen, __VA_ARGS__), -1)

static int check_lists(const struct machine *m, char *why, size_t whylen)
{
	const struct slob_root *r = slob_root(m);
	uint32_t n = slob_units_per_page(m);
	for (unsigned l = 0; l < NR_SLOB_LISTS; l++) {
		uint32_t count = 0, off = r->head[l];
		if (!off != !r->nr[l])
			FAIL("slob: %s has %u page(s) but its head is %s", slob_list_names[l], r->nr[l],
			     off ? "set" : "empty");
		for (uint32_t k = 0; off && (k == 0 || off != r->head[l]); k++) {
			const struct slob_page *p = slob_page_at(m, off);
			if (++count > r->nr[l])
				FAIL("slob: %s holds more pages than its count %u (a broken circle?)", slob_list_names[l],
				     r->nr[l]);
			if (p->list != l)
				FAIL("slob: page 0x%x is on %s but records %s", p->pfn, slob_list_names[l],
				     slob_list_names[p->list <= NR_SLOB_LISTS ? p->list : NR_SLOB_LISTS]);
			if (slob_page_at(m, p->next)->prev != off)
				FAIL("slob: page 0x%x on %s: its next page does not link back", p->pfn, slob_list_names[l]);
			/* all n only between slob_new_page and its first slob_alloc */
			if (p->units == 0 || p->units > n)
				FAIL("slob: page 0x%x on %s has %u free units: a listed page has 1..%u", p->pfn,
				     slob_list_names[l], p->units, n);
			off = p->next;
		}
		if (count != r->nr[l])
			FAIL("slob: %s counts %u page(s) but links %u", slob_list_names[l], r->nr[l], count);
	}
	return 0;
}

/* Live allocations of one page: their units marked in used[]; per-cache counts. */
static int check_page(const struct machine *m, uint32_t off, uint8_t *used, uint32_t *caches, uint32_t *counts,
		      unsigned ncaches, char *why, size_t whylen)
{
	struct slob_page *p = slob_page_at(m, off);
	uint32_t n = slob_units_per_page(m), live = 0;
	if (p->list == SLOB_NO_LIST && p->units)
		FAIL("slob: page 0x%x has %u free units but is on no list", p->pfn, p->units);
	for (uint32_t u = 0; u < n; u++)
		used[u] = 0;
	for (uint32_t u = 0; u < n; u++) {
		if (slob_born(m, p)[u] <= slob_freed(m, p)[u] || slob_born(m, p)[u] < p->born)
			continue;
		uint32_t owner = slob_owner(m, p)[u];
		uint64_t size = 0;
		if (owner == SLOB_KMALLOC) {
			size = (uint64_t)(uint32_t)slob_mem(m, p)[u] + slob_minalign(m);
		} else {
			unsigned i = 0;
			while (i < ncaches && caches[i] != owner)
				i++;
			if (i == ncaches)
				FAIL("slob: page 0x%x unit %u: a live object of no live cache", p->pfn, u);
			counts[i]++;
			size = cache_at(m, owner)->size;
		}
		uint32_t units = slob_units(m, size);
		if (u + units > n)
			FAIL("slob: page 0x%x unit %u: a %u-unit allocation runs past the page", p->pfn, u, units);
		for (uint32_t k = u; k < u + units; k++) {
			if (used[k])
				FAIL("slob: page 0x%x unit %u: two live allocations overlap", p->pfn, k);
			used[k] = 1;
		}
		live += units;
	}
	uint32_t free = 0, prev = 0;
	if (p->units) {
		for (uint32_t b = p->freelist, k = 0; b < n; k++) {
			if (k && b <= prev)
				FAIL("slob: page 0x%x: free block at unit %u after unit %u is out of address order", p->pfn, b,
				     prev);
			uint32_t units = slob_block_units(m, p, b), next = slob_block_next(m, p, b);
			if (b + units > n || (next < n && next < b + units))
				FAIL("slob: page 0x%x: free block at unit %u (%u units) overlaps what follows", p->pfn, b,
				     units);
			for (uint32_t x = b; x < b + units; x++)
				if (used[x])
					FAIL("slob: page 0x%x: free block at unit %u covers live unit %u", p->pfn, b, x);
			free += units;
			prev = b;
			if (next > n)
				FAIL("slob: page 0x%x: free block at unit %u points past the page (%u)", p->pfn, b, next);
			b = next;
		}
	}
	if (free != p->units)
		FAIL("slob: page 0x%x: its free blocks add up to %u units but it counts %u", p->pfn, free, p->units);
	if (free + live > n)
		FAIL("slob: page 0x%x: %u live and %u free units are more than its %u", p->pfn, live, free, n);
	return 0;
}

int check_slob(const struct machine *m, char *why, size_t whylen)
{
	if (check_lists(m, why, whylen))
		return -1;
	const struct slob_root *r = slob_root(m);
	unsigned ncaches = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		ncaches++;
	uint32_t *caches = calloc(ncaches + 1, sizeof *caches), *counts = calloc(ncaches + 1, sizeof *counts);
	uint8_t *used = malloc(slob_units_per_page(m));
	int rc = 0;
	unsigned i = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		caches[i++] = c;
	uint32_t pages = 0, big = 0;
	for (uint32_t pfn = 0; pfn < m->nr_frames && !rc; pfn++) {
		unsigned st = frame_state(&m->frames[pfn]);
		uint32_t e = m->slub->pfn_owner[pfn];
		if (st == FS_SLAB) {
			if (!e || (e & OWNER_LARGE) || slob_page_at(m, e)->pfn != pfn || frame_order(&m->frames[pfn]))
				rc = (snprintf(why, whylen, "slob: slab frame 0x%x is no slob page's", pfn), -1);
			else
				rc = check_page(m, e, used, caches, counts, ncaches, why, whylen);
			pages++;
		} else if (st == FS_KMALLOC) {
			const struct slob_big *g = e & OWNER_LARGE ? slob_big_at(m, e & ~OWNER_LARGE) : NULL;
			if (!g || g->pfn != pfn || g->born <= g->freed || frame_order(&m->frames[pfn]) != g->order)
				rc = (snprintf(why, whylen, "slob: kmalloc frame 0x%x is no live big block's", pfn), -1);
			else if (g->cache != SLOB_KMALLOC) {
				unsigned k = 0;
				while (k < ncaches && caches[k] != g->cache)
					k++;
				if (k == ncaches)
					rc = (snprintf(why, whylen, "slob: big block 0x%x belongs to no live cache", pfn), -1);
				else
					counts[k]++;
			}
			if (g)
				big += 1u << g->order;
		} else if (e && !(e & OWNER_LARGE)) {
			rc = (snprintf(why, whylen, "slob: frame 0x%x is %s but the pfn index names a slob page", pfn,
				       frame_state_names[st]), -1);
		}
	}
	if (!rc && pages != r->nr_pages)
		rc = (snprintf(why, whylen, "slob: %u slob page(s) counted, %u slab frames", r->nr_pages, pages), -1);
	if (!rc && big != r->big_pages)
		rc = (snprintf(why, whylen, "slob: %u big-block page(s) counted, %u in kmalloc frames", r->big_pages, big),
		      -1);
	for (i = 0; !rc && i < ncaches; i++)
		if (counts[i] != cache_at(m, caches[i])->inuse)
			rc = (snprintf(why, whylen, "slob: cache %s counts %u live object(s) but %u are allocated",
				       cache_name(m, caches[i]), cache_at(m, caches[i])->inuse, counts[i]), -1);
	free(caches);
	free(counts);
	free(used);
	return rc;
}
