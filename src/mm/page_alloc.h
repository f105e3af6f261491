/* The buddy allocator and the zone watermarks (see page_alloc.c). */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stdint.h>

#include "gfp.h"
#include "machine.h"
#include "pageblock.h"

/* alloc_flags, as mm/internal.h names them. */
enum {
	ALLOC_WMARK_MIN = WMARK_MIN,
	ALLOC_WMARK_LOW = WMARK_LOW,
	ALLOC_WMARK_HIGH = WMARK_HIGH,
	ALLOC_WMARK_MASK = 3,
	ALLOC_MIN_RESERVE = 1u << 3, /* __GFP_HIGH: half of min may be used */
	ALLOC_NON_BLOCK = 1u << 4,   /* cannot reclaim: a further quarter */
	ALLOC_NOFRAGMENT = 1u << 5,  /* fall back only by claiming whole pageblocks */
};

#define PAGE_ALLOC_COSTLY_ORDER 3

/*
 * Allocate a block of 2^order frames.  node < 0 means the local node (node 0).
 * MM_OK with *pfn set; MM_NOMEM with m->reason (and the state unchanged);
 * MM_EINVAL with m->error for a request that makes no sense.
 */
int alloc_pages(struct machine *m, unsigned order, uint32_t gfp, int node, uint32_t *pfn);
/* The same with a nodemask (0: every node), as __alloc_pages takes one
 * from a memory policy (mempolicy.c). */
int __alloc_pages(struct machine *m, unsigned order, uint32_t gfp, int node, uint64_t nodemask, uint32_t *pfn);
/* Free the block headed at pfn; order < 0 accepts the block's own order. */
int free_pages(struct machine *m, uint32_t pfn, int order);

/*
 * The buddy's free lists, for the page allocator's own files (pageblock.c,
 * pcp.c) and for compaction (as mm/internal.h shares them).  Each write is
 * journaled; callers are inside an operation.  A free block's list is its
 * pageblock's type (free_list_type); add/del keep nr_free, nr[mt] and the
 * zone's free_pages.
 */
void add_to_free_list(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt, bool tail);
/* The doubly linked pfn lists under both (the frames' prev/next links). */
void pfn_list_add(struct machine *m, struct free_list *l, uint32_t pfn, bool tail);
void pfn_list_del(struct machine *m, struct free_list *l, uint32_t pfn);
void del_from_free_list(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt);
/* expand(): halve [pfn, order high) down to low, the upper halves on list mt. */
void expand(struct machine *m, struct zone *z, uint32_t pfn, unsigned low, unsigned high, unsigned mt);
/* Take the free block (pfn, order) off list mt, allocated now: one step. */
void take_free_block(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt);
/* page_del_and_expand: take the free block (pfn, high) off list from_mt,
 * keep 2^low, the rest to list to_mt. */
void page_del_and_expand(struct machine *m, struct zone *z, uint32_t pfn, unsigned low, unsigned high,
			 unsigned from_mt, unsigned to_mt);
/* __rmqueue_smallest: the first block on list mt of the smallest order. */
uint32_t rmqueue_smallest(struct machine *m, struct zone *z, unsigned order, unsigned mt);
/* __rmqueue: native list, then claim a foreign block, then steal (mode as
 * rmqueue_bulk carries it across calls). */
uint32_t rmqueue(struct machine *m, struct zone *z, unsigned order, unsigned mt, unsigned alloc_flags,
		 enum rmqueue_mode *mode);
/* __free_one_page: merge and put on the free list of type mt. */
void free_one_page(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt);

/* Every free block of one order, list after list: start with pfn PFN_NONE
 * and *mt 0; PFN_NONE at the end.  *mt tells the list of the block. */
static inline uint32_t free_area_next(const struct machine *m, const struct free_area *a, uint32_t pfn,
				      unsigned *mt)
{
	pfn = pfn == PFN_NONE ? a->free_list[*mt].head : m->frames[pfn].next;
	while (pfn == PFN_NONE && *mt + 1 < MIGRATE_TYPES)
		pfn = a->free_list[++*mt].head;
	return pfn;
}

/* Boot: a block handed to the buddy with no event (memblock_free_all). */
void buddy_boot_free(struct machine *m, struct zone *z, uint32_t pfn, unsigned order);
/* Boot: min_free_kbytes, watermarks and lowmem_reserve. */
void init_per_zone_wmark_min(struct machine *m);
void setup_per_zone_wmarks(struct machine *m);
uint32_t calculate_min_free_kbytes(const struct machine *m);

#define PAGE_ALLOC_COSTLY_ORDER 3

/*
 * What compaction and migration use of the buddy's internals (the end of
 * page_alloc.c); with migrate types and per-CPU lists these adapt.
 * - pageblock_is_movable: the pageblock holding pfn is MIGRATE_MOVABLE
 *   (today every one is, the kernel's boot state);
 * - free_area_has_movable: a free block of this order a movable request
 *   may take (free_area_empty(area, MIGRATE_MOVABLE) and its fallbacks);
 * - isolate_free_block: __isolate_free_page and split_map_pages: the free
 *   block headed at head leaves its list and becomes isolated order-0
 *   pages; 0 (nothing done) if the zone would drop below min;
 * - take_page_off_buddy: the free frame pfn alone, isolated, the rest of
 *   its free block split and left free; PFN_NONE if pfn is not free;
 * - release_isolated_page: an isolated order-0 page back to the buddy.
 * isolate_page / putback_page only mark a frame (in use) as isolated or
 * not, keeping the zone's count.
 */
bool pageblock_is_movable(const struct machine *m, uint32_t pfn);
bool free_area_has_movable(const struct zone *z, unsigned order);
unsigned isolate_free_block(struct machine *m, uint32_t head);
uint32_t take_page_off_buddy(struct machine *m, uint32_t pfn);
void release_isolated_page(struct machine *m, uint32_t pfn);
void isolate_page(struct machine *m, uint32_t pfn);
void putback_page(struct machine *m, uint32_t pfn);
/* count_compact_event(s): a vm event of compaction or migration. */
void count_compact_event(struct machine *m, struct zone *z, enum compact_event e, uint32_t n);

/*
 * Shared by the fast path (page_alloc.c) and the slow path
 * (page_alloc_slowpath.c): one walk of the zonelist and what it found.
 */
struct alloc_walk {
	bool tried, fragmented, oom;
	bool compacted; /* the walk after direct compaction: a success counts */
	uint16_t last; /* zone id of the last zone tried */
	uint64_t nodemask; /* nodes allowed, 0 for all */
	bool have_preferred;
	uint16_t preferred; /* the first zone allowed (zone_statistics) */
};
/* get_page_from_freelist: the zonelist's zones from highest down, node by
 * node, each above the watermark alloc_flags names; PFN_NONE if none gave. */
uint32_t get_page_from_freelist(struct machine *m, unsigned order, unsigned alloc_flags, unsigned highest,
				unsigned local, unsigned mt, struct alloc_walk *w);
/* ALLOC_NOFRAGMENT for a first walk that should claim only whole pageblocks. */
unsigned alloc_flags_nofragment(const struct machine *m, unsigned highest, unsigned local);

#endif
