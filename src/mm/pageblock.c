/*
 * Pageblocks and migrate types, as Linux 6.18 groups pages by mobility
 * (include/linux/pageblock-flags.h, mm/page_alloc.c, mm/mm_init.c):
 * - pageblock_order is MIN(HUGETLB_PAGE_ORDER, MAX_PAGE_ORDER): 9 on x86_64,
 *   x86 with PAE and arm64 with 4K pages (a PMD maps 2M), 10 on 2-level x86
 *   (a PGD entry maps 4M); a toy machine uses its own page table's second
 *   lowest level the same way (page_shift - 3 with 8-byte entries when it has
 *   none), never above max_order - 1;
 * - every pageblock boots MIGRATE_MOVABLE (memmap_init_range); grouping is
 *   disabled (page_group_by_mobility_disabled) when the machine has fewer
 *   pages than pageblock_nr_pages * MIGRATE_TYPES (build_all_zonelists);
 * - gfp_migratetype; the fallbacks[] table;
 * - __rmqueue_claim: from the highest order down, the first foreign list
 *   (find_suitable_fallback, should_try_claim_block: current order >=
 *   pageblock_order / 2 or an unmovable/reclaimable request; orders below
 *   pageblock_order are not tried under ALLOC_NOFRAGMENT) and
 *   try_to_claim_block: a block of pageblock_order or more changes type
 *   whole; a smaller one claims its pageblock when its free pages plus the
 *   compatible in-use ones (movable pages for a movable request; for an
 *   unmovable or reclaimable one, all non-movable in-use pages of a movable
 *   block, none of another type's block) make half of it, moving its free
 *   blocks (__move_freepages_block) and taking from the native list;
 * - __rmqueue_steal: the smallest foreign block, its pageblock untouched.
 * Simplified: no CMA, no highatomic reserves (the type exists, nothing
 * reserves it), no watermark boost when a block is claimed.
 */
#include "pageblock.h"

#include <stdlib.h>

#include "gfp.h"
#include "page_alloc.h"

const char *const migratetype_names[MIGRATE_TYPES] = {"Unmovable", "Movable", "Reclaimable", "HighAtomic",
						       "Isolate"};

const uint8_t fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE},
	[MIGRATE_MOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE},
	[MIGRATE_RECLAIMABLE] = {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE},
};

unsigned pageblock_order_for(const struct mm_config *c, unsigned page_shift)
{
	unsigned huge;
	if (c->toy.depth >= 2) {
		huge = c->toy.bits[c->toy.depth - 1]; /* what one entry above the PTEs maps */
	} else if (c->toy.depth == 1 || !c->arch->name) {
		huge = page_shift > 3 ? page_shift - 3 : 0;
	} else {
		bool two_level = c->arch->zone_limit[ZONE_HIGHMEM] && c->arch->name[3] == 0; /* "x86" */
		huge = two_level ? 22 - 12 : (page_shift == 12 ? 9 : page_shift - 3);
	}
	return huge < c->max_order - 1 ? huge : c->max_order - 1;
}

bool pageblock_init(struct machine *m)
{
	m->pageblock_flags = calloc(pageblock_words(m), sizeof *m->pageblock_flags);
	if (!m->pageblock_flags)
		return false;
	for (uint32_t w = 0; w < pageblock_words(m); w++)
		m->pageblock_flags[w] = 0x11111111u * MIGRATE_MOVABLE;
	m->mobility_disabled = m->nr_frames < pageblock_nr_pages(m) * MIGRATE_TYPES;
	return true;
}

void set_pageblock_migratetype(struct machine *m, uint32_t pfn, unsigned mt)
{
	uint32_t pb = pfn >> m->pageblock_order;
	uint32_t *w = &m->pageblock_flags[pb >> 3];
	unsigned sh = (pb & 7) * 4, old = (*w >> sh) & 0xf;
	if (old == mt)
		return;
	jset32(&m->j, w, (*w & ~(0xfu << sh)) | (uint32_t)mt << sh);
	EMIT(m, EV_PAGEBLOCK_TYPE, pfn_zone(m, pfn)->id, pageblock_start_pfn(m, pfn), old, mt);
}

void change_pageblock_range(struct machine *m, uint32_t pfn, unsigned order, unsigned mt)
{
	uint32_t n = order > m->pageblock_order ? 1u << (order - m->pageblock_order) : 1;
	for (uint32_t i = 0; i < n; i++)
		set_pageblock_migratetype(m, pfn + (i << m->pageblock_order), mt);
}

unsigned gfp_migratetype(const struct machine *m, uint32_t gfp)
{
	if (!m->cfg.migratetypes)
		return MIGRATE_MOVABLE;
	if (m->mobility_disabled)
		return MIGRATE_UNMOVABLE;
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	return gfp & __GFP_RECLAIMABLE ? MIGRATE_RECLAIMABLE : MIGRATE_UNMOVABLE;
}

unsigned free_list_type(const struct machine *m, uint32_t pfn)
{
	return get_pageblock_migratetype(m, pfn);
}

static bool movable_state(unsigned st)
{
	return st == FS_ANON || st == FS_FILE || st == FS_SWAPCACHE; /* PageLRU */
}

