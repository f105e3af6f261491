/*
 * The buddy allocator, modelled on mm/page_alloc.c:
 * - __alloc_pages: the fast path walks the zonelist at the low watermark
 *   (get_page_from_freelist); failing that, __alloc_pages_slowpath walks it
 *   again with gfp_to_alloc_flags (the min watermark, less for __GFP_HIGH and
 *   for requests that cannot block).
 * - zone_watermark_ok as __zone_watermark_ok: free pages less the 2^order - 1
 *   that cannot serve the request must exceed the mark plus lowmem_reserve,
 *   and an order > 0 request needs a free block of at least its order.
 * - rmqueue: orders the per-cpu lists keep come from them (pcp.c); others
 *   go to __rmqueue: __rmqueue_smallest on the request's migrate type
 *   (gfp_migratetype), then claiming or stealing a foreign block
 *   (pageblock.c), the stage remembered across rmqueue_bulk's calls (6.16's
 *   rmqueue_mode).  A first walk for a Normal zone with DMA32 beside it
 *   may fall back only by whole pageblocks (ALLOC_NOFRAGMENT), then walks
 *   again without.
 * - __rmqueue_smallest takes the first block of the smallest order that has
 *   one on the type's list; expand() keeps the lower half and puts each upper
 *   half at the head of that list.
 * - __free_one_page merges with the buddy (pfn ^ 1 << order) while it is free,
 *   of the same order and in the same zone, and puts the result at the tail
 *   when its next-order buddy is free too (buddy_merge_likely).  From
 *   pageblock_order up, isolated and highatomic blocks merge only with their
 *   own type; a buddy of another mergeable type takes the freed block's type
 *   (all its pageblocks: memstep keeps every pageblock of a free block above
 *   pageblock_order alike, where 6.18 retypes only the buddy's first).
 * - machine{migratetypes=false, pcp=false} (today's default, until the
 *   scenarios written for it say so) is the textbook buddy: every request
 *   is movable, so one list per order serves all, and no per-cpu lists.
 * - min_free_kbytes, watermarks and lowmem_reserve as init_per_zone_wmark_min,
 *   __setup_per_zone_wmarks and setup_per_zone_lowmem_reserve compute them
 *   (without THP, whose khugepaged raises min_free_kbytes further).
 * Simplified away: page shuffling, CMA and highatomic reserves.
 * The slow path is page_alloc_slowpath.c.
 * The end of this file holds what compaction and migration use of the free
 * lists, in three functions.
 */
#include "page_alloc.h"
#include "numa.h"
#include "pcp.h"

#include "compaction.h"

#include "memblock.h"

#include <stdio.h>

#include "vmscan.h"

/* ---- free lists (every write journaled) ---- */

static void set_info(struct machine *m, uint32_t pfn, unsigned state, unsigned order)
{
	jset32(&m->j, &m->frames[pfn].info, frame_info(state, order));
}

void pfn_list_add(struct machine *m, struct free_list *l, uint32_t pfn, bool tail)
{
	struct frame *f = &m->frames[pfn];
	uint32_t prev = tail ? l->tail : PFN_NONE, next = tail ? PFN_NONE : l->head;
	jset32(&m->j, &f->prev, prev);
	jset32(&m->j, &f->next, next);
	jset32(&m->j, prev == PFN_NONE ? &l->head : &m->frames[prev].next, pfn);
	jset32(&m->j, next == PFN_NONE ? &l->tail : &m->frames[next].prev, pfn);
}

void pfn_list_del(struct machine *m, struct free_list *l, uint32_t pfn)
{
	struct frame *f = &m->frames[pfn];
	uint32_t prev = f->prev, next = f->next;
	jset32(&m->j, prev == PFN_NONE ? &l->head : &m->frames[prev].next, next);
	jset32(&m->j, next == PFN_NONE ? &l->tail : &m->frames[next].prev, prev);
	jset32(&m->j, &f->prev, 0);
	jset32(&m->j, &f->next, 0);
}

