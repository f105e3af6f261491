/* The buddy allocator and the zone watermarks (see page_alloc.c). */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stdint.h>

#include "gfp.h"
#include "machine.h"

/* alloc_flags, as mm/internal.h names them. */
enum {
	ALLOC_WMARK_MIN = WMARK_MIN,
	ALLOC_WMARK_LOW = WMARK_LOW,
	ALLOC_WMARK_HIGH = WMARK_HIGH,
	ALLOC_WMARK_MASK = 3,
	ALLOC_MIN_RESERVE = 1u << 3, /* __GFP_HIGH: half of min may be used */
	ALLOC_NON_BLOCK = 1u << 4,   /* cannot reclaim: a further quarter */
};

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

#endif
