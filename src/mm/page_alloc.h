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

#endif
