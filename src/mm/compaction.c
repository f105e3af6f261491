/*
 * Memory compaction, modelled on mm/compaction.c (Linux 6.18):
 * - compact_zone: the migrate scanner walks up from the zone's start
 *   (isolate_migratepages, isolate_migratepages_block: at most
 *   COMPACT_CLUSTER_MAX movable pages at a time), the free scanner walks
 *   down from the last pageblock (isolate_freepages, isolate_freepages_block:
 *   free blocks split to order 0 as targets, just enough for the pages
 *   isolated); migrate_pages (migrate.c) moves each page to a target
 *   (compaction_alloc); leftover targets go back (release_freepages);
 * - compact_finished / __compact_finished: done when the scanners meet
 *   (compact_scanners_met, by pageblock), or, unless the order is -1
 *   (compact_memory), when the migrate scanner is at a pageblock boundary
 *   and the zone has a free block of the order or larger;
 * - compaction_suitable / __compaction_suitable: order-0 pages above the
 *   low (costly orders) or min watermark plus compact_gap, and, for costly
 *   orders, a fragmentation index above extfrag_threshold (a low index
 *   means the failure is a lack of memory that compaction cannot cure);
 *   compaction_suit_allocation_order skips a zone whose watermark for the
 *   order already holds;
 * - suitable_migration_source / _target: asynchronous compaction (the
 *   allocator's first, direct attempt) takes only movable pageblocks as
 *   sources, and both skip a pageblock starting with a free block of the
 *   order wanted; page cache pages move only for requests with __GFP_FS;
 * - check_drain: after migrating, once the migrate scanner leaves the
 *   order-aligned block it migrated from, drain_local_pages returns the
 *   freed sources on this CPU's per-cpu lists to the buddy;
 * - try_to_compact_pages (the zonelist, stopping at a success) at a
 *   compact_priority: COMPACT_PRIO_ASYNC compacts asynchronously, the two
 *   sync priorities alike (they differ in the kernel by whole_zone and the
 *   skip hints, which memstep does not keep); compaction_zonelist_suitable
 *   for should_compact_retry; kcompactd (kcompactd.c) through
 *   kcompactd_compact_zone;
 * - fragmentation_index / __fragmentation_index and unusable_free_index
 *   with fill_contig_page_info (mm/vmstat.c), and debugfs extfrag's files.
 * Simplified: compaction always scans the whole zone (no cached restart
 *   positions, pageblock skip bits or deferral), with no fast_find_migrateblock
 *   or fast_isolate_freepages shortcuts, no skip_on_failure (asynchronous
 *   direct compaction giving up an order-aligned stretch at its first page
 *   that cannot be isolated), no proactive compaction and no lock
 *   contention.  Pageblock migrate types go through
 *   pageblock_is_movable (page_alloc.c), which today says every pageblock
 *   is MIGRATE_MOVABLE.
 */
#include "compaction.h"

#include <stdio.h>
#include <stdlib.h>

#include "gfp.h"
#include "page_alloc.h"
#include "pcp.h"
#include "procs.h"
#include "vmscan.h"

const char *const compact_result_names[NR_COMPACT_RESULTS] = {
#define CR_NAME(e, n) #n,
	COMPACT_RESULTS(CR_NAME)
#undef CR_NAME
};

const char *const compact_priority_names[NR_COMPACT_PRIORITIES] = {"sync_full", "sync_light", "async"};

unsigned pageblock_order(const struct machine *m)
{
	/* HPAGE_PMD_ORDER: a PMD's reach in pages, capped by the largest order */
	unsigned o = 9;
	if (m->pt && m->pt->fmt.depth >= 2)
		o = m->pt->fmt.shift[m->pt->fmt.depth - 2] - m->page_shift;
	return o < m->max_order - 1 ? o : m->max_order - 1;
}

/* ---- the fragmentation indices (mm/vmstat.c) ---- */

struct contig_info {
	uint64_t free_pages, free_blocks_total, free_blocks_suitable;
};

static void fill_contig_page_info(const struct zone *z, unsigned max_order, unsigned suitable,
				  struct contig_info *info)
{
	*info = (struct contig_info){0};
	for (unsigned o = 0; o < max_order; o++) {
		uint64_t blocks = z->free_area[o].nr_free;
		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= suitable)
			info->free_blocks_suitable += blocks << (o - suitable);
	}
}