bool pageblock_counts(const struct machine *m, const struct zone *z, uint32_t pfn, uint32_t *free,
		      uint32_t *movable)
{
	uint32_t start = pageblock_start_pfn(m, pfn), end = start + pageblock_nr_pages(m);
	*free = *movable = 0;
	if (!zone_has_pfn(z, start) || !zone_has_pfn(z, end - 1))
		return false;
	/* Blocks inside a pageblock holding a free block smaller than it never
	 * reach past it: walk them head by head. */
	for (uint32_t p = start; p < end;) {
		const struct frame *f = &m->frames[p];
		uint32_t n = 1u << frame_order(f);
		if (frame_state(f) == FS_FREE)
			*free += n;
		else if (movable_state(frame_state(f)))
			*movable += n;
		p += frame_state(f) == FS_TAIL ? 1 : n;
	}
	return true;
}

uint32_t move_freepages_block(struct machine *m, struct zone *z, uint32_t pfn, unsigned old, unsigned mt)
{
	uint32_t start = pageblock_start_pfn(m, pfn), end = start + pageblock_nr_pages(m), moved = 0;
	for (uint32_t p = start; p < end;) {
		const struct frame *f = &m->frames[p];
		unsigned o = frame_order(f);
		if (frame_state(f) == FS_FREE) {
			del_from_free_list(m, z, p, o, old);
			add_to_free_list(m, z, p, o, mt, true);
			moved += 1u << o;
		}
		p += frame_state(f) == FS_TAIL ? 1 : 1u << o;
	}
	set_pageblock_migratetype(m, start, mt);
	EMIT(m, EV_MOVE_FREEPAGES, z->id, start, old, mt, moved);
	return moved;
}

static bool should_try_claim_block(const struct machine *m, unsigned order, unsigned start_mt)
{
	if (order >= m->pageblock_order / 2)
		return true;
	/* Unmovable and reclaimable pages scattered over movable blocks
	 * fragment for good; movable ones can be migrated away later. */
	return start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE || m->mobility_disabled;
}

/* find_suitable_fallback: -2 when no lower order may be claimed, -1 when
 * this order has no foreign block, else the type to take from. */
static int find_suitable_fallback(const struct machine *m, const struct free_area *a, unsigned order,
				  unsigned mt, bool claimable)
{
	if (claimable && !should_try_claim_block(m, order, mt))
		return -2;
	if (!a->nr_free)
		return -1;
	for (unsigned i = 0; i < MIGRATE_PCPTYPES - 1; i++)
		if (a->free_list[fallbacks[mt][i]].head != PFN_NONE)
			return fallbacks[mt][i];
	return -1;
}

static uint32_t try_to_claim_block(struct machine *m, struct zone *z, uint32_t pfn, unsigned current_order,
				   unsigned order, unsigned start_mt, unsigned block_mt)
{
	if (current_order >= m->pageblock_order) {
		EMIT(m, EV_CLAIM_BLOCK, z->id, pfn, current_order, block_mt, start_mt, 1u << current_order, 0,
		     1u << current_order);
		take_free_block(m, z, pfn, current_order, block_mt);
		change_pageblock_range(m, pfn, current_order, start_mt);
		expand(m, z, pfn, order, current_order, start_mt);
		return pfn;
	}
	uint32_t free, movable, alike;
	if (!pageblock_counts(m, z, pfn, &free, &movable))
		return PFN_NONE;
	if (start_mt == MIGRATE_MOVABLE)
		alike = movable;
	else
		/* A movable block's non-movable in-use pages are unmovable or
		 * reclaimable: both count; between those two nothing tells. */
		alike = block_mt == MIGRATE_MOVABLE ? pageblock_nr_pages(m) - (free + movable) : 0;
	bool claim = free + alike >= pageblock_nr_pages(m) / 2 || m->mobility_disabled;
	EMIT(m, claim ? EV_CLAIM_BLOCK : EV_CLAIM_REFUSED, z->id, pageblock_start_pfn(m, pfn), current_order,
	     block_mt, start_mt, free, alike, pageblock_nr_pages(m));
	if (!claim)
		return PFN_NONE;
	move_freepages_block(m, z, pfn, block_mt, start_mt);
	return rmqueue_smallest(m, z, order, start_mt);
}

uint32_t rmqueue_claim(struct machine *m, struct zone *z, unsigned order, unsigned mt, unsigned alloc_flags)
{
	unsigned min_order = order;
	if (order < m->pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = m->pageblock_order;
	/* The largest foreign block roughly finds the pageblock with the most
	 * free pages, which is what claiming wants. */
	for (int o = (int)m->max_order - 1; o >= (int)min_order; o--) {
		struct free_area *a = &z->free_area[o];
		int fmt = find_suitable_fallback(m, a, (unsigned)o, mt, true);
		if (fmt == -1)
			continue;
		if (fmt == -2)
			break;
		uint32_t pfn = try_to_claim_block(m, z, a->free_list[fmt].head, (unsigned)o, order, mt, (unsigned)fmt);
		if (pfn != PFN_NONE)
			return pfn;
	}
	return PFN_NONE;
}

uint32_t rmqueue_steal(struct machine *m, struct zone *z, unsigned order, unsigned mt)
{
	for (unsigned o = order; o < m->max_order; o++) {
		struct free_area *a = &z->free_area[o];
		int fmt = find_suitable_fallback(m, a, o, mt, false);
		if (fmt < 0)
			continue;
		uint32_t pfn = a->free_list[fmt].head;
		EMIT(m, EV_STEAL, z->id, pfn, o, fmt, mt);
		page_del_and_expand(m, z, pfn, order, o, (unsigned)fmt, (unsigned)fmt);
		return pfn;
	}
	return PFN_NONE;
}
