/*
 * kcompactd, the per-node compaction thread, modelled on mm/compaction.c
 * (Linux 6.18):
 * - wakeup_kcompactd: kswapd, going to sleep (kswapd_try_to_sleep in
 *   vmscan_kswapd.c), asks for the order it was woken for: the node keeps
 *   the largest order and the lowest highest zone asked (kcompactd_max_order,
 *   kcompactd_highest_zoneidx), and kcompactd wakes only if
 *   kcompactd_node_suitable;
 * - kcompactd_node_suitable: some populated zone up to the highest one
 *   where compaction_suit_allocation_order at the min watermark says
 *   COMPACT_CONTINUE (the order cannot be had yet, and compaction could help);
 * - kcompactd_do_work: each zone up to the highest, those where it would
 *   continue compacted synchronously (MIGRATE_SYNC_LIGHT) by compact_zone;
 *   then the request is cleared (max order 0, highest back to the top).
 * When kcompactd runs: the kernel's is a thread beside kswapd.  Here a woken
 * kcompactd runs as an operation of its own right after the operation that
 * woke it ends: kswapd's run, so kswapd's reclaim is over before compaction
 * starts, as when kswapd sleeps first and kcompactd then works.
 * Simplified: no deferral (compaction_deferred), no proactive compaction
 * and no timeout wake-up: an order asked while kcompactd stays asleep (the
 * node not suitable) waits for the next wake-up, where the kernel's
 * kcompactd would also notice it at its HZ/2 timeout.
 */
#include "compaction.h"
#include "pcp.h"

#include "gfp.h"
#include "page_alloc.h"
#include "vmscan.h"

bool kcompactd_node_suitable(const struct machine *m, unsigned node)
{
	const struct lruvec *l = node_lruvec(m, node);
	for (unsigned t = 0; t <= l->kcompactd_highest_zoneidx && t < MAX_NR_ZONES; t++) {
		const struct zone *z = machine_zone(m, node, t);
		if (!zone_populated(z))
			continue;
		if (compaction_suit_allocation_order(m, z, l->kcompactd_max_order, t) == COMPACT_CONTINUE)
			return true;
	}
	return false;
}

void wakeup_kcompactd(struct machine *m, unsigned node, unsigned order, unsigned highest)
{
	struct lruvec *l = node_lruvec(m, node);
	if (!order)
		return;
	if (l->kcompactd_max_order < order)
		jset32(&m->j, &l->kcompactd_max_order, order);
	if (l->kcompactd_highest_zoneidx > highest)
		jset32(&m->j, &l->kcompactd_highest_zoneidx, highest);
	bool woken = kcompactd_node_suitable(m, node);
	if (woken) {
		jset32(&m->j, &l->kcompactd_wake, 1);
		m->kcompactd_woken = true;
	}
	EMIT(m, EV_WAKEUP_KCOMPACTD, node, l->kcompactd_max_order, node * MAX_NR_ZONES + l->kcompactd_highest_zoneidx,
	     woken);
}

static void kcompactd_do_work(struct machine *m, unsigned node)
{
	struct lruvec *l = node_lruvec(m, node);
	unsigned order = l->kcompactd_max_order, highest = l->kcompactd_highest_zoneidx;
	jset32(&m->j, &l->kcompactd_wake, 0);
	/* The kernel clears the request once the zones are done, keeping an
	 * order asked meanwhile; nothing can ask during this operation, so
	 * clearing it first is the same (and journals it in this step). */
	jset32(&m->j, &l->kcompactd_max_order, 0);
	jset32(&m->j, &l->kcompactd_highest_zoneidx, MAX_NR_ZONES - 1);
	EMIT(m, EV_KCOMPACTD, node, order, node * MAX_NR_ZONES + highest);
	bool counted = false;
	for (unsigned t = 0; t <= highest && t < MAX_NR_ZONES; t++) {
		struct zone *z = machine_zone(m, node, t);
		if (!zone_populated(z))
			continue;
		if (!counted) /* count_compact_event(KCOMPACTD_WAKE), on the node's first zone */
			count_compact_event(m, z, CE_KCOMPACTD_WAKE, 1);
		counted = true;
		if (compaction_suit_allocation_order(m, z, order, t) != COMPACT_CONTINUE)
			continue;
		enum compact_result r = kcompactd_compact_zone(m, z, order, t);
		/* a whole pass that did not succeed: free what every CPU
		 * holds of the zone, so it can merge */
		if (r == COMPACT_COMPLETE || r == COMPACT_PARTIAL_SKIPPED)
			drain_all_pages(m, z);
	}
}

void kcompactd_after_op(struct machine *m)
{
	if (!m->vmscan || m->in_kcompactd)
		return;
	m->kcompactd_woken = false;
	m->in_kcompactd = true;
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		if (!node_lruvec(m, n)->kcompactd_wake)
			continue;
		mm_op_begin(m);
		kcompactd_do_work(m, n);
		mm_op_end(m);
	}
	m->in_kcompactd = false;
}

int kcompactd_wake_op(struct machine *m, unsigned node, unsigned order, bool *woken)
{
	if (node >= m->nr_nodes)
		return mm_error(m, "kcompactd: node %u does not exist: this machine has nodes 0..%u", node,
				m->nr_nodes - 1);
	if (!order || order >= m->max_order)
		return mm_error(m, "kcompactd: order %u is out of range: 1..%u (order 0 never wakes it)", order,
				m->max_order - 1);
	mm_op_begin(m);
	wakeup_kcompactd(m, node, order, MAX_NR_ZONES - 1);
	*woken = node_lruvec(m, node)->kcompactd_wake;
	mm_op_end(m);
	return MM_OK;
}