int fragmentation_index(const struct zone *z, unsigned max_order, unsigned order)
{
	struct contig_info info;
	fill_contig_page_info(z, max_order, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000; /* the allocation would succeed */
	uint64_t requested = 1ull << order;
	return (int)(1000 - (1000 + info.free_pages * 1000 / requested) / info.free_blocks_total);
}

int unusable_index(const struct zone *z, unsigned max_order, unsigned order)
{
	struct contig_info info;
	fill_contig_page_info(z, max_order, order, &info);
	if (!info.free_pages)
		return 1000;
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) * 1000 / info.free_pages);
}

static void index_file(const struct machine *m, struct strbuf *out, bool extfrag)
{
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		if (!zone_populated(z))
			continue;
		strbuf_printf(out, "Node %u, zone %8s ", z->node, zone_type_names[z->type]);
		for (unsigned o = 0; o < m->max_order; o++) {
			int x = extfrag ? fragmentation_index(z, m->max_order, o) : unusable_index(z, m->max_order, o);
			strbuf_printf(out, extfrag ? "%2d.%03d " : "%d.%03d ", x / 1000, abs(x % 1000));
		}
		strbuf_printf(out, "\n");
	}
}

void proc_extfrag_index(const struct machine *m, struct strbuf *out) { index_file(m, out, true); }
void proc_unusable_index(const struct machine *m, struct strbuf *out) { index_file(m, out, false); }

/* ---- whether to compact ---- */

/* __zone_watermark_ok for an order, as compaction asks it (no event). */
static bool watermark_ok(const struct machine *m, const struct zone *z, int order, uint64_t mark, unsigned highest)
{
	int64_t usable = (int64_t)z->free_pages - (order > 0 ? (1 << order) - 1 : 0);
	if (usable <= (int64_t)(mark + z->lowmem_reserve[highest]))
		return false;
	for (int o = order > 0 ? order : 0; order > 0 && o < (int)m->max_order; o++)
		if (free_area_has_movable(z, (unsigned)o))
			return true;
	return order <= 0;
}

/* __compaction_suitable: order-0 pages (free, or free plus reclaimable)
 * above the watermark plus compact_gap (twice the order's pages, room for
 * the targets), plus low - min for costly orders. */
static bool compaction_room(const struct zone *z, int order, uint64_t watermark, unsigned highest, uint64_t free,
			    uint64_t *mark)
{
	*mark = watermark + (2ull << order);
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		*mark += z->wmark[WMARK_LOW] - z->wmark[WMARK_MIN];
	return free > *mark + z->lowmem_reserve[highest];
}

/* compaction_suitable: room to compact, then, for costly orders, a
 * fragmentation index above extfrag_threshold. */
static enum compact_result suitable(const struct machine *m, const struct zone *z, int order, uint64_t watermark,
				    unsigned highest, uint64_t *mark, int *fragindex)
{
	bool ok = compaction_room(z, order, watermark, highest, z->free_pages, mark);
	*fragindex = fragmentation_index(z, m->max_order, (unsigned)order);
	if (ok && order > PAGE_ALLOC_COSTLY_ORDER && *fragindex >= 0 && *fragindex <= EXTFRAG_THRESHOLD)
		return COMPACT_NOT_SUITABLE_ZONE;
	return ok ? COMPACT_CONTINUE : COMPACT_SKIPPED;
}

/* The same, as a step. */
static bool compaction_suitable(struct machine *m, struct zone *z, int order, uint64_t watermark, unsigned highest)
{
	uint64_t mark;
	int fragindex;
	enum compact_result r = suitable(m, z, order, watermark, highest, &mark, &fragindex);
	EMIT(m, EV_COMPACT_SUITABLE, z->id, order, z->free_pages, (int64_t)mark, fragindex, r);
	return r == COMPACT_CONTINUE;
}

/* ---- the compact_control and its scanners ---- */

struct compact_control {
	struct machine *m;
	struct zone *z;
	int order;          /* -1: compact fully */
	uint32_t gfp;       /* the allocation's; GFP_KERNEL for compact() and kcompactd */
	bool async, direct, kcompactd;
	uint32_t migrate_pfn, free_pfn;
	uint32_t migratepages[COMPACT_CLUSTER_MAX];
	unsigned nr_migratepages;
	uint32_t *freepages; /* isolated order-0 targets, used from the front */
	unsigned nr_free, first_free, cap_free;
	unsigned migrated, failed;
	bool began; /* the scanners ran (not only the suitability checks) */
};