void add_to_free_list(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt, bool tail)
{
	struct free_area *a = &z->free_area[order];
	pfn_list_add(m, &a->free_list[mt], pfn, tail);
	jset32(&m->j, &a->nr_free, a->nr_free + 1);
	jset32(&m->j, &a->nr[mt], a->nr[mt] + 1);
	jset32(&m->j, &z->free_pages, z->free_pages + (1u << order));
	set_info(m, pfn, FS_FREE, order);
}

/* Unlink a free block; its state is left to the caller. */
void del_from_free_list(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt)
{
	struct free_area *a = &z->free_area[order];
	pfn_list_del(m, &a->free_list[mt], pfn);
	jset32(&m->j, &a->nr_free, a->nr_free - 1);
	jset32(&m->j, &a->nr[mt], a->nr[mt] - 1);
	jset32(&m->j, &z->free_pages, z->free_pages - (1u << order));
}

void buddy_boot_free(struct machine *m, struct zone *z, uint32_t pfn, unsigned order)
{
	add_to_free_list(m, z, pfn, order, free_list_type(m, pfn), true);
}

/* ---- watermarks ---- */

static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0, bit = 1ull << 62;
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static bool is_highmem_or_movable(unsigned type)
{
	return type == ZONE_HIGHMEM || type == ZONE_MOVABLE;
}

/* Pages of a zone's memory from kilobytes, for any page size. */
static uint64_t kb_to_pages(const struct machine *m, uint64_t kb)
{
	return (kb << 10) >> m->page_shift;
}

uint32_t calculate_min_free_kbytes(const struct machine *m)
{
	/* nr_free_buffer_pages(): managed pages above the high watermark in
	 * the zones GFP_USER may use (all but HighMem and Movable); at boot
	 * the watermarks are still zero. */
	uint64_t pages = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		if (!is_highmem_or_movable(z->type) && z->managed > z->wmark[WMARK_HIGH])
			pages += z->managed - z->wmark[WMARK_HIGH];
	}
	uint64_t lowmem_kbytes = (pages << m->page_shift) >> 10;
	uint64_t kb = isqrt(lowmem_kbytes * 16);
	if (kb < 128)
		kb = 128;
	if (kb > 262144)
		kb = 262144;
	return (uint32_t)kb;
}

void setup_per_zone_wmarks(struct machine *m)
{
	uint64_t pages_min = kb_to_pages(m, m->min_free_kbytes);
	uint64_t lowmem_pages = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		if (!is_highmem_or_movable(m->zones[i].type))
			lowmem_pages += m->zones[i].managed;

	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		struct zone *z = &m->zones[i];
		/* The zone's share of pages_min, by its managed pages. */
		uint64_t tmp = lowmem_pages ? pages_min * z->managed / lowmem_pages : 0;
		uint64_t min = tmp;
		if (is_highmem_or_movable(z->type)) {
			/* HighMem needs little reserve: a small clamped fraction. */
			min = z->managed / 1024;
			min = min < 32 ? 32 : (min > 128 ? 128 : min);
		}
		/* Gaps between the marks: a quarter of min, or the scale
		 * factor's share of the zone, whichever is larger. */
		uint64_t gap = tmp >> 2;
		uint64_t scaled = (uint64_t)z->managed * m->watermark_scale_factor / 10000;
		if (scaled > gap)
			gap = scaled;
		jset32(&m->j, &z->wmark[WMARK_MIN], (uint32_t)min);
		jset32(&m->j, &z->wmark[WMARK_LOW], (uint32_t)(min + gap));
		jset32(&m->j, &z->wmark[WMARK_HIGH], (uint32_t)(min + 2 * gap));
		jset32(&m->j, &z->wmark[WMARK_PROMO], (uint32_t)(min + 3 * gap));
	}
}

/* sysctl_lowmem_reserve_ratio defaults: DMA 256, DMA32 256, Normal 32. */
static const uint32_t lowmem_reserve_ratio[MAX_NR_ZONES] = {256, 256, 32, 0, 0};

