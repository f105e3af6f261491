/*
 * Page migration of user pages, modelled on mm/migrate.c (Linux 6.18):
 * - migrate_pages / migrate_pages_batch: for a batch of isolated pages,
 *   first migrate_folio_unmap for each (get a target from the caller's
 *   get_new_folio, then try_to_migrate: every PTE becomes a migration
 *   entry, rmap.c), then migrate_folio_move for each: move_to_new_folio
 *   (migrate_folio: __folio_migrate_mapping moves a page cache slot,
 *   folio_migrate_flags and the copy move the state and content), then
 *   remove_migration_ptes maps the new frame where the entries were, and
 *   the old frame goes back to the buddy when its last reference drops;
 * - alloc_migration_target for migrate() to a node, and, for migrate() to
 *   a given free frame, take_page_off_buddy (page_alloc.c);
 * - the checks isolate_migratepages_block and folio_expected_ref_count
 *   make: only LRU pages (anonymous and page cache) move; a page with
 *   more references than its mappings (and the page cache's) is pinned.
 * Simplified: one page per folio (no THP, hugetlb or movable_ops pages),
 * no writeback or dirty-page callbacks, and no retries: with no other
 * thread the references counted at isolation cannot change, so the
 * kernel's second check in folio_migrate_mapping always passes and is not
 * repeated.  Isolation takes the page off its LRU list (vmscan.h); the
 * new page joins the list its flags name, a page that could not move goes
 * back to its own.
 */
#include "compaction.h"

#include <stdio.h>
#include <stdlib.h>

#include "gfp.h"
#include "page_alloc.h"
#include "procs.h"
#include "vmscan.h"

const char *const migrate_refusal_text[NR_MIGRATE_REFUSALS] = {
#define MR_TEXT(e, t) t,
	MIGRATE_REFUSALS(MR_TEXT)
#undef MR_TEXT
};
const char *const migrate_refusal_names[NR_MIGRATE_REFUSALS] = {
	"free", "slab page", "page table", "kernel allocation", "vmalloc page", "reserved", "zero page",
	"pinned", "isolated", "KSM page", "not a block head", "no target",
};

/* The references a user page holds besides pins: one per mapping, and
 * the page cache's (folio_expected_ref_count). */
static uint32_t expected_refs(const struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	return u->mapcount + (frame_state(&m->frames[pfn]) == FS_FILE);
}

int migrate_refusal(const struct machine *m, uint32_t pfn)
{
	const struct frame *f = &m->frames[pfn];
	switch (frame_state(f)) {
	case FS_ANON:
	case FS_FILE:
		if (frame_isolated(f))
			return MR_ISOLATED;
		if (page_user(m, pfn)->flags & PG_ksm)
			return MR_KSM;
		return page_user(m, pfn)->refcount > expected_refs(m, pfn) ? MR_PINNED : -1;
	case FS_FREE: return MR_FREE;
	case FS_TAIL: {
		uint32_t h = block_head(m, pfn);
		return h != PFN_NONE && frame_state(&m->frames[h]) == FS_FREE ? MR_FREE : MR_TAIL;
	}
	case FS_SLAB: return MR_SLAB;
	case FS_PAGETABLE: return MR_PAGETABLE;
	case FS_VMALLOC: return MR_VMALLOC;
	case FS_RESERVED: return MR_RESERVED;
	case FS_ZERO: return MR_ZERO;
	default: return MR_KERNEL; /* allocated, a large kmalloc, the swap cache's */
	}
}

/* isolate_migratepages_block's success: off the LRU with a reference. */
void isolate_lru_page(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	isolate_page(m, pfn);
	if (u->flags & PG_lru) /* folio_isolate_lru */
		lruvec_del_folio(m, pfn);
	jset32(&m->j, &u->refcount, u->refcount + 1);
	EMIT(m, EV_ISOLATE_MIGRATE, pfn_zone(m, pfn)->id, pfn, u->refcount);
}

/* migrate_folio_unmap: a target, then every PTE a migration entry.
 * PFN_NONE (and the page put back) when no target is had. */
static uint32_t unmap_one(struct machine *m, uint32_t src, new_folio_fn get_new, void *ctx)
{
	uint32_t dst = get_new(m, src, ctx);
	if (dst == PFN_NONE)
		return PFN_NONE;
	EMIT(m, EV_MIGRATE_TARGET, src, dst);
	try_to_migrate(m, src);
	return dst;
}

/* putback_movable_pages for one page that could not move. */
static void putback_one(struct machine *m, uint32_t pfn, enum migrate_refusal why)
{
	struct upage *u = page_user(m, pfn);
	putback_page(m, pfn);
	lruvec_add_folio(m, pfn, false); /* folio_putback_lru */
	jset32(&m->j, &u->refcount, u->refcount - 1);
	count_compact_event(m, pfn_zone(m, pfn), CE_PGMIGRATE_FAIL, 1);
	EMIT(m, EV_MIGRATE_FAIL, pfn, why);
}

/* migrate_folio_move up to the last step: the state moves, the entries
 * map dst, the references of the migration drop and src is freed.
 * Returns how many PTEs map dst. */
