/*
 * Per-cpu page lists, as Linux 6.18's mm/page_alloc.c keeps them:
 * - orders up to PAGE_ALLOC_COSTLY_ORDER and the THP order (here the
 *   pageblock order, when above the costly one) are cached per CPU and
 *   zone, one list per (order, pcp migrate type) as order_to_pindex lays
 *   them out; their pages are not PageBuddy (frame state pcp) and do not
 *   count in the zone's free pages, as NR_FREE_PAGES does not;
 * - batch from zone_batchsize (0.1% of the zone or 1 MiB, quartered, to
 *   2^n - 1), high_min from the low watermark and high_max from an eighth
 *   of the zone, each shared by the node's CPUs (zone_highsize,
 *   percpu_pagelist_high_fraction 0);
 * - rmqueue_pcplist: an empty list refills with rmqueue_bulk(nr_pcp_alloc):
 *   batch << alloc_factor order-0 pages, doubling while allocations come
 *   without frees, capped by the room below high, scaled down by order;
 *   pcp->high grows by the batch towards high_max;
 * - free_frozen_page_commit: the page goes to the head of its list; when the
 *   count reaches nr_pcp_high, free_pcppages_bulk returns nr_pcp_free pages
 *   (free_count clamped to [batch, high - batch]) round-robin from the
 *   lists, each from its tail, the list just freed to first; repeated frees
 *   of high orders without allocations free the lists outright (free_high);
 * - drain_all_pages returns every CPU's lists (direct reclaim's retry,
 *   page_alloc.c), drain_local_pages this CPU's of one zone (compaction's
 *   check_drain, when the migrate scanner leaves the block it freed into).
 * - while kswapd reclaims a zone (ZONE_RECLAIM_ACTIVE), nr_pcp_high lowers
 *   high by the free count and keeps at most 4 batches on the lists;
 * Simplified: no ZONE_BELOW_HIGH tuning of high (the high-watermark test
 * that sets it is not made), no decay_pcp_high (a timer),
 * no PCPF_FREE_HIGH_BATCH (it depends on the CPU's cache size).
 */
#include "pcp.h"

#include <stdlib.h>

#include "page_alloc.h"
#include "numa.h"
#include "pageblock.h"

static unsigned thp_order(const struct machine *m)
{
	return m->pageblock_order > PAGE_ALLOC_COSTLY_ORDER ? m->pageblock_order : MAX_ORDER_LIMIT;
}

bool pcp_allowed_order(const struct machine *m, unsigned order)
{
	if (!m->cfg.pcp)
		return false;
	return order <= PAGE_ALLOC_COSTLY_ORDER || order == thp_order(m);
}

unsigned order_to_pindex(const struct machine *m, unsigned mt, unsigned order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		(void)m;
		return NR_LOWORDER_PCP_LISTS + (mt == MIGRATE_MOVABLE);
	}
	return MIGRATE_PCPTYPES * order + mt;
}

unsigned pindex_to_order(const struct machine *m, unsigned pindex)
{
	return pindex >= NR_LOWORDER_PCP_LISTS ? thp_order(m) : pindex / MIGRATE_PCPTYPES;
}

unsigned pindex_to_migratetype(unsigned pindex)
{
	if (pindex >= NR_LOWORDER_PCP_LISTS)
		return pindex == NR_LOWORDER_PCP_LISTS ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE;
	return pindex % MIGRATE_PCPTYPES;
}

static uint32_t rounddown_pow_of_two(uint32_t x)
{
	return x ? 1u << (31 - __builtin_clz(x)) : 0;
}

uint32_t zone_batchsize(const struct machine *m, const struct zone *z)
{
	uint32_t one_mib = (1u << 20) >> m->page_shift;
	int64_t batch = z->managed >> 10;
	if (batch > one_mib)
		batch = one_mib;
	batch /= 4; /* rmqueue_bulk and the high mark make up for it */
	if (batch < 1)
		batch = 1;
	/* 2^n - 1: a power of two aliases badly between tasks sharing
	 * batches (the kernel's comment on page colours). */
	batch = (int64_t)rounddown_pow_of_two((uint32_t)(batch + batch / 2)) - 1;
	return batch < 1 ? 1 : (uint32_t)batch;
}

