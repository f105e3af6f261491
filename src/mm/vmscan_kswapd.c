/*
 * kswapd and direct reclaim (mm/vmscan.c and mm/page_alloc.c, Linux 6.18):
 * - wakeup_kswapd: an allocation whose fast path failed at the low
 *   watermark wakes the kswapd of each node on its zonelist, unless the
 *   node is balanced or kswapd failed MAX_RECLAIM_RETRIES times in a row;
 * - balance_pgdat: from DEF_PRIORITY down, shrink the node with a target
 *   of each eligible zone's high watermark (at least SWAP_CLUSTER_MAX),
 *   until an eligible zone is above high (pgdat_balanced: the kernel stops
 *   as soon as one zone up to the waker's highest zone is); the priority
 *   drops when a pass scanned less than its target or reclaimed nothing;
 *   meanwhile the zones are ZONE_RECLAIM_ACTIVE (set_reclaim_active), which
 *   keeps their per-cpu lists short;
 * - try_to_free_pages (do_try_to_free_pages): direct reclaim of
 *   SWAP_CLUSTER_MAX pages, priority DEF_PRIORITY down to 0, over the
 *   nodes of the zonelist;
 * - should_reclaim_retry: retry while some zone could pass its min mark
 *   with its free and reclaimable pages, and while reclaim makes progress
 *   (MAX_RECLAIM_RETRIES passes without it end the retries).
 * - kswapd_shrink_node's compact_gap check: once a run reclaimed twice the
 *   order's pages, it balances for order 0 (the block is compaction's job);
 * - kswapd_try_to_sleep: a node balanced for the order reclaimed for (or
 *   hopeless) lets kswapd sleep, and it wakes kcompactd for the order it
 *   was woken for (wakeup_kcompactd, kcompactd.c).
 * When kswapd runs: the kernel's is a thread running beside the task that
 * woke it.  Here each woken kswapd runs as an operation of its own right
 * after the operation that woke it ends (so it never helps that very
 * allocation: that one reclaims directly if it must), or when a scenario
 * calls kswapd().
 */
#include "vmscan.h"

#include "compaction.h"
#include "gfp.h"
#include "page_alloc.h"
#include "procs.h"

/* __zone_watermark_ok with a count of free pages of one's own: an order
 * above 0 also needs a free block of that order or more. */
static bool zone_ok(const struct machine *m, const struct zone *z, unsigned order, int64_t mark, unsigned highest,
		    int64_t free)
{
	if (free - ((1 << order) - 1) <= mark + (int64_t)z->lowmem_reserve[highest])
		return false;
	for (unsigned o = order; o < m->max_order; o++)
		if (!order || z->free_area[o].nr_free)
			return true;
	return false;
}

bool pgdat_balanced(const struct machine *m, unsigned node, unsigned order, unsigned highest)
{
	bool any = false;
	for (unsigned t = 0; t <= highest && t < MAX_NR_ZONES; t++) {
		const struct zone *z = machine_zone(m, node, t);
		if (!z->managed)
			continue;
		any = true;
		if (zone_ok(m, z, order, z->wmark[WMARK_HIGH], highest, z->free_pages))
			return true;
	}
	return !any; /* a node with no eligible zone needs no balancing */
}

void wakeup_kswapd(struct machine *m, unsigned order, uint32_t gfp, unsigned highest, unsigned local)
{
	(void)gfp;
	for (unsigned i = 0; i < m->nr_nodes; i++) {
		unsigned node = (local + i) % m->nr_nodes;
		struct lruvec *l = node_lruvec(m, node);
		if (l->kswapd_failures >= MAX_RECLAIM_RETRIES || pgdat_balanced(m, node, order, highest))
			continue;
		if (!l->kswapd_wake || l->kswapd_order < order)
			jset32(&m->j, &l->kswapd_order, order);
		if (!l->kswapd_wake || l->kswapd_highest_zoneidx < highest)
			jset32(&m->j, &l->kswapd_highest_zoneidx, highest);
		jset32(&m->j, &l->kswapd_wake, 1);
		m->kswapd_woken = true;
		EMIT(m, EV_WAKEUP_KSWAPD, node, l->kswapd_order, node * MAX_NR_ZONES + l->kswapd_highest_zoneidx);
	}
}

