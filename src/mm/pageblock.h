/*
 * Pageblocks and migrate types (include/linux/pageblock-flags.h and the
 * anti-fragmentation part of mm/page_alloc.c, 6.18): see pageblock.c.
 */
#ifndef MM_PAGEBLOCK_H
#define MM_PAGEBLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

static inline uint32_t pageblock_nr_pages(const struct machine *m) { return 1u << m->pageblock_order; }
static inline uint32_t pageblock_start_pfn(const struct machine *m, uint32_t pfn)
{
	return pfn & ~(pageblock_nr_pages(m) - 1);
}
/* Words of m->pageblock_flags. */
static inline uint32_t pageblock_words(const struct machine *m)
{
	uint32_t blocks = (m->nr_frames + pageblock_nr_pages(m) - 1) >> m->pageblock_order;
	return (blocks + 7) / 8;
}
static inline unsigned get_pageblock_migratetype(const struct machine *m, uint32_t pfn)
{
	uint32_t pb = pfn >> m->pageblock_order;
	return (m->pageblock_flags[pb >> 3] >> ((pb & 7) * 4)) & 0xf;
}
static inline bool migratetype_is_mergeable(unsigned mt) { return mt < MIGRATE_PCPTYPES; }

/* The kernel's pageblock_order for the machine (see pageblock.c). */
unsigned pageblock_order_for(const struct mm_config *c, unsigned page_shift);
/* Boot: the flags array, every pageblock MIGRATE_MOVABLE (memmap_init). */
bool pageblock_init(struct machine *m);
/* Journaled; one event per call (set_pageblock_migratetype). */
void set_pageblock_migratetype(struct machine *m, uint32_t pfn, unsigned mt);
/* Every pageblock of an order >= pageblock_order block (change_pageblock_range). */
void change_pageblock_range(struct machine *m, uint32_t pfn, unsigned order, unsigned mt);

/* gfp_migratetype: __GFP_MOVABLE movable, __GFP_RECLAIMABLE reclaimable, else
 * unmovable; the textbook switch serves everything as movable. */
unsigned gfp_migratetype(const struct machine *m, uint32_t gfp);
/* The list of pageblock mt a block freed at pfn goes to. */
unsigned free_list_type(const struct machine *m, uint32_t pfn);

/* fallbacks[]: the two types an allocation of mt may take from, in order. */
extern const uint8_t fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1];

/* __rmqueue's fallback stages, as 6.16's enum rmqueue_mode. */
enum rmqueue_mode { RMQUEUE_NORMAL, RMQUEUE_CLAIM, RMQUEUE_STEAL };
/* __rmqueue_claim / __rmqueue_steal: a block of order taken off a foreign
 * list, PFN_NONE if none. */
uint32_t rmqueue_claim(struct machine *m, struct zone *z, unsigned order, unsigned mt, unsigned alloc_flags);
uint32_t rmqueue_steal(struct machine *m, struct zone *z, unsigned order, unsigned mt);

/* Move every free block of pageblock pfn from list old to list new and set
 * its type (__move_freepages_block); returns the pages moved. */
uint32_t move_freepages_block(struct machine *m, struct zone *z, uint32_t pfn, unsigned old, unsigned mt);
/* prep_move_freepages_block's counts: free pages and movable in-use pages
 * of pfn's pageblock; false when the block leaves the zone. */
bool pageblock_counts(const struct machine *m, const struct zone *z, uint32_t pfn, uint32_t *free,
		      uint32_t *movable);

#endif
