/*
 * Per-cpu page lists (struct per_cpu_pages, include/linux/mmzone.h; the
 * pcp functions of mm/page_alloc.c, 6.18): see pcp.c.
 */
#ifndef MM_PCP_H
#define MM_PCP_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "page_alloc.h"

#define NR_LOWORDER_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_THP 2 /* the THP order: unmovable and movable */
#define NR_PCP_LISTS (NR_LOWORDER_PCP_LISTS + NR_PCP_THP)
#define PCP_BATCH_SCALE_MAX 5 /* CONFIG_PCP_BATCH_SCALE_MAX */
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

enum { PCPF_PREV_FREE_HIGH_ORDER = 1 };

struct per_cpu_pages {
	uint32_t count;        /* pages on the lists */
	uint32_t high;         /* free to the buddy above this; tuned within [high_min, high_max] */
	uint32_t high_min, high_max, batch; /* set at boot (zone_set_pageset_high_and_batch) */
	uint32_t free_count;   /* pages freed lately: the next bulk free's size */
	uint32_t alloc_factor; /* refills double while allocations come without frees */
	uint32_t flags;
	struct free_list lists[NR_PCP_LISTS];
};

static inline struct per_cpu_pages *zone_pcp(const struct machine *m, const struct zone *z, unsigned cpu)
{
	return m->pcp[z->id] ? &m->pcp[z->id][cpu] : NULL;
}

bool pcp_allowed_order(const struct machine *m, unsigned order);
unsigned order_to_pindex(const struct machine *m, unsigned mt, unsigned order);
unsigned pindex_to_order(const struct machine *m, unsigned pindex);
/* The migrate type of list pindex (the THP lists: unmovable, movable). */
unsigned pindex_to_migratetype(unsigned pindex);

/* zone_batchsize and zone_highsize (percpu_pagelist_high_fraction 0 is the
 * default, high from the low watermark). */
uint32_t zone_batchsize(const struct machine *m, const struct zone *z);
uint32_t zone_highsize(const struct machine *m, const struct zone *z, uint32_t batch, unsigned cpu_online,
		       unsigned high_fraction);
/* The "vm stats threshold" of zoneinfo (calculate_normal_threshold). */
unsigned calculate_normal_threshold(const struct machine *m, const struct zone *z);

/* Subsystem hooks: boot (after the watermarks) and teardown. */
bool pcp_init(struct machine *m); /* false: out of host memory */
/* batch, high_min and high_max of every pageset from the zone's size and
 * low watermark (zone_pcp_update), whenever the watermarks are set. */
void zone_pcp_update(struct machine *m);
void pcp_free(struct machine *m);

/* Inside an operation, on m->this_cpu: */
uint32_t rmqueue_pcplist(struct machine *m, struct zone *z, unsigned order, unsigned mt, unsigned alloc_flags);
/* __free_frozen_pages: to this CPU's list, or to the buddy. */
void free_frozen_pages(struct machine *m, struct zone *z, uint32_t pfn, unsigned order);
/* Every CPU's lists of zone z (NULL: every zone) back to the buddy
 * (drain_all_pages, for reclaim and compaction); pages returned. */
uint32_t drain_all_pages(struct machine *m, struct zone *z);
/* This CPU's lists of zone z back to the buddy (drain_local_pages). */
uint32_t drain_local_pages(struct machine *m, struct zone *z);
/* drain_all_pages as one operation of its own (MM_OK even when empty). */
int drain_all_pages_op(struct machine *m);

/* The pages on one list of cpu's pcp (walks it: for views and checks). */
uint32_t pcp_list_len(const struct machine *m, const struct per_cpu_pages *p, unsigned pindex);

#endif
