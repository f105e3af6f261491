/*
 * The invariant checker, run after every step in tests: check_machine runs
 * each subsystem's checker from the table in subsys.c, in boot order, and
 * reports the first broken invariant.  What each verifies:
 *
 * page_alloc (check_buddy, here):
 * - blocks tile every zone: each starts at a head aligned to its size, lies
 *   inside one zone, and every frame after its head is a tail;
 * - each free list is a well-linked chain of free heads of its order and zone,
 *   nr_free counts it, and every free head is on one;
 * - a zone's free_pages is the sum of its free blocks;
 * - never two free buddies of one order (they would have merged);
 * - managed <= present <= spanned, managed = present - reserved frames, and
 *   min <= low <= high <= promo; the zones cover every frame.
 * compaction (check_compaction, compaction.c): each zone's nr_isolated counts
 *   its frames marked isolated, which are order-0 pages in use (targets or
 *   pages being moved), and none is left once no compaction or migration
 *   runs; procs_check.c adds that a migration entry names an isolated page.
 * slub (check_slub, slub_check.c): every slab list well linked and counted,
 *   each freelist exactly the slab's free objects, slab frames in state slab,
 *   the cache's counters the sums over its slabs, live large kmallocs' blocks.
 * vmalloc (check_vmalloc, vmalloc.c): busy areas sorted, disjoint and inside
 *   the range, their pages order-0 vmalloc frames, the page count equal to
 *   the frames in state vmalloc.
 * procs (check_procs, procs_check.c): VMAs sorted, disjoint and indexed,
 *   every present user PTE inside a VMA that allows it, _mapcount equal to
 *   the PTEs mapping the page (against the reverse map), _refcount at least
 *   the mappers, the zero page never writable, the counters' sums.
 * textbook (check_textbook, textbook/): each course model's own invariants.
 * pgtable (check_pgtables, pgtable_check.c): each mm's tree is well formed
 *   (every table in an order-0 pagetable frame, recording its owner, depth,
 *   parent and index; entries not present are zero with no child; leaves
 *   only where the format allows them, with no child; table entries hold
 *   their child's pfn; nr_used and nr_tables count what is there); no table
 *   frame is reached twice and every pagetable frame is a reached table; a
 *   pending TLB flush belongs to the operation still in progress; every
 *   valid TLB entry has a live ASID, sits in the set its tag selects, and
 *   caches the current leaf (up to accessed/dirty) unless its flush is
 *   pending.
 * Each checker's own file lists its invariants in full.
 */
#include "check.h"
#include "subsys.h"

#include <stdarg.h>
#include <stdio.h>

int check_fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

#define FAIL(...) return check_fail(why, whylen, __VA_ARGS__)

static int check_list(const struct machine *m, const struct zone *z, unsigned o, char *why, size_t whylen)
{
	const struct free_area *a = &z->free_area[o];
	uint32_t prev = PFN_NONE, n = 0;
	for (uint32_t p = a->head; p != PFN_NONE; p = m->frames[p].next) {
		const struct frame *f = &m->frames[p];
		if (++n > a->nr_free)
			FAIL("zone %u order %u: free list longer than nr_free %u", z->id, o, a->nr_free);
		if (!zone_has_pfn(z, p) || frame_state(f) != FS_FREE || frame_order(f) != o)
			FAIL("zone %u order %u: pfn 0x%x on the list is not a free order-%u head here", z->id, o, p, o);
		if (f->prev != prev)
			FAIL("zone %u order %u: pfn 0x%x has a wrong prev link", z->id, o, p);
		prev = p;
	}
	if (a->tail != prev)
		FAIL("zone %u order %u: tail is 0x%x, list ends at 0x%x", z->id, o, a->tail, prev);
	if (n != a->nr_free)
		FAIL("zone %u order %u: nr_free is %u, list has %u", z->id, o, a->nr_free, n);
	return 0;
}