static unsigned move_one(struct machine *m, uint32_t src, uint32_t dst)
{
	struct procs_root *r = procs_root(m);
	unsigned st = frame_state(&m->frames[src]);
	bool file = st == FS_FILE;
	uint32_t off = procs_alloc(m, sizeof(struct upage), &r->free_upage);
	struct upage *u = procs_ptr(m, off), *s = page_user(m, src);
	jset32(&m->j, &m->frames[dst].up, off);
	jset32(&m->j, &m->frames[dst].info, frame_info(st, 0) | FRAME_ISOLATED);
	/* the target's own reference, and the page cache's moving over */
	jset32(&m->j, &u->refcount, 1 + file);
	jset32(&m->j, &s->refcount, s->refcount - file);
	jset32(&m->j, &u->mapping, s->mapping);
	/* folio_migrate_flags: the flags move, the old page keeps none (so
	 * Dirty, Mlocked and the LRU count the page once) */
	jset32(&m->j, &u->flags, s->flags);
	jset32(&m->j, &s->flags, 0);
	jset64(&m->j, &u->index, s->index);
	jset64(&m->j, &u->content, s->content);
	if (file)
		filemap_migrate_slot(m, src, dst);
	EMIT(m, EV_MIGRATE_COPY, src, dst, (int64_t)s->content, file);
	unsigned n = remove_migration_ptes(m, src, dst);
	/* dst joins the LRU and drops the allocation's reference; src drops
	 * the isolation's, its last: it goes back to the buddy */
	putback_page(m, dst);
	lruvec_add_folio(m, dst, false);
	jset32(&m->j, &u->refcount, u->refcount - 1);
	putback_page(m, src);
	count_compact_event(m, pfn_zone(m, src), CE_PGMIGRATE_SUCCESS, 1);
	put_page(m, src);
	return n;
}

unsigned migrate_pages(struct machine *m, const uint32_t *pfns, unsigned n, new_folio_fn get_new, void *ctx,
		       unsigned *failed)
{
	uint32_t *dst = malloc((n ? n : 1) * sizeof *dst);
	if (!dst)
		abort();
	*failed = 0;
	unsigned moved = 0;
	for (unsigned i = 0; i < n; i++) {
		dst[i] = unmap_one(m, pfns[i], get_new, ctx);
		if (dst[i] == PFN_NONE) {
			putback_one(m, pfns[i], MR_NOTARGET);
			(*failed)++;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (dst[i] == PFN_NONE)
			continue;
		unsigned maps = move_one(m, pfns[i], dst[i]);
		EMIT(m, EV_MIGRATE_DONE, pfns[i], dst[i], maps);
		moved++;
	}
	free(dst);
	return moved;
}

/* ---- migrate(): one page, to a node or to a given free frame ---- */

struct target {
	int node;
	uint32_t pfn;
};

/* alloc_migration_target, or the frame asked for. */
static uint32_t single_target(struct machine *m, uint32_t src, void *arg)
{
	(void)src;
	struct target *t = arg;
	if (t->node < 0)
		return take_page_off_buddy(m, t->pfn);
	uint32_t pfn;
	if (alloc_pages(m, 0, GFP_HIGHUSER_MOVABLE, t->node, &pfn) != MM_OK)
		return PFN_NONE;
	isolate_page(m, pfn);
	return pfn;
}

static int check_migrate(struct machine *m, uint32_t pfn, int node, uint32_t target)
{
	if (pfn >= m->nr_frames)
		return mm_error(m, "migrate: pfn 0x%x is outside memory (pfns 0x0..0x%x)", pfn, m->nr_frames - 1);
	int why = migrate_refusal(m, pfn);
	if (why >= 0)
		return mm_error(m, "migrate: frame 0x%x cannot move: %s", pfn, migrate_refusal_text[why]);
	if (node >= (int)m->nr_nodes)
		return mm_error(m, "migrate: node %d does not exist: this machine has nodes 0..%u", node,
				m->nr_nodes - 1);
	if (node >= 0)
		return MM_OK;
	if (target >= m->nr_frames)
		return mm_error(m, "migrate: target pfn 0x%x is outside memory (pfns 0x0..0x%x)", target,
				m->nr_frames - 1);
	uint32_t h = block_head(m, target);
	if (h == PFN_NONE || frame_state(&m->frames[h]) != FS_FREE)
		return mm_error(m, "migrate: target frame 0x%x is not free (it is %s)", target,
				frame_state_names[frame_state(&m->frames[h == PFN_NONE ? target : h])]);
	return MM_OK;
}

int migrate_page(struct machine *m, uint32_t pfn, int node, uint32_t target_pfn, uint32_t *dst)
{
	if (check_migrate(m, pfn, node, target_pfn) != MM_OK)
		return MM_EINVAL;
	struct zone *z = pfn_zone(m, pfn);
	struct target t = {node, target_pfn};
	mm_op_begin(m);
	/* a migration is under way: isolated pages are allowed (the checker) */
	jset32(&m->j, &z->compact.running, 2);
	isolate_lru_page(m, pfn);
	*dst = unmap_one(m, pfn, single_target, &t);
	if (*dst == PFN_NONE) {
		jset32(&m->j, &z->compact.running, 0);
		putback_one(m, pfn, MR_NOTARGET);
		mm_op_end(m);
		snprintf(m->reason, sizeof m->reason, "no free frame on node %d to move frame 0x%x to", node, pfn);
		return MM_NOMEM;
	}
	unsigned maps = move_one(m, pfn, *dst);
	jset32(&m->j, &z->compact.running, 0);
	EMIT(m, EV_MIGRATE_DONE, pfn, *dst, maps);
	mm_op_end(m);
	return MM_OK;
}
