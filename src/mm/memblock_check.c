/*
 * memblock's invariants (check_memblock), run after every step in tests:
 * - each region array sorted, non-overlapping, with no empty region and no
 *   two touching regions of one node and flags left unmerged (as
 *   memblock_merge_regions leaves them), its total_size the sum;
 * - every frame a reserved region touches is a reserved frame, and so is
 *   every frame outside memblock.memory (a hole): neither reaches the buddy;
 * - each zone's present pages are the memory pages of its span;
 * - while booting, the buddy has no free page.
 */
#include "memblock.h"

#include <inttypes.h>
#include <stdio.h>

#define FAIL(...) return (snprintf(why, whylen, __VA_ARGS__), -1)

static int check_type(const struct memblock_type *t, const char *name, char *why, size_t whylen)
{
	uint64_t total = 0;
	if (t->cnt > MEMBLOCK_REGIONS)
		FAIL("memblock.%s: cnt %u beyond %d", name, t->cnt, MEMBLOCK_REGIONS);
	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i], *p = i ? r - 1 : NULL;
		if (!r->size)
			FAIL("memblock.%s[%u] is empty", name, i);
		if (p && mb_end(p) > r->base)
			FAIL("memblock.%s[%u] at 0x%" PRIx64 " overlaps or precedes the one before it", name, i, r->base);
		if (p && mb_end(p) == r->base && p->flags == r->flags && p->nid == r->nid)
			FAIL("memblock.%s[%u] at 0x%" PRIx64 " touches the one before it with the same flags: unmerged",
			     name, i, r->base);
		total += r->size;
	}
	if (total != t->total_size)
		FAIL("memblock.%s: total_size 0x%" PRIx64 " but the regions add up to 0x%" PRIx64, name, t->total_size,
		     total);
	return 0;
}

static int check_reserved_frames(const struct machine *m, uint64_t s, uint64_t e, const char *what, char *why,
				 size_t whylen)
{
	if (e > m->nr_frames)
		e = m->nr_frames;
	for (uint64_t p = s; p < e; p++)
		if (m->frames[p].info != frame_info(FS_RESERVED, 0))
			FAIL("pfn 0x%" PRIx64 " is in %s but is not a reserved frame", p, what);
	return 0;
}

int check_memblock(const struct machine *m, char *why, size_t whylen)
{
	const struct memblock_root *r = memblock_root(m);
	if (check_type(&r->memory, "memory", why, whylen) || check_type(&r->reserved, "reserved", why, whylen))
		return -1;
	uint64_t ps = m->cfg.page_size;
	for (unsigned i = 0; i < r->reserved.cnt; i++) {
		const struct memblock_region *g = &r->reserved.regions[i];
		if (check_reserved_frames(m, g->base / ps, (mb_end(g) + ps - 1) / ps, "memblock.reserved", why, whylen))
			return -1;
	}
	uint64_t at = 0; /* the holes between memory regions */
	for (unsigned i = 0; i <= r->memory.cnt; i++) {
		const struct memblock_region *g = i < r->memory.cnt ? &r->memory.regions[i] : NULL;
		uint64_t hs = at, he = g ? (g->base + ps - 1) / ps : m->nr_frames;
		if (hs < he && check_reserved_frames(m, hs, he, "a hole of memblock.memory", why, whylen))
			return -1;
		if (g)
			at = mb_end(g) / ps;
	}
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		uint64_t present = memblock_memory_pages(m, z->start_pfn, z->start_pfn + z->spanned);
		if (z->spanned && present != z->present)
			FAIL("zone %u: present %u but memblock.memory has %" PRIu64 " pages in its span", z->id, z->present,
			     present);
		if (r->booting && z->free_pages)
			FAIL("zone %u has %u free pages while memblock still owns memory", z->id, z->free_pages);
	}
	return 0;
}
