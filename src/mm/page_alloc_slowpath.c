/*
 * The page allocator's slow path, modelled on __alloc_pages_slowpath and
 * __alloc_pages in mm/page_alloc.c (Linux 6.18).  __alloc_pages tries the
 * free lists at the low watermark (get_page_from_freelist, page_alloc.c);
 * failing that the slow path wakes kswapd (vmscan_kswapd.c), walks the
 * zones at min (gfp_to_alloc_flags: less for __GFP_HIGH and for requests
 * that cannot block); for costly orders, and unmovable ones above order 0,
 * it compacts first, asynchronously (compaction.c), and walks again; then
 * each round reclaims directly, walks, compacts at the current priority
 * and walks; costly orders stop there unless __GFP_RETRY_MAYFAIL; others
 * go round again while should_reclaim_retry, then should_compact_retry
 * (raising the compaction priority, MAX_COMPACT_RETRIES), say so; when
 * neither does, the OOM killer's turn comes (__alloc_pages_may_oom).
 * Direct reclaim drains the per-cpu lists when it made progress but the
 * walk still fails, and walks once more (__alloc_pages_direct_reclaim).
 * Simplified: no compaction deferral (COMPACT_DEFERRED never comes), no
 * capture of the freed block during compaction (capture_control), no
 * fatal signals.
 */
#include "page_alloc.h"
#include "compaction.h"
#include "memblock.h"
#include "numa.h"
#include "pcp.h"
#include "vmscan.h"

#include <stdio.h>

/* gfp_to_alloc_flags: what the slow path may dip into. */
static unsigned gfp_to_alloc_flags(uint32_t gfp)
{
	unsigned flags = ALLOC_WMARK_MIN;
	if (gfp & __GFP_HIGH)
		flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		flags |= ALLOC_NON_BLOCK;
	return flags;
}

/* __alloc_pages_may_oom: reclaim could not help.  The OOM killer
 * (out_of_memory, oom_kill.c) is called here once it exists; until then
 * the allocation fails saying so. */
static void alloc_may_oom(struct machine *m, struct alloc_walk *w)
{
	(void)m;
	w->oom = true;
}

static int check_alloc(struct machine *m, unsigned order, uint32_t gfp, int node, int *highest)
{
	char buf[96];
	if (memblock_booting(m))
		return mm_error(m, "the buddy allocator has no memory yet: memblock owns it until memblock_free_all()");
	if (order >= m->max_order)
		return mm_error(m, "order %u is out of range: this machine has orders 0..%u", order,
				m->max_order - 1);
	if (node >= (int)m->nr_nodes)
		return mm_error(m, "node %d does not exist: this machine has nodes 0..%u", node,
				m->nr_nodes - 1);
	*highest = gfp_zone(m, gfp);
	if (*highest < 0)
		return mm_error(m, "gfp %s asks for two zone types at once", gfp_format(gfp, buf, sizeof buf));
	return MM_OK;
}

static void nomem(struct machine *m, unsigned order, uint32_t gfp, const struct alloc_walk *w)
{
	char buf[96];
	enum nomem_reason r = !w->tried ? NOMEM_NO_ZONE
			      : w->fragmented ? NOMEM_FRAGMENTED
			      : w->oom	      ? NOMEM_RECLAIM
					      : NOMEM_WATERMARK;
	EMIT(m, EV_FAIL, order, gfp, r);
	gfp_format(gfp, buf, sizeof buf);
	if (r == NOMEM_NO_ZONE)
		snprintf(m->reason, sizeof m->reason, "no populated zone can serve %s", buf);
	else if (r == NOMEM_RECLAIM)
		snprintf(m->reason, sizeof m->reason,
			 "out of memory: direct reclaim could free nothing more for %s; the OOM killer would run next", buf);
	else if (r == NOMEM_FRAGMENTED)
		snprintf(m->reason, sizeof m->reason,
			 "fragmented: no free block of order %u or more in a zone above its watermark", order);
	else
		snprintf(m->reason, sizeof m->reason, "out of memory: every zone %s may use is below its watermark",
			 buf);
}

/* __alloc_pages_slowpath compacts before reclaiming for a costly order,
 * or any order > 0 that is not movable, when the caller may block. */