static void setup_per_zone_lowmem_reserve(struct machine *m)
{
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		for (unsigned i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = machine_zone(m, n, i);
			uint32_t ratio = lowmem_reserve_ratio[i];
			bool clear = !ratio || !z->managed;
			uint64_t upper = 0;
			jset32(&m->j, &z->lowmem_reserve[i], 0);
			for (unsigned j = i + 1; j < MAX_NR_ZONES; j++) {
				upper += machine_zone(m, n, j)->managed;
				jset32(&m->j, &z->lowmem_reserve[j], clear ? 0 : (uint32_t)(upper / ratio));
			}
		}
	}
}

void init_per_zone_wmark_min(struct machine *m)
{
	jset32(&m->j, &m->min_free_kbytes,
	       m->cfg.min_free_kbytes >= 0 ? (uint32_t)m->cfg.min_free_kbytes : calculate_min_free_kbytes(m));
	setup_per_zone_wmarks(m);
	setup_per_zone_lowmem_reserve(m);
	zone_pcp_update(m);
}

/* Whether some free block of at least this order exists in the zone. */
static bool has_free_block(const struct machine *m, const struct zone *z, unsigned order)
{
	/* the lists an ordinary request may fall back to: not highatomic
	 * reserves nor isolated blocks */
	for (unsigned o = order; o < m->max_order; o++) {
		const struct free_area *a = &z->free_area[o];
		if (a->nr_free - a->nr[MIGRATE_HIGHATOMIC] - a->nr[MIGRATE_ISOLATE])
			return true;
	}
	return false;
}

/* __zone_watermark_ok, one step.  *fragmented is set when only the order
 * check failed: there was memory, but not in a block large enough. */
static bool zone_watermark_ok(struct machine *m, struct zone *z, unsigned order, unsigned alloc_flags,
			      unsigned highest, bool *fragmented)
{
	unsigned wmark = alloc_flags & ALLOC_WMARK_MASK;
	int64_t min = z->wmark[wmark];
	int64_t usable = (int64_t)z->free_pages - ((1 << order) - 1);
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	int64_t reserve = z->lowmem_reserve[highest];
	bool ok = usable > min + reserve;
	if (ok && order && !has_free_block(m, z, order)) {
		ok = false;
		*fragmented = true;
	}
	EMIT(m, EV_WATERMARK, z->id, order, z->free_pages, usable, wmark, min, reserve, ok);
	return ok;
}

/* ---- allocation ---- */

void expand(struct machine *m, struct zone *z, uint32_t pfn, unsigned low, unsigned high, unsigned mt)
{
	while (high > low) {
		high--;
		uint32_t buddy = pfn + (1u << high);
		add_to_free_list(m, z, buddy, high, mt, false);
		set_info(m, pfn, FS_ALLOC, high);
		EMIT(m, EV_SPLIT, z->id, pfn, high, buddy);
	}
}

void take_free_block(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt)
{
	del_from_free_list(m, z, pfn, order, mt);
	set_info(m, pfn, FS_ALLOC, order);
	EMIT(m, EV_TAKE, z->id, pfn, order);
}

void page_del_and_expand(struct machine *m, struct zone *z, uint32_t pfn, unsigned low, unsigned high,
			 unsigned from_mt, unsigned to_mt)
{
	take_free_block(m, z, pfn, high, from_mt);
	expand(m, z, pfn, low, high, to_mt);
}

uint32_t rmqueue_smallest(struct machine *m, struct zone *z, unsigned order, unsigned mt)
{
	for (unsigned o = order; o < m->max_order; o++) {
		uint32_t pfn = z->free_area[o].free_list[mt].head;
		if (pfn == PFN_NONE)
			continue;
		page_del_and_expand(m, z, pfn, order, o, mt, mt);
		return pfn;
	}
	return PFN_NONE;
}