static uint32_t pageblock_nr(const struct compact_control *cc) { return 1u << pageblock_order(cc->m); }
static uint32_t pageblock_start(const struct compact_control *cc, uint32_t pfn) { return pfn & ~(pageblock_nr(cc) - 1); }
static uint32_t zone_end(const struct zone *z) { return z->start_pfn + z->spanned; }

/* The scanners' positions, journaled for the views. */
static void show_cursors(struct compact_control *cc, uint32_t free_pfn)
{
	struct machine *m = cc->m;
	jset32(&m->j, &cc->z->compact.migrate_pfn, cc->migrate_pfn);
	jset32(&m->j, &cc->z->compact.free_pfn, free_pfn);
}

static void set_cursors(struct compact_control *cc) { show_cursors(cc, cc->free_pfn); }

static bool scanners_met(const struct compact_control *cc)
{
	unsigned o = pageblock_order(cc->m);
	return (cc->free_pfn >> o) <= (cc->migrate_pfn >> o);
}

/* A scanner's stretch as one step; the free scanner shows where it works. */
static void scan_step(struct compact_control *cc, unsigned scanner, uint32_t start, uint32_t end, unsigned scanned,
		      unsigned isolated, unsigned unmovable)
{
	struct machine *m = cc->m;
	show_cursors(cc, scanner ? pageblock_start(cc, start) : cc->free_pfn);
	count_compact_event(m, cc->z, scanner ? CE_COMPACTFREE_SCANNED : CE_COMPACTMIGRATE_SCANNED, scanned);
	if (cc->kcompactd)
		count_compact_event(m, cc->z, scanner ? CE_KCOMPACTD_FREE_SCANNED : CE_KCOMPACTD_MIGRATE_SCANNED,
				    scanned);
	count_compact_event(m, cc->z, CE_COMPACTISOLATED, isolated);
	EMIT(m, EV_COMPACT_SCAN, cc->z->id, scanner, start, end, scanned, isolated, unmovable);
}

/* isolate_migratepages_block over [low, end): movable pages onto the
 * list, stopping when it is full; cc->migrate_pfn is where it stopped. */
static void isolate_migratepages_block(struct compact_control *cc, uint32_t low, uint32_t end)
{
	struct machine *m = cc->m;
	unsigned scanned = 0, isolated = 0, unmovable = 0;
	uint32_t start = low;
	for (; low < end; low++) {
		scanned++;
		const struct frame *f = &m->frames[low];
		unsigned st = frame_state(f);
		if (st == FS_FREE) { /* a free block: skip it whole */
			uint32_t n = (1u << frame_order(f)) - 1;
			low += n;
			scanned += n;
			continue;
		}
		if (st == FS_TAIL) { /* resuming inside a block: go to its end */
			uint32_t h = block_head(m, low), n = h + (1u << frame_order(&m->frames[h])) - 1 - low;
			low += n;
			scanned += n;
			continue;
		}
		/* page cache pages need __GFP_FS: their filesystem may lock */
		bool fs_locked = st == FS_FILE && !(cc->gfp & __GFP_FS);
		if (fs_locked || migrate_refusal(m, low) >= 0) {
			uint32_t n = (1u << frame_order(f)) - 1;
			low += n; /* a compound block in use: all of it stays */
			scanned += n;
			unmovable += n + 1;
			continue;
		}
		isolate_lru_page(m, low);
		cc->migratepages[cc->nr_migratepages++] = low;
		isolated++;
		if (cc->nr_migratepages == COMPACT_CLUSTER_MAX) {
			low++;
			break;
		}
	}
	cc->migrate_pfn = low < end ? low : end;
	scan_step(cc, 0, start, cc->migrate_pfn, scanned, isolated, unmovable);
}

/* suitable_migration_source: asynchronous compaction takes movable
 * pageblocks only. */
static bool suitable_source(const struct compact_control *cc, uint32_t pfn)
{
	return !cc->async || pageblock_is_movable(cc->m, pfn);
}

/* isolate_migratepages: the next pageblock below the free scanner that
 * may be a source; true if it isolated something. */
static bool isolate_migratepages(struct compact_control *cc)
{
	uint32_t low = cc->migrate_pfn;
	uint32_t end = pageblock_start(cc, low) + pageblock_nr(cc);
	for (; end <= cc->free_pfn; cc->migrate_pfn = low = end, end += pageblock_nr(cc)) {
		if (!suitable_source(cc, low)) {
			scan_step(cc, 0, low, end, 0, 0, 0);
			continue;
		}
		isolate_migratepages_block(cc, low, end);
		return cc->nr_migratepages > 0;
	}
	set_cursors(cc); /* at or past the free scanner: they have met */
	return false;
}