/* set_reclaim_active / clear_reclaim_active: the per-cpu lists of the
 * zones kswapd balances keep few pages meanwhile (pcp.c). */
static void set_reclaim_active(struct machine *m, unsigned node, unsigned highest, bool on)
{
	for (unsigned t = 0; t <= highest; t++) {
		struct zone *z = machine_zone(m, node, t);
		if (z->managed)
			jset32(&m->j, &z->flags, on ? z->flags | ZONE_RECLAIM_ACTIVE : z->flags & ~ZONE_RECLAIM_ACTIVE);
	}
}

/* balance_pgdat: returns the order kswapd balanced for (sc.order, which
 * kswapd_shrink_node drops to 0 once twice the order's pages are reclaimed). */
static unsigned balance_pgdat(struct machine *m, unsigned node, unsigned order, unsigned highest, uint64_t *reclaimed)
{
	struct lruvec *l = node_lruvec(m, node);
	jset32(&m->j, &l->kswapd_wake, 0);
	jset32(&m->j, &vmscan_root(m)->ev.pageoutrun, vmscan_root(m)->ev.pageoutrun + 1);
	EMIT(m, EV_BALANCE_PGDAT, node, order, node * MAX_NR_ZONES + highest);
	struct scan_control sc = {.priority = DEF_PRIORITY, .order = order, .gfp = GFP_KERNEL, .kswapd = true};
	bool balanced = false;
	set_reclaim_active(m, node, highest, true);
	do {
		if ((balanced = pgdat_balanced(m, node, sc.order, highest)))
			break;
		sc.nr_to_reclaim = 0;
		for (unsigned t = 0; t <= highest; t++) {
			const struct zone *z = machine_zone(m, node, t);
			if (z->managed)
				sc.nr_to_reclaim += z->wmark[WMARK_HIGH] > SWAP_CLUSTER_MAX ? z->wmark[WMARK_HIGH]
											: SWAP_CLUSTER_MAX;
		}
		uint64_t before = sc.nr_reclaimed;
		sc.nr_scanned = 0;
		shrink_node(m, node, &sc);
		/* Fragmentation may keep the order out of reach: with twice its
		 * pages reclaimed (compact_gap), balance for order 0 and leave
		 * the block to compaction. */
		if (sc.order && sc.nr_reclaimed >= 2ull << sc.order) {
			EMIT(m, EV_KSWAPD_ORDER0, node, sc.order, (int64_t)sc.nr_reclaimed);
			sc.order = 0;
		}
		bool raise_priority = sc.nr_scanned < sc.nr_to_reclaim;
		if (raise_priority || sc.nr_reclaimed == before)
			sc.priority--;
	} while (sc.priority >= 1);
	/* a run that went down every priority for nothing is a failure */
	if (!balanced && !sc.nr_reclaimed)
		jset32(&m->j, &l->kswapd_failures, l->kswapd_failures + 1);
	if (!balanced)
		balanced = pgdat_balanced(m, node, sc.order, highest);
	set_reclaim_active(m, node, highest, false);
	EMIT(m, EV_KSWAPD_SLEEP, node, (int64_t)sc.nr_reclaimed, sc.priority, balanced, l->kswapd_failures);
	*reclaimed += sc.nr_reclaimed;
	return sc.order;
}

/* kswapd_try_to_sleep: prepare_kswapd_sleep (a hopeless node, or one
 * balanced for the order reclaimed for) lets kswapd sleep, and first it
 * wakes kcompactd for the order it was woken for. */
static void kswapd_try_to_sleep(struct machine *m, unsigned node, unsigned alloc_order, unsigned reclaim_order,
				unsigned highest)
{
	const struct lruvec *l = node_lruvec(m, node);
	if (l->kswapd_failures >= MAX_RECLAIM_RETRIES || pgdat_balanced(m, node, reclaim_order, highest))
		wakeup_kcompactd(m, node, alloc_order, highest);
}