/* cpumask_weight(cpumask_of_node(node)); bounded by the CPUs, 4096 at most */
static unsigned cpus_on_node(const struct machine *m, unsigned node)
{
	unsigned n = 0;
	for (unsigned c = 0; c < m->cfg.cpus; c++)
		n += (m->numa ? cpu_to_node(m, c) : c % m->nr_nodes) == node; /* numa.c boots later */
	return n;
}

uint32_t zone_highsize(const struct machine *m, const struct zone *z, uint32_t batch, unsigned cpu_online,
		       unsigned high_fraction)
{
	uint64_t total = high_fraction ? z->managed / high_fraction : z->wmark[WMARK_LOW];
	unsigned split = cpus_on_node(m, z->node) + cpu_online;
	if (!split)
		split = m->cfg.cpus;
	uint64_t high = total / split;
	return (uint32_t)(high > (uint64_t)batch << 2 ? high : (uint64_t)batch << 2);
}

static unsigned fls32(uint32_t x) { return x ? 32 - (unsigned)__builtin_clz(x) : 0; }

unsigned calculate_normal_threshold(const struct machine *m, const struct zone *z)
{
	uint32_t mem = m->page_shift < 27 ? z->managed >> (27 - m->page_shift) : z->managed;
	unsigned t = 2 * fls32(m->cfg.cpus) * (1 + fls32(mem));
	return t < 125 ? t : 125;
}

bool pcp_init(struct machine *m)
{
	m->pcp = calloc(machine_nr_zones(m), sizeof *m->pcp);
	if (!m->pcp)
		return false;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		if (!zone_populated(&m->zones[i]))
			continue;
		m->pcp[i] = calloc(m->cfg.cpus, sizeof *m->pcp[i]);
		if (!m->pcp[i])
			return false;
		/* pcp->high stays 0 (BOOT_PAGESET_HIGH) until first used */
		for (unsigned c = 0; c < m->cfg.cpus; c++)
			for (unsigned l = 0; l < NR_PCP_LISTS; l++)
				m->pcp[i][c].lists[l].head = m->pcp[i][c].lists[l].tail = PFN_NONE;
	}
	return true;
}

void zone_pcp_update(struct machine *m)
{
	for (unsigned i = 0; m->pcp && i < machine_nr_zones(m); i++) {
		struct zone *z = &m->zones[i];
		if (!m->pcp[i])
			continue;
		uint32_t batch = zone_batchsize(m, z);
		uint32_t hmin = zone_highsize(m, z, batch, 0, 0);
		uint32_t hmax = zone_highsize(m, z, batch, 0, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
		for (unsigned c = 0; c < m->cfg.cpus; c++) {
			struct per_cpu_pages *p = &m->pcp[i][c];
			jset32(&m->j, &p->batch, batch);
			jset32(&m->j, &p->high_min, hmin);
			jset32(&m->j, &p->high_max, hmax);
		}
	}
}

void pcp_free(struct machine *m)
{
	for (unsigned i = 0; m->pcp && i < machine_nr_zones(m); i++)
		free(m->pcp[i]);
	free(m->pcp);
	m->pcp = NULL;
}

uint32_t pcp_list_len(const struct machine *m, const struct per_cpu_pages *p, unsigned pindex)
{
	uint32_t n = 0;
	for (uint32_t q = p->lists[pindex].head; q != PFN_NONE; q = m->frames[q].next)
		n++;
	return n;
}

/* ---- list primitives (journaled) ---- */

static void pcp_list_add(struct machine *m, struct per_cpu_pages *p, unsigned pindex, uint32_t pfn, unsigned order,
			 bool tail)
{
	pfn_list_add(m, &p->lists[pindex], pfn, tail);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_PCP, order));
	jset32(&m->j, &p->count, p->count + (1u << order));
}

static void pcp_list_del(struct machine *m, struct per_cpu_pages *p, unsigned pindex, uint32_t pfn, unsigned order)
{
	pfn_list_del(m, &p->lists[pindex], pfn);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, order));
	jset32(&m->j, &p->count, p->count - (1u << order));
}

static uint32_t clamp32(int64_t v, int64_t lo, int64_t hi)
{
	return (uint32_t)(v < lo ? lo : (v > hi ? hi : v));
}

/* ---- allocation ---- */