/* suitable_migration_target: not a pageblock that starts with a free
 * block big enough already, and a movable one. */
static bool suitable_target(const struct compact_control *cc, uint32_t pfn)
{
	const struct frame *f = &cc->m->frames[pfn];
	unsigned want = cc->order > 0 ? (unsigned)cc->order : pageblock_order(cc->m);
	if (frame_state(f) == FS_FREE && frame_order(f) >= want)
		return false;
	return pageblock_is_movable(cc->m, pfn);
}

static void add_freepages(struct compact_control *cc, uint32_t head, unsigned n)
{
	if (cc->nr_free + n > cc->cap_free) {
		cc->cap_free = (cc->nr_free + n) * 2;
		cc->freepages = realloc(cc->freepages, cc->cap_free * sizeof *cc->freepages);
		if (!cc->freepages)
			abort();
	}
	for (unsigned i = 0; i < n; i++)
		cc->freepages[cc->nr_free++] = head + i;
}

/* isolate_freepages_block over [*start, end); *start is where it stopped. */
static void isolate_freepages_block(struct compact_control *cc, uint32_t *start, uint32_t end)
{
	struct machine *m = cc->m;
	unsigned scanned = 0, isolated = 0;
	uint32_t pfn = *start, from = *start;
	for (; pfn < end; pfn++) {
		scanned++;
		const struct frame *f = &m->frames[pfn];
		if (frame_state(f) != FS_FREE) { /* a block in use, or inside one: skip it */
			uint32_t h = frame_state(f) == FS_TAIL ? block_head(m, pfn) : pfn;
			uint32_t n = h + (1u << frame_order(&m->frames[h])) - 1 - pfn;
			pfn += n;
			scanned += n;
			continue;
		}
		unsigned order = frame_order(f);
		unsigned got = isolate_free_block(m, pfn);
		if (!got)
			break;
		EMIT(m, EV_ISOLATE_FREE, cc->z->id, pfn, order, got);
		add_freepages(cc, pfn, got);
		scanned += got - 1;
		isolated += got;
		if (cc->nr_free - cc->first_free >= cc->nr_migratepages) {
			pfn += got;
			break;
		}
		pfn += got - 1;
	}
	*start = pfn < end ? pfn : end;
	scan_step(cc, 1, from, *start, scanned, isolated, 0);
}

/* isolate_freepages: pageblocks from the free scanner down to the one
 * above the migrate scanner's, until there is a target for every page
 * isolated; cc->free_pfn is where it resumes (below the migrate scanner's
 * pageblock when they have met). */
static void isolate_freepages(struct compact_control *cc)
{
	int64_t nr = pageblock_nr(cc);
	int64_t block = pageblock_start(cc, cc->free_pfn);
	int64_t low = pageblock_start(cc, cc->migrate_pfn) + nr;
	int64_t zend = zone_end(cc->z);
	uint32_t at = cc->free_pfn;
	for (; block >= low; block -= nr, at = (uint32_t)(block > 0 ? block : 0)) {
		uint32_t end = (uint32_t)(block + nr < zend ? block + nr : zend);
		if (!suitable_target(cc, (uint32_t)block))
			continue;
		isolate_freepages_block(cc, &at, end);
		if (cc->nr_free - cc->first_free >= cc->nr_migratepages) {
			if (at >= end) /* the block is done: resume at the next one down */
				at = (uint32_t)(block - nr > 0 ? block - nr : 0);
			break;
		}
		if (at < end) /* stopped short: the zone is at its watermark */
			break;
	}
	cc->free_pfn = block >= low ? at : (uint32_t)(block > 0 ? block : 0);
	set_cursors(cc);
}

/* compaction_alloc: the next isolated target, isolating more if none. */
static uint32_t compaction_alloc(struct machine *m, uint32_t src, void *arg)
{
	(void)m, (void)src;
	struct compact_control *cc = arg;
	if (cc->first_free == cc->nr_free)
		isolate_freepages(cc);
	if (cc->first_free == cc->nr_free)
		return PFN_NONE;
	return cc->freepages[cc->first_free++];
}

/* __compact_finished */
static enum compact_result compact_finished(struct compact_control *cc)
{
	if (scanners_met(cc))
		return COMPACT_COMPLETE;
	if (cc->order < 0)
		return COMPACT_CONTINUE;
	if (cc->migrate_pfn & (pageblock_nr(cc) - 1))
		return COMPACT_CONTINUE; /* finish the pageblock first */
	for (unsigned o = (unsigned)cc->order; o < cc->m->max_order; o++)
		if (free_area_has_movable(cc->z, o))
			return COMPACT_SUCCESS;
	return COMPACT_CONTINUE; /* COMPACT_NO_SUITABLE_PAGE */
}