/* kswapd(): one run of the loop, balance_pgdat then kswapd_try_to_sleep. */
static uint64_t kswapd_run(struct machine *m, unsigned node, unsigned order, unsigned highest)
{
	uint64_t reclaimed = 0;
	unsigned reclaim_order = balance_pgdat(m, node, order, highest, &reclaimed);
	kswapd_try_to_sleep(m, node, order, reclaim_order, highest);
	return reclaimed;
}

static void run_node(struct machine *m, unsigned node)
{
	const struct lruvec *l = node_lruvec(m, node);
	mm_op_begin(m);
	kswapd_run(m, node, l->kswapd_order, l->kswapd_highest_zoneidx);
	mm_op_end(m);
}

void kswapd_after_op(struct machine *m)
{
	if (!m->vmscan || m->vmscan->in_kswapd)
		return;
	m->kswapd_woken = false;
	m->vmscan->in_kswapd = true;
	for (unsigned n = 0; n < m->nr_nodes; n++)
		if (node_lruvec(m, n)->kswapd_wake)
			run_node(m, n);
	m->vmscan->in_kswapd = false;
}

uint64_t kswapd_run_all(struct machine *m)
{
	uint64_t reclaimed = 0;
	m->vmscan->in_kswapd = true;
	mm_op_begin(m);
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		struct lruvec *l = node_lruvec(m, n);
		if (!l->kswapd_wake) /* woken by hand: order 0, every zone */
			reclaimed += kswapd_run(m, n, 0, MAX_NR_ZONES - 1);
		else
			reclaimed += kswapd_run(m, n, l->kswapd_order, l->kswapd_highest_zoneidx);
	}
	mm_op_end(m);
	m->vmscan->in_kswapd = false;
	return reclaimed;
}

uint64_t try_to_free_pages(struct machine *m, unsigned order, uint32_t gfp, unsigned highest, unsigned local)
{
	struct scan_control sc = {.nr_to_reclaim = SWAP_CLUSTER_MAX, .order = order, .gfp = gfp};
	uint32_t *stall = &vmscan_root(m)->ev.allocstall[highest];
	jset32(&m->j, stall, *stall + 1);
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
		for (unsigned i = 0; i < m->nr_nodes; i++)
			shrink_node(m, (local + i) % m->nr_nodes, &sc);
		if (sc.nr_reclaimed >= sc.nr_to_reclaim)
			break;
	}
	EMIT(m, EV_TRY_TO_FREE_PAGES, order, gfp, (int64_t)sc.nr_reclaimed, sc.priority < 0 ? 0 : sc.priority);
	return sc.nr_reclaimed;
}

uint64_t zone_reclaimable_pages(const struct machine *m, const struct zone *z)
{
	const uint32_t *n = zone_lru(m, z->id);
	uint64_t pages = n[LRU_INACTIVE_FILE] + n[LRU_ACTIVE_FILE];
	if (can_reclaim_anon_pages(m))
		pages += n[LRU_INACTIVE_ANON] + n[LRU_ACTIVE_ANON];
	return pages;
}

bool should_reclaim_retry(struct machine *m, unsigned order, unsigned alloc_flags, unsigned highest,
			  unsigned local, bool progress, unsigned *no_progress_loops)
{
	if (progress && order <= 3) /* PAGE_ALLOC_COSTLY_ORDER: only cheap orders reset it */
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	bool retry = false;
	for (unsigned i = 0; i < m->nr_nodes && *no_progress_loops <= MAX_RECLAIM_RETRIES && !retry; i++) {
		for (int t = (int)highest; t >= 0 && !retry; t--) {
			const struct zone *z = machine_zone(m, (local + i) % m->nr_nodes, (unsigned)t);
			if (!zone_populated(z))
				continue;
			int64_t min = z->wmark[WMARK_MIN];
			if (alloc_flags & ALLOC_MIN_RESERVE)
				min -= min / 2;
			retry = zone_ok(m, z, order, min, highest, (int64_t)(z->free_pages + zone_reclaimable_pages(m, z)));
		}
	}
	EMIT(m, EV_RECLAIM_RETRY, order, *no_progress_loops, retry);
	return retry;
}