static uint32_t nr_pcp_alloc(struct machine *m, struct per_cpu_pages *p, unsigned order)
{
	int64_t base = p->batch, hmin = p->high_min, hmax = p->high_max;
	int64_t high = clamp32(p->high, hmin, hmax);
	jset32(&m->j, &p->high, (uint32_t)high);
	if (high < base) /* lists disabled, or the boot pageset */
		return 1;
	int64_t batch = order ? base : base << p->alloc_factor;
	/* a larger high would have kept the pages here: grow it */
	if (hmin != hmax) {
		high = high + batch < hmax ? high + batch : hmax;
		jset32(&m->j, &p->high, (uint32_t)high);
	}
	if (!order) {
		int64_t room = high - p->count - base;
		int64_t max_nr = room > base ? room : base;
		if (batch <= max_nr && p->alloc_factor < PCP_BATCH_SCALE_MAX)
			jset32(&m->j, &p->alloc_factor, p->alloc_factor + 1);
		batch = batch < max_nr ? batch : max_nr;
	}
	if (batch > 1) {
		batch >>= order;
		batch = batch > 2 ? batch : 2;
	}
	return (uint32_t)batch;
}

/* rmqueue_bulk: count blocks of order from the buddy onto list pindex. */
static uint32_t rmqueue_bulk(struct machine *m, struct zone *z, struct per_cpu_pages *p, unsigned pindex,
			     unsigned order, uint32_t count, unsigned mt, unsigned alloc_flags)
{
	enum rmqueue_mode mode = RMQUEUE_NORMAL;
	uint32_t i;
	for (i = 0; i < count; i++) {
		uint32_t pfn = rmqueue(m, z, order, mt, alloc_flags, &mode);
		if (pfn == PFN_NONE)
			break;
		pcp_list_add(m, p, pindex, pfn, order, true);
	}
	EMIT(m, EV_PCP_REFILL, z->id, m->this_cpu, order, mt, count, i, p->count);
	return i;
}

uint32_t rmqueue_pcplist(struct machine *m, struct zone *z, unsigned order, unsigned mt, unsigned alloc_flags)
{
	struct per_cpu_pages *p = zone_pcp(m, z, m->this_cpu);
	unsigned pindex = order_to_pindex(m, mt, order);
	/* an allocation halves the size of the next bulk free */
	jset32(&m->j, &p->free_count, p->free_count >> 1);
	if (p->lists[pindex].head == PFN_NONE) {
		uint32_t batch = nr_pcp_alloc(m, p, order);
		if (!rmqueue_bulk(m, z, p, pindex, order, batch, mt, alloc_flags))
			return PFN_NONE;
	}
	uint32_t pfn = p->lists[pindex].head;
	pcp_list_del(m, p, pindex, pfn, order);
	EMIT(m, EV_PCP_ALLOC, z->id, m->this_cpu, pfn, order, mt, p->count);
	return pfn;
}

/* ---- freeing ---- */

static void free_pcppages_bulk(struct machine *m, struct zone *z, unsigned cpu, uint32_t count, unsigned pindex)
{
	struct per_cpu_pages *p = zone_pcp(m, z, cpu);
	if (count > p->count)
		count = p->count;
	EMIT(m, EV_PCP_BULK_FREE, z->id, cpu, count, p->count, p->high);
	int64_t left = count;
	/* the list just freed to goes first, then round-robin */
	pindex = pindex ? pindex - 1 : NR_PCP_LISTS - 1;
	while (left > 0) {
		do
			pindex = pindex + 1 == NR_PCP_LISTS ? 0 : pindex + 1;
		while (p->lists[pindex].head == PFN_NONE);
		unsigned order = pindex_to_order(m, pindex);
		do {
			uint32_t pfn = p->lists[pindex].tail;
			pcp_list_del(m, p, pindex, pfn, order);
			left -= 1 << order;
			free_one_page(m, z, pfn, order, free_list_type(m, pfn));
		} while (left > 0 && p->lists[pindex].head != PFN_NONE);
	}
}