/* check_drain: once the migrate scanner has left the order-aligned block
 * it last migrated from, the sources freed there to this CPU's lists go
 * back to the buddy (lru_add_drain_cpu_zone's drain_local_pages), so they
 * can merge and compact_finished can see the block. */
static void check_drain(struct compact_control *cc, uint32_t *last_migrated_pfn)
{
	if (cc->order <= 0 || !*last_migrated_pfn)
		return;
	uint32_t current_block_start = cc->migrate_pfn & ~((1u << cc->order) - 1);
	if (*last_migrated_pfn < current_block_start) {
		drain_local_pages(cc->m, cc->z);
		*last_migrated_pfn = 0; /* no more draining until the next migration */
	}
}

static enum compact_result compact_zone(struct compact_control *cc, unsigned highest)
{
	struct machine *m = cc->m;
	struct zone *z = cc->z;
	if (cc->order >= 0) {
		/* compaction_suit_allocation_order, at the min watermark */
		if (watermark_ok(m, z, cc->order, z->wmark[WMARK_MIN], highest))
			return COMPACT_SUCCESS;
		if (!compaction_suitable(m, z, cc->order, z->wmark[WMARK_MIN], highest))
			return COMPACT_SKIPPED;
	}
	cc->migrate_pfn = z->start_pfn;
	cc->free_pfn = pageblock_start(cc, zone_end(z) - 1);
	jset32(&m->j, &z->compact.running, 1);
	cc->began = true;
	set_cursors(cc);
	EMIT(m, EV_COMPACT_BEGIN, z->id, cc->order, cc->migrate_pfn, cc->free_pfn);
	enum compact_result ret;
	uint32_t last_migrated_pfn = 0; /* 0: nothing migrated since the last drain */
	while ((ret = compact_finished(cc)) == COMPACT_CONTINUE) {
		if (isolate_migratepages(cc)) {
			uint32_t from = pageblock_start(cc, cc->migrate_pfn - 1);
			last_migrated_pfn = from > z->start_pfn ? from : z->start_pfn;
			unsigned failed;
			cc->migrated += migrate_pages(m, cc->migratepages, cc->nr_migratepages, compaction_alloc, cc,
						      &failed);
			cc->failed += failed;
			cc->nr_migratepages = 0;
			if (failed && !scanners_met(cc)) {
				ret = COMPACT_CONTENDED; /* -ENOMEM: no target left */
				break;
			}
		}
		check_drain(cc, &last_migrated_pfn);
	}
	/* release_freepages */
	while (cc->first_free < cc->nr_free)
		release_isolated_page(m, cc->freepages[cc->first_free++]);
	jset32(&m->j, &z->compact.running, 0);
	EMIT(m, EV_COMPACT_END, z->id, cc->order, ret, cc->migrated, cc->failed, cc->migrate_pfn, cc->free_pfn);
	free(cc->freepages);
	return ret;
}

static enum compact_result run(struct machine *m, struct zone *z, int order, uint32_t gfp, bool direct, bool async,
			       unsigned highest, bool *began)
{
	struct compact_control cc = {.m = m, .z = z, .order = order, .gfp = gfp, .async = async, .direct = direct};
	enum compact_result r = compact_zone(&cc, highest);
	if (began)
		*began = cc.began;
	return r;
}

int compact_zone_op(struct machine *m, struct zone *z, int order, enum compact_result *res)
{
	char name[32];
	if (order < -1 || order >= (int)m->max_order)
		return mm_error(m, "compact: order %d is out of range: -1 (compact fully) or 0..%u", order,
				m->max_order - 1);
	if (!zone_populated(z) || !z->managed)
		return mm_error(m, "compact: zone %s is empty: there is nothing to compact",
				zone_label(m, z->id, name, sizeof name));
	mm_op_begin(m);
	bool began;
	*res = run(m, z, order, GFP_KERNEL, false, false, z->type, &began);
	if (!began) /* the order can be had already, or compaction cannot help */
		EMIT(m, EV_COMPACT_END, z->id, order, *res, 0, 0, z->start_pfn, z->start_pfn);
	mm_op_end(m);
	return MM_OK;
}