static bool direct_compact_first(unsigned order, uint32_t gfp)
{
	if (!(gfp & __GFP_DIRECT_RECLAIM) || !order)
		return false;
	return order > PAGE_ALLOC_COSTLY_ORDER || !(gfp & __GFP_MOVABLE);
}

/* __alloc_pages_direct_compact: compact the zonelist's zones at prio, then
 * try the free lists again; compact_success or compact_fail by the outcome.
 * *result stays as it was for order 0, as the kernel's does. */
static uint32_t alloc_pages_direct_compact(struct machine *m, unsigned order, uint32_t gfp, unsigned alloc_flags,
					   unsigned highest, unsigned local, enum compact_priority prio,
					   enum compact_result *result, struct alloc_walk *w)
{
	struct zone *first = NULL;
	if (!order)
		return PFN_NONE;
	*result = try_to_compact_pages(m, order, gfp, highest, local, prio, &first);
	if (*result == COMPACT_SKIPPED)
		return PFN_NONE;
	w->tried = w->fragmented = false;
	w->compacted = true;
	uint32_t got = get_page_from_freelist(m, order, alloc_flags, highest, local, gfp_migratetype(m, gfp), w);
	w->compacted = false;
	if (got == PFN_NONE && first) /* its step is the failure's */
		count_compact_event(m, first, CE_COMPACTFAIL, 1);
	return got;
}

#define MAX_COMPACT_RETRIES 16

/* should_compact_retry (6.18): compaction skipped for want of order-0
 * targets retries if reclaim could make room; one that succeeded but lost
 * the block retries up to MAX_COMPACT_RETRIES (a quarter for costly
 * orders); a failure retries at the next higher priority while there is
 * one (SYNC_LIGHT is the last for costly orders), the count reset. */
static bool should_compact_retry(struct machine *m, unsigned order, unsigned highest, unsigned local,
				 enum compact_result result, enum compact_priority *prio, unsigned *retries)
{
	unsigned max_retries = MAX_COMPACT_RETRIES, was = *retries;
	enum compact_priority at = *prio;
	bool ret = false;
	if (!order)
		return false;
	if (result == COMPACT_SKIPPED) {
		ret = compaction_zonelist_suitable(m, order, highest, local);
		goto out;
	}
	if (result == COMPACT_SUCCESS) {
		if (order > PAGE_ALLOC_COSTLY_ORDER)
			max_retries /= 4;
		if (++*retries <= max_retries) {
			ret = true;
			goto out;
		}
	}
	enum compact_priority min = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY
								     : MIN_COMPACT_PRIORITY;
	if (*prio > min) {
		(*prio)--;
		*retries = 0;
		ret = true;
	}
out:
	EMIT(m, EV_COMPACT_RETRY, order, at, result, was, max_retries, ret);
	return ret;
}

/* The slow path's retry loop: __alloc_pages_direct_reclaim, then
 * __alloc_pages_direct_compact at the current priority; costly orders
 * stop unless __GFP_RETRY_MAYFAIL, __GFP_NORETRY always; else
 * should_reclaim_retry, then (if reclaim made progress)
 * should_compact_retry.  The kernel's loop opens with one more walk of the
 * free lists; nothing runs between it and the walk that just failed here,
 * so memstep does not repeat it. */
static uint32_t alloc_direct_reclaim(struct machine *m, unsigned order, uint32_t gfp, unsigned alloc_flags,
				     unsigned highest, unsigned local, enum compact_priority prio,
				     enum compact_result result, struct alloc_walk *w)
{
	unsigned no_progress_loops = 0, compaction_retries = 0;
	unsigned mt = gfp_migratetype(m, gfp);
	for (;;) {
		bool progress = try_to_free_pages(m, order, gfp, highest, local) > 0;
		w->tried = w->fragmented = false;
		uint32_t got = get_page_from_freelist(m, order, alloc_flags, highest, local, mt, w);
		/* the pages reclaim freed may sit on per-cpu lists: drain
		 * them all and try once more (a drain that found nothing
		 * would leave the same lists, so no second walk then) */
		if (got == PFN_NONE && progress && drain_all_pages(m, NULL)) {
			w->tried = w->fragmented = false;
			got = get_page_from_freelist(m, order, alloc_flags, highest, local, mt, w);
		}
		if (got != PFN_NONE)
			return got;
		got = alloc_pages_direct_compact(m, order, gfp, alloc_flags, highest, local, prio, &result, w);
		if (got != PFN_NONE)
			return got;
		if (gfp & __GFP_NORETRY)
			return PFN_NONE;
		if (order > PAGE_ALLOC_COSTLY_ORDER && !(gfp & __GFP_RETRY_MAYFAIL))
			return PFN_NONE;
		if (should_reclaim_retry(m, order, alloc_flags, highest, local, progress, &no_progress_loops))
			continue;
		if (progress && should_compact_retry(m, order, highest, local, result, &prio, &compaction_retries))
			continue;
		break;
	}
	alloc_may_oom(m, w);
	return PFN_NONE;
}