static uint32_t nr_pcp_high(struct machine *m, const struct zone *z, struct per_cpu_pages *p, uint32_t batch,
			    bool free_high)
{
	int64_t hmin = p->high_min, hmax = p->high_max;
	int64_t high = clamp32(p->high, hmin, hmax);
	jset32(&m->j, &p->high, (uint32_t)high);
	if (!high)
		return 0;
	if (free_high) {
		int64_t h = high - ((int64_t)batch << PCP_BATCH_SCALE_MAX);
		jset32(&m->j, &p->high, (uint32_t)(h > hmin ? h : hmin));
		return 0;
	}
	if (z->flags & ZONE_RECLAIM_ACTIVE) {
		/* reclaim is freeing pages: keep few of them here */
		int64_t fc = p->free_count > batch ? p->free_count : batch;
		int64_t h = high - fc > hmin ? high - fc : hmin;
		jset32(&m->j, &p->high, (uint32_t)h);
		return (uint32_t)((int64_t)batch << 2 < h ? (int64_t)batch << 2 : h);
	}
	if (hmin == hmax)
		return (uint32_t)high;
	if (p->count >= high) {
		/* room for the batch about to be freed */
		int64_t need = (int64_t)p->free_count + batch;
		if (p->high < need)
			jset32(&m->j, &p->high, clamp32(need, hmin, hmax));
	}
	return (uint32_t)high;
}

static uint32_t nr_pcp_free(const struct per_cpu_pages *p, uint32_t batch, uint32_t high, bool free_high)
{
	if (free_high) {
		uint32_t most = batch << PCP_BATCH_SCALE_MAX;
		return p->count < most ? p->count : most;
	}
	/* consecutive frees return more at once */
	return clamp32(p->free_count, batch, (int64_t)high - batch);
}

static void free_frozen_page_commit(struct machine *m, struct zone *z, uint32_t pfn, unsigned order, unsigned mt)
{
	unsigned cpu = m->this_cpu;
	struct per_cpu_pages *p = zone_pcp(m, z, cpu);
	unsigned pindex = order_to_pindex(m, mt, order);
	jset32(&m->j, &p->alloc_factor, p->alloc_factor >> 1);
	pcp_list_add(m, p, pindex, pfn, order, false);
	uint32_t batch = p->batch;
	bool free_high = false;
	/* high orders freed again and again without allocations fragment
	 * the buddy while they sit here: free them outright */
	if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
		free_high = p->free_count >= batch + p->high_min / 2 && (p->flags & PCPF_PREV_FREE_HIGH_ORDER);
		jset32(&m->j, &p->flags, p->flags | PCPF_PREV_FREE_HIGH_ORDER);
	} else if (p->flags & PCPF_PREV_FREE_HIGH_ORDER) {
		jset32(&m->j, &p->flags, p->flags & ~(uint32_t)PCPF_PREV_FREE_HIGH_ORDER);
	}
	if (p->free_count < batch << PCP_BATCH_SCALE_MAX)
		jset32(&m->j, &p->free_count, p->free_count + (1u << order));
	uint32_t high = nr_pcp_high(m, z, p, batch, free_high);
	EMIT(m, EV_PCP_FREE, z->id, cpu, pfn, order, mt, p->count, high);
	if (p->count >= high)
		free_pcppages_bulk(m, z, cpu, nr_pcp_free(p, batch, high, free_high), pindex);
}

void free_frozen_pages(struct machine *m, struct zone *z, uint32_t pfn, unsigned order)
{
	unsigned mt = free_list_type(m, pfn);
	if (!pcp_allowed_order(m, order) || mt == MIGRATE_ISOLATE) {
		free_one_page(m, z, pfn, order, mt);
		return;
	}
	/* highatomic pages are cached with the movable ones */
	free_frozen_page_commit(m, z, pfn, order, mt >= MIGRATE_PCPTYPES ? MIGRATE_MOVABLE : mt);
}

/* drain_pages_zone: one CPU's lists of one zone back to the buddy. */
static uint32_t drain_pages_zone(struct machine *m, struct zone *z, unsigned cpu)
{
	struct per_cpu_pages *p = zone_pcp(m, z, cpu);
	uint32_t count = p ? p->count : 0;
	if (!count)
		return 0;
	EMIT(m, EV_PCP_DRAIN, z->id, cpu, count);
	free_pcppages_bulk(m, z, cpu, count, 0);
	return count;
}

uint32_t drain_local_pages(struct machine *m, struct zone *z)
{
	return drain_pages_zone(m, z, m->this_cpu);
}

uint32_t drain_all_pages(struct machine *m, struct zone *only)
{
	uint32_t n = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		struct zone *z = &m->zones[i];
		if ((only && z != only) || !m->pcp[i])
			continue;
		for (unsigned c = 0; c < m->cfg.cpus; c++)
			n += drain_pages_zone(m, z, c);
	}
	return n;
}

int drain_all_pages_op(struct machine *m)
{
	mm_op_begin(m);
	drain_all_pages(m, NULL);
	mm_op_end(m);
	return MM_OK;
}