uint32_t rmqueue(struct machine *m, struct zone *z, unsigned order, unsigned mt, unsigned alloc_flags,
		 enum rmqueue_mode *mode)
{
	/* Remember the stage that found pages: rmqueue_bulk calls in a loop
	 * and the lists change only by its own hand. */
	uint32_t pfn = PFN_NONE;
	switch (*mode) {
	case RMQUEUE_NORMAL:
		pfn = rmqueue_smallest(m, z, order, mt);
		if (pfn != PFN_NONE)
			return pfn;
		/* fallthrough */
	case RMQUEUE_CLAIM:
		pfn = rmqueue_claim(m, z, order, mt, alloc_flags);
		if (pfn != PFN_NONE) {
			*mode = RMQUEUE_NORMAL; /* the native list is replenished */
			return pfn;
		}
		/* fallthrough */
	case RMQUEUE_STEAL:
		if (!(alloc_flags & ALLOC_NOFRAGMENT)) {
			pfn = rmqueue_steal(m, z, order, mt);
			if (pfn != PFN_NONE)
				*mode = RMQUEUE_STEAL;
		}
	}
	return pfn;
}

/* rmqueue(): orders the per-cpu lists keep come from them, others from the buddy. */
static uint32_t rmqueue_zone(struct machine *m, struct zone *z, unsigned order, unsigned mt, unsigned alloc_flags)
{
	if (pcp_allowed_order(m, order)) {
		uint32_t pfn = rmqueue_pcplist(m, z, order, mt, alloc_flags);
		if (pfn != PFN_NONE)
			return pfn;
	}
	enum rmqueue_mode mode = RMQUEUE_NORMAL;
	return rmqueue(m, z, order, mt, alloc_flags, &mode);
}


/* Node order of the zonelist: build_zonelists by distance (numa.c). */
static unsigned zonelist_node(const struct machine *m, unsigned local, unsigned i)
{
	return numa_zonelist_node(m, local, i);
}

/* alloc_flags_nofragment: a request whose first zone is Normal, with DMA32
 * below it, falls back only by whole pageblocks on its first walk. */
unsigned alloc_flags_nofragment(const struct machine *m, unsigned highest, unsigned local)
{
	if (!m->cfg.migratetypes || !arch_has_zone(m, ZONE_DMA32))
		return 0;
	for (int t = (int)highest; t >= 0; t--) {
		const struct zone *z = machine_zone(m, local, (unsigned)t);
		if (!zone_populated(z))
			continue;
		if (t != ZONE_NORMAL)
			return 0;
		if (m->nr_nodes > 1 && !zone_populated(machine_zone(m, local, ZONE_DMA32)))
			return 0;
		return ALLOC_NOFRAGMENT;
	}
	return 0;
}

uint32_t get_page_from_freelist(struct machine *m, unsigned order, unsigned alloc_flags,
				unsigned highest, unsigned local, unsigned mt, struct alloc_walk *w)
{
retry:
	for (unsigned i = 0; i < m->nr_nodes; i++) {
		unsigned node = zonelist_node(m, local, i);
		if (w->nodemask && !(w->nodemask >> node & 1))
			continue;
		for (int t = (int)highest; t >= 0; t--) {
			struct zone *z = machine_zone(m, node, (unsigned)t);
			if (!zone_populated(z))
				continue;
			if (!w->have_preferred) {
				w->have_preferred = true;
				w->preferred = z->id;
			}
			if (w->tried)
				EMIT(m, EV_FALLBACK, w->last, z->id, order);
			w->tried = true;
			w->last = z->id;
			if (!zone_watermark_ok(m, z, order, alloc_flags, highest, &w->fragmented))
				continue;
			uint32_t pfn = rmqueue_zone(m, z, order, mt, alloc_flags);
			if (pfn != PFN_NONE) {
				jset32(&m->j, &m->frames[pfn].born, mm_next_step(m));
				if (w->compacted)
					count_compact_event(m, z, CE_COMPACTSUCCESS, 1);
				zone_statistics(m, w->preferred, z->id);
				EMIT(m, EV_DONE, z->id, pfn, order);
				return pfn;
			}
		}
	}
	/* Every zone was fragmented for whole-block claims: walk again,
	 * allowing any fallback. */
	if (alloc_flags & ALLOC_NOFRAGMENT) {
		alloc_flags &= ~(unsigned)ALLOC_NOFRAGMENT;
		goto retry;
	}
	return PFN_NONE;
}

/* ---- freeing ---- */