/* After the walk at min: compaction first (direct_compact_first) at
 * INIT_COMPACT_PRIORITY; a costly __GFP_NORETRY request gives up if that
 * was skipped and stays asynchronous; then the retry loop, whose
 * compaction starts at DEF_COMPACT_PRIORITY. */
static uint32_t slowpath_compact_and_reclaim(struct machine *m, unsigned order, uint32_t gfp, unsigned alloc_flags,
					     unsigned highest, unsigned local, uint32_t got, struct alloc_walk *w)
{
	enum compact_priority prio = DEF_COMPACT_PRIORITY;
	enum compact_result result = COMPACT_SKIPPED; /* not compacted yet */
	if (got != PFN_NONE)
		return got;
	if (direct_compact_first(order, gfp)) {
		got = alloc_pages_direct_compact(m, order, gfp, alloc_flags, highest, local, INIT_COMPACT_PRIORITY,
						 &result, w);
		if (got != PFN_NONE)
			return got;
		if (order > PAGE_ALLOC_COSTLY_ORDER && (gfp & __GFP_NORETRY)) {
			if (result == COMPACT_SKIPPED || result == COMPACT_DEFERRED)
				return PFN_NONE;
			prio = INIT_COMPACT_PRIORITY;
		}
	}
	if (!w->tried || !(gfp & __GFP_DIRECT_RECLAIM))
		return PFN_NONE;
	return alloc_direct_reclaim(m, order, gfp, alloc_flags, highest, local, prio, result, w);
}

int alloc_pages(struct machine *m, unsigned order, uint32_t gfp, int node, uint32_t *pfn)
{
	return __alloc_pages(m, order, gfp, node, 0, pfn);
}

int __alloc_pages(struct machine *m, unsigned order, uint32_t gfp, int node, uint64_t nodemask, uint32_t *pfn)
{
	int highest = ZONE_NORMAL;
	if (check_alloc(m, order, gfp, node, &highest) != MM_OK)
		return MM_EINVAL;
	unsigned local = node < 0 ? m->numa->cur_node : (unsigned)node;
	unsigned mt = gfp_migratetype(m, gfp);

	mm_op_begin(m);
	EMIT(m, EV_ALLOC, order, gfp, local);
	struct alloc_walk w = {.nodemask = nodemask};
	unsigned fast = ALLOC_WMARK_LOW | alloc_flags_nofragment(m, (unsigned)highest, local);
	uint32_t got = get_page_from_freelist(m, order, fast, (unsigned)highest, local, mt, &w);
	if (got == PFN_NONE && w.tried) {
		if (gfp & __GFP_KSWAPD_RECLAIM)
			wakeup_kswapd(m, order, gfp, (unsigned)highest, local);
		EMIT(m, EV_SLOWPATH, order, gfp);
		w.tried = w.fragmented = false;
		unsigned alloc_flags = gfp_to_alloc_flags(gfp);
		got = get_page_from_freelist(m, order, alloc_flags, (unsigned)highest, local, mt, &w);
		got = slowpath_compact_and_reclaim(m, order, gfp, alloc_flags, (unsigned)highest, local, got, &w);
	}
	if (got == PFN_NONE)
		nomem(m, order, gfp, &w);
	mm_op_end(m);
	*pfn = got;
	return got == PFN_NONE ? MM_NOMEM : MM_OK;
}
