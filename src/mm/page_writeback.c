/*
 * Dirty and writeback state of page-cache pages (mm/page-writeback.c,
 * Linux 6.18): folio_mark_dirty counts a file page in NR_FILE_DIRTY the
 * first time it is dirtied (not a shmem page: shmem has no writeback, so
 * it is never accounted); writeback (folio_clear_dirty_for_io, then
 * __folio_start_writeback) moves it from NR_FILE_DIRTY to NR_WRITEBACK;
 * folio_end_writeback clears PG_writeback and, for a page reclaim wrote
 * (PG_reclaim), rotates it to the tail of the inactive list
 * (folio_rotate_reclaimable) so the next scan frees it first.
 * Simplifications: no flusher threads or dirty limits
 * (balance_dirty_pages); only reclaim writes pages, and the disk finishes
 * a write at the end of the reclaim pass that started it.
 */
#include "vmscan.h"

#include "procs.h"

bool folio_accounts_dirty(const struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	return frame_state(&m->frames[pfn]) == FS_FILE && !file_at(m, u->mapping)->shmem;
}

void folio_mark_dirty(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	if (u->flags & PG_dirty)
		return;
	jset32(&m->j, &u->flags, u->flags | PG_dirty);
	if (folio_accounts_dirty(m, pfn)) {
		struct vmscan_root *r = vmscan_root(m);
		jset32(&m->j, &r->nr_dirty, r->nr_dirty + 1);
	}
}

void folio_start_writeback(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	struct vmscan_root *r = vmscan_root(m);
	jset32(&m->j, &u->flags, (u->flags & ~PG_dirty) | PG_writeback | PG_reclaim);
	filemap_write_back(m, u->mapping, u->index, u->content);
	jset32(&m->j, &r->nr_dirty, r->nr_dirty - 1);
	jset32(&m->j, &r->nr_writeback, r->nr_writeback + 1);
	jset32(&m->j, &r->ev.pgpgout, r->ev.pgpgout + 1);
}

void folio_end_writeback(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	struct vmscan_root *r = vmscan_root(m);
	bool rotate = (u->flags & PG_reclaim) && (u->flags & PG_lru) && !(u->flags & (PG_active | PG_unevictable));
	jset32(&m->j, &u->flags, u->flags & ~(PG_writeback | PG_reclaim));
	jset32(&m->j, &r->nr_writeback, r->nr_writeback - 1);
	if (rotate) {
		lruvec_del_folio(m, pfn);
		lruvec_add_folio(m, pfn, true);
		jset32(&m->j, &r->ev.pgrotated, r->ev.pgrotated + 1);
	}
	EMIT(m, EV_END_WRITEBACK, pfn, page_user(m, pfn)->index, rotate);
}