enum compact_result try_to_compact_pages(struct machine *m, unsigned order, uint32_t gfp, unsigned highest,
					 unsigned local, enum compact_priority prio, struct zone **first)
{
	*first = NULL;
	/* gfp_compaction_allowed: migration may have to do I/O */
	if (!(gfp & __GFP_IO))
		return COMPACT_SKIPPED;
	EMIT(m, EV_DIRECT_COMPACT, order, gfp, prio);
	enum compact_result rc = COMPACT_SKIPPED;
	for (unsigned i = 0; i < m->nr_nodes; i++) {
		for (int t = (int)highest; t >= 0; t--) {
			struct zone *z = machine_zone(m, (local + i) % m->nr_nodes, (unsigned)t);
			if (!zone_populated(z))
				continue;
			if (!*first)
				*first = z;
			/* compact_zone_order: MIGRATE_ASYNC only at COMPACT_PRIO_ASYNC */
			enum compact_result r =
				run(m, z, (int)order, gfp, true, prio == COMPACT_PRIO_ASYNC, highest, NULL);
			if (r > rc)
				rc = r;
			if (r == COMPACT_SUCCESS)
				goto out;
		}
	}
out:
	if (rc != COMPACT_SKIPPED && *first)
		count_compact_event(m, *first, CE_COMPACTSTALL, 1);
	return rc;
}

enum compact_result compaction_suit_allocation_order(const struct machine *m, const struct zone *z, unsigned order,
						     unsigned highest)
{
	uint64_t mark;
	int fragindex;
	if (watermark_ok(m, z, (int)order, z->wmark[WMARK_MIN], highest))
		return COMPACT_SUCCESS;
	return suitable(m, z, (int)order, z->wmark[WMARK_MIN], highest, &mark, &fragindex);
}

bool compaction_zonelist_suitable(const struct machine *m, unsigned order, unsigned highest, unsigned local)
{
	for (unsigned i = 0; i < m->nr_nodes; i++) {
		for (int t = (int)highest; t >= 0; t--) {
			const struct zone *z = machine_zone(m, (local + i) % m->nr_nodes, (unsigned)t);
			if (!zone_populated(z))
				continue;
			uint64_t mark, available = z->free_pages + zone_reclaimable_pages(m, z);
			if (compaction_room(z, (int)order, z->wmark[WMARK_MIN], highest, available, &mark))
				return true;
		}
	}
	return false;
}

enum compact_result kcompactd_compact_zone(struct machine *m, struct zone *z, unsigned order, unsigned highest)
{
	struct compact_control cc = {.m = m, .z = z, .order = (int)order, .gfp = GFP_KERNEL, .kcompactd = true};
	return compact_zone(&cc, highest);
}

/* ---- invariants ---- */

int check_compaction(const struct machine *m, char *why, size_t whylen)
{
	/* kcompactd wakes only with an order to compact for, and asks stay
	 * within the machine's orders and zones */
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		const struct lruvec *l = node_lruvec(m, n);
		if (l->kcompactd_wake && !l->kcompactd_max_order) {
			snprintf(why, whylen, "node %u: kcompactd is woken with no order to compact for", n);
			return -1;
		}
		if (l->kcompactd_max_order >= m->max_order || l->kcompactd_highest_zoneidx >= MAX_NR_ZONES) {
			snprintf(why, whylen, "node %u: kcompactd asked for order %u, zones up to %u: out of range", n,
				 l->kcompactd_max_order, l->kcompactd_highest_zoneidx);
			return -1;
		}
	}
	bool running = false;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		running |= m->zones[i].compact.running != 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		uint32_t n = 0;
		for (uint32_t p = z->start_pfn; p < z->start_pfn + z->spanned; p++) {
			const struct frame *f = &m->frames[p];
			if (!frame_isolated(f))
				continue;
			unsigned st = frame_state(f);
			if ((st != FS_ALLOC && st != FS_ANON && st != FS_FILE) || frame_order(f)) {
				snprintf(why, whylen, "frame 0x%x is isolated but a %s order-%u block", p,
					 frame_state_names[st], frame_order(f));
				return -1;
			}
			n++;
		}
		if (n != z->compact.nr_isolated) {
			snprintf(why, whylen, "zone %u: %u frames are isolated but nr_isolated is %u", z->id, n,
				 z->compact.nr_isolated);
			return -1;
		}
		if (!running && n) {
			snprintf(why, whylen, "zone %u: %u frames are still isolated after compaction and migration ended",
				 z->id, n);
			return -1;
		}
	}
	return 0;
}