static int check_blocks(const struct machine *m, const struct zone *z, char *why, size_t whylen)
{
	uint32_t free_heads[MAX_ORDER_LIMIT] = {0};
	uint64_t free_pages = 0, reserved = 0, boot = 0;
	uint32_t end = z->start_pfn + z->spanned;
	for (uint32_t p = z->start_pfn; p < end;) {
		const struct frame *f = &m->frames[p];
		unsigned st = frame_state(f), o = frame_order(f);
		if (st == FS_TAIL)
			FAIL("pfn 0x%x is a tail with no block head before it", p);
		if (o >= m->max_order || (p & ((1u << o) - 1)) || p + (1u << o) > end)
			FAIL("block 0x%x order %u is misaligned or leaves its zone", p, o);
		for (uint32_t t = p + 1; t < p + (1u << o); t++)
			if (frame_state(&m->frames[t]) != FS_TAIL)
				FAIL("pfn 0x%x inside block 0x%x order %u is not a tail", t, p, o);
		if (st == FS_FREE) {
			free_heads[o]++;
			free_pages += 1u << o;
			uint32_t b = p ^ (1u << o);
			if (o + 1 < m->max_order && zone_has_pfn(z, b) && frame_state(&m->frames[b]) == FS_FREE &&
			    frame_order(&m->frames[b]) == o)
				FAIL("free buddies 0x%x and 0x%x of order %u did not merge", p, b, o);
		}
		if (st == FS_RESERVED)
			reserved++;
		if (st == FS_MEMBLOCK)
			boot += 1u << o;
		p += 1u << o;
	}
	for (unsigned o = 0; o < m->max_order; o++)
		if (free_heads[o] != z->free_area[o].nr_free)
			FAIL("zone %u order %u: %u free heads but nr_free %u", z->id, o, free_heads[o],
			     z->free_area[o].nr_free);
	if (free_pages != z->free_pages)
		FAIL("zone %u: free_pages %u but free blocks hold %llu", z->id, z->free_pages,
		     (unsigned long long)free_pages);
	/* holes are reserved frames too: spanned - present of them */
	if (z->spanned - reserved - boot != z->managed)
		FAIL("zone %u: managed %u but %llu frames are reserved and %llu still memblock's of %u", z->id,
		     z->managed, (unsigned long long)reserved, (unsigned long long)boot, z->spanned);
	return 0;
}

int check_buddy(const struct machine *m, char *why, size_t whylen)
{
	uint64_t covered = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		covered += z->spanned;
		if (z->managed > z->present || z->present > z->spanned)
			FAIL("zone %u: managed %u, present %u, spanned %u out of order", z->id, z->managed,
			     z->present, z->spanned);
		if (z->wmark[WMARK_MIN] > z->wmark[WMARK_LOW] || z->wmark[WMARK_LOW] > z->wmark[WMARK_HIGH] ||
		    z->wmark[WMARK_HIGH] > z->wmark[WMARK_PROMO])
			FAIL("zone %u: watermarks out of order", z->id);
		for (unsigned o = 0; o < m->max_order; o++)
			if (check_list(m, z, o, why, whylen))
				return -1;
		for (unsigned o = m->max_order; o < MAX_ORDER_LIMIT; o++)
			if (z->free_area[o].nr_free)
				FAIL("zone %u: a free block of order %u, beyond max_order", z->id, o);
		if (check_blocks(m, z, why, whylen))
			return -1;
	}
	/* frames outside every zone (below the first usable page) are holes */
	uint32_t first = m->nr_frames;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		if (m->zones[i].spanned && m->zones[i].start_pfn < first)
			first = m->zones[i].start_pfn;
	for (uint32_t p = 0; p < first; p++)
		if (m->frames[p].info != frame_info(FS_RESERVED, 0))
			FAIL("pfn 0x%x lies before every zone but is not a reserved hole frame", p);
	if (covered + first != m->nr_frames)
		FAIL("zones cover %llu of %u frames", (unsigned long long)covered, m->nr_frames);
	return 0;
}

int check_machine(const struct machine *m, char *why, size_t whylen)
{
	for (const struct mm_subsys *s = mm_subsystems; s->name; s++)
		if (s->check && s->check(m, why, whylen))
			return -1;
	return 0;
}
