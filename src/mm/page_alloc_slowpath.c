/*
 * The page allocator's slow path, modelled on __alloc_pages_slowpath and
 * __alloc_pages in mm/page_alloc.c (Linux 6.18).  __alloc_pages tries the
 * free lists at the low watermark (get_page_from_freelist, page_alloc.c);
 * failing that the slow path wakes kswapd (vmscan_kswapd.c), walks the
 * zones at min (gfp_to_alloc_flags: less for __GFP_HIGH and for requests
 * that cannot block); for costly orders it compacts first (compaction.c)
 * and walks again; then it reclaims directly and retries
 * (should_reclaim_retry) while that helps; when it no longer does, the OOM
 * killer's turn comes (__alloc_pages_may_oom).
 */
#include "page_alloc.h"
#include "compaction.h"
#include "memblock.h"
#include "numa.h"
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

/* __alloc_pages_direct_reclaim, then the retry loop of the slow path; a
 * costly order (above 3) gets one try and no OOM killer. */
static uint32_t alloc_direct_reclaim(struct machine *m, unsigned order, uint32_t gfp, unsigned alloc_flags,
				     unsigned highest, unsigned local, struct alloc_walk *w)
{
	unsigned no_progress_loops = 0;
	for (;;) {
		bool progress = try_to_free_pages(m, order, gfp, highest, local) > 0;
		w->tried = w->fragmented = false;
		uint32_t got = get_page_from_freelist(m, order, alloc_flags, highest, local, gfp_migratetype(m, gfp), w);
		if (got != PFN_NONE)
			return got;
		if (order > PAGE_ALLOC_COSTLY_ORDER)
			return PFN_NONE;
		if (!should_reclaim_retry(m, order, alloc_flags, highest, local, progress, &no_progress_loops))
			break;
	}
	alloc_may_oom(m, w);
	return PFN_NONE;
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
	/* can_direct_reclaim, and gfp_compaction_allowed: __GFP_IO */
	if (!(gfp & __GFP_DIRECT_RECLAIM) || !(gfp & __GFP_IO) || !order)
		return false;
	return order > PAGE_ALLOC_COSTLY_ORDER || !(gfp & __GFP_MOVABLE);
}

/* __alloc_pages_direct_compact: compact the zonelist's zones, then try the
 * free lists again; compact_success or compact_fail by the outcome. */
static uint32_t alloc_pages_direct_compact(struct machine *m, unsigned order, uint32_t gfp, unsigned highest,
					   unsigned local, struct alloc_walk *w)
{
	struct zone *first = NULL;
	if (try_to_compact_pages(m, order, gfp, highest, local, &first) == COMPACT_SKIPPED)
		return PFN_NONE;
	w->tried = w->fragmented = false;
	w->compacted = true;
	uint32_t got = get_page_from_freelist(m, order, gfp_to_alloc_flags(gfp), highest, local,
					      gfp_migratetype(m, gfp), w);
	if (got == PFN_NONE && first) /* its step is the failure's */
		count_compact_event(m, first, CE_COMPACTFAIL, 1);
	return got;
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
		/* costly orders try compaction before reclaim (the reclaim
		 * attempt, and compaction's sync retry, come after this) */
		if (got == PFN_NONE && direct_compact_first(order, gfp))
			got = alloc_pages_direct_compact(m, order, gfp, (unsigned)highest, local, &w);
		if (got == PFN_NONE && w.tried && (gfp & __GFP_DIRECT_RECLAIM))
			got = alloc_direct_reclaim(m, order, gfp, alloc_flags, (unsigned)highest, local, &w);
	}
	if (got == PFN_NONE)
		nomem(m, order, gfp, &w);
	mm_op_end(m);
	*pfn = got;
	return got == PFN_NONE ? MM_NOMEM : MM_OK;
}