/* page_is_buddy: free, of this order, and in the same zone. */
static bool page_is_buddy(const struct machine *m, const struct zone *z, uint32_t buddy, unsigned order)
{
	if (!zone_has_pfn(z, buddy))
		return false;
	const struct frame *f = &m->frames[buddy];
	return frame_state(f) == FS_FREE && frame_order(f) == order;
}

/* Put it at the tail when the block it would make with its buddy has a
 * free buddy too: a coming merge is likely, so leave it unused longer. */
static bool buddy_merge_likely(const struct machine *m, const struct zone *z, uint32_t pfn, unsigned order)
{
	if (order + 2 >= m->max_order)
		return false;
	uint32_t higher = pfn & ~(1u << order);
	return page_is_buddy(m, z, higher ^ (1u << (order + 1)), order + 1);
}

void free_one_page(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt)
{
	while (order + 1 < m->max_order) {
		uint32_t buddy = pfn ^ (1u << order);
		if (!page_is_buddy(m, z, buddy, order))
			break;
		/* inside one pageblock the buddy's list is the block's own */
		unsigned buddy_mt = order < m->pageblock_order ? mt : free_list_type(m, buddy);
		/* Across pageblocks, isolated and highatomic blocks merge only
		 * with their own kind, so their accounting stays whole. */
		if (order >= m->pageblock_order && mt != buddy_mt &&
		    (!migratetype_is_mergeable(mt) || !migratetype_is_mergeable(buddy_mt)))
			break;
		del_from_free_list(m, z, buddy, order, buddy_mt);
		uint32_t combined = pfn & buddy;
		set_info(m, combined == pfn ? buddy : pfn, FS_TAIL, 0);
		set_info(m, combined, FS_ALLOC, order + 1);
		/* The buddy's blocks take the freed block's type, so that a
		 * later expand() puts each half on its block's list. */
		if (buddy_mt != mt)
			change_pageblock_range(m, buddy, order, mt);
		pfn = combined;
		order++;
		EMIT(m, EV_MERGE, z->id, pfn, order, buddy);
	}
	bool tail = buddy_merge_likely(m, z, pfn, order);
	add_to_free_list(m, z, pfn, order, mt, tail);
	EMIT(m, EV_PUT, z->id, pfn, order, tail);
}

static int check_free(struct machine *m, uint32_t pfn, int order)
{
	if (pfn >= m->nr_frames)
		return mm_error(m, "pfn 0x%x is outside memory (pfns 0x0..0x%x)", pfn, m->nr_frames - 1);
	const struct frame *f = &m->frames[pfn];
	unsigned st = frame_state(f);
	if (st == FS_ALLOC) {
		if (order >= 0 && (unsigned)order != frame_order(f))
			return mm_error(m, "order mismatch: the block at pfn 0x%x has order %u, freed as order %d",
					pfn, frame_order(f), order);
		return MM_OK;
	}
	if (st == FS_RESERVED)
		return mm_error(m, "pfn 0x%x is reserved memory, never given to the page allocator", pfn);
	uint32_t head = block_head(m, pfn);
	const struct frame *h = &m->frames[head];
	if (frame_state(h) == FS_FREE || frame_state(h) == FS_PCP) {
		/* freed since it was last allocated: the second free of a block */
		if (f->freed > f->born)
			return mm_error(m, "double free: the block at pfn 0x%x was freed at step %u", pfn, f->freed);
		if (frame_state(h) == FS_PCP)
			return mm_error(m, "pfn 0x%x is free memory (on a per-cpu list, order %u at 0x%x), not an allocated block",
					pfn, frame_order(h), head);
		return mm_error(m, "pfn 0x%x is free memory (in the order-%u free block at 0x%x), not an allocated block",
				pfn, frame_order(h), head);
	}
	if (st == FS_TAIL)
		return mm_error(m, "pfn 0x%x is not the head of a block: it is inside the %s order-%u block at 0x%x",
				pfn, frame_state_names[frame_state(h)], frame_order(h), head);
	return mm_error(m, "pfn 0x%x is a %s page: free it through its owner, not free_pages", pfn,
			frame_state_names[st]);
}

int free_pages(struct machine *m, uint32_t pfn, int order)
{
	if (order >= (int)m->max_order)
		return mm_error(m, "order %d is out of range: this machine has orders 0..%u", order, m->max_order - 1);
	if (check_free(m, pfn, order) != MM_OK)
		return MM_EINVAL;
	struct zone *z = pfn_zone(m, pfn);
	unsigned o = frame_order(&m->frames[pfn]);
	mm_op_begin(m);
	jset32(&m->j, &m->frames[pfn].freed, mm_next_step(m));
	EMIT(m, EV_FREE, z->id, pfn, o);
	free_frozen_pages(m, z, pfn, o);
	mm_op_end(m);
	return MM_OK;
}

/* ---- compaction's and migration's access to the buddy ----
 * compaction.c and migrate.c reach the free lists only through these. */

bool pageblock_is_movable(const struct machine *m, uint32_t pfn)
{
	return get_pageblock_migratetype(m, pfn) == MIGRATE_MOVABLE;
}

bool free_area_has_movable(const struct zone *z, unsigned order)
{
	/* the movable list or a fallback a movable request may claim */
	const struct free_area *a = &z->free_area[order];
	return a->nr[MIGRATE_MOVABLE] || a->nr[MIGRATE_RECLAIMABLE] || a->nr[MIGRATE_UNMOVABLE];
}

static void count_isolated(struct machine *m, struct zone *z, int delta)
{
	jset32(&m->j, &z->compact.nr_isolated, z->compact.nr_isolated + (uint32_t)delta);
}

unsigned isolate_free_block(struct machine *m, uint32_t head)
{
	struct zone *z = pfn_zone(m, head);
	unsigned order = frame_order(&m->frames[head]);
	/* __isolate_free_page: leave the zone above min plus the block */
	if ((int64_t)z->free_pages - (1 << order) < (int64_t)z->wmark[WMARK_MIN])
		return 0;
	del_from_free_list(m, z, head, order, free_list_type(m, head));
	for (uint32_t p = head; p < head + (1u << order); p++)
		jset32(&m->j, &m->frames[p].info, frame_info(FS_ALLOC, 0) | FRAME_ISOLATED);
	count_isolated(m, z, 1 << order);
	return 1u << order;
}

void isolate_page(struct machine *m, uint32_t pfn)
{
	jset32(&m->j, &m->frames[pfn].info, m->frames[pfn].info | FRAME_ISOLATED);
	count_isolated(m, pfn_zone(m, pfn), 1);
}

void putback_page(struct machine *m, uint32_t pfn)
{
	jset32(&m->j, &m->frames[pfn].info, m->frames[pfn].info & ~FRAME_ISOLATED);
	count_isolated(m, pfn_zone(m, pfn), -1);
}

void release_isolated_page(struct machine *m, uint32_t pfn)
{
	putback_page(m, pfn);
	free_pages(m, pfn, 0);
}

void count_compact_event(struct machine *m, struct zone *z, enum compact_event e, uint32_t n)
{
	if (n)
		jset32(&m->j, &z->compact.ev[e], z->compact.ev[e] + n);
}

uint32_t take_page_off_buddy(struct machine *m, uint32_t pfn)
{
	uint32_t head = block_head(m, pfn);
	if (head == PFN_NONE || frame_state(&m->frames[head]) != FS_FREE)
		return PFN_NONE;
	struct zone *z = pfn_zone(m, head);
	unsigned order = frame_order(&m->frames[head]), mt = free_list_type(m, head);
	del_from_free_list(m, z, head, order, mt);
	set_info(m, head, FS_ALLOC, order);
	EMIT(m, EV_TAKE, z->id, head, order);
	/* break_down_buddy_pages: halve, freeing the half without pfn */
	while (order) {
		order--;
		uint32_t lower = head, upper = head + (1u << order);
		uint32_t keep = pfn >= upper ? upper : lower, other = keep == lower ? upper : lower;
		set_info(m, keep, FS_ALLOC, order);
		add_to_free_list(m, z, other, order, mt, false);
		EMIT(m, EV_SPLIT, z->id, keep, order, other);
		head = keep;
	}
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, 0) | FRAME_ISOLATED);
	count_isolated(m, z, 1);
	return pfn;
}
