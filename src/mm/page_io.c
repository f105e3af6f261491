/*
 * Swap I/O (mm/page_io.c, Linux 6.18): swap_writepage (through
 * __swap_writepage) writes a swap cache page to its slot and counts
 * pswpout; swap_read_folio reads a slot into a page and counts pswpin (and
 * pgpgin, as submit_bio counts every read).  The "disk" is the slot's data
 * word in its cluster; both complete at once, as on a SWP_SYNCHRONOUS_IO
 * device, so no page waits under writeback or lock.  Not modelled: the
 * zero-filled page shortcut (swap_zeromap), zswap, bio batching.
 */
#include "swap.h"

#include "procs.h"

static uint64_t *disk_cell(const struct machine *m, uint64_t entry)
{
	const struct swap_info *si = swap_info_by_type(m, swp_type(entry));
	uint64_t off = swp_offset(entry);
	return &swap_cluster_of(m, si, off)->disk[off % SWAPFILE_CLUSTER];
}

void swap_writepage(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	struct swap_root *r = swap_root(m);
	jset64(&m->j, disk_cell(m, u->swap), u->content);
	jset32(&m->j, &u->flags, u->flags & ~PG_dirty);
	jset32(&m->j, &r->pswpout, r->pswpout + 1);
	EMIT(m, EV_SWAP_WRITEPAGE, pfn, swp_type(u->swap), (int64_t)swp_offset(u->swap), (int64_t)u->content);
}

void swap_read_folio(struct machine *m, uint32_t pfn, uint64_t entry)
{
	struct upage *u = page_user(m, pfn);
	struct swap_root *r = swap_root(m);
	struct procs_root *pr = procs_root(m);
	jset64(&m->j, &u->content, *disk_cell(m, entry));
	jset32(&m->j, &r->pswpin, r->pswpin + 1);
	jset32(&m->j, &pr->pgpgin, pr->pgpgin + 1);
	EMIT(m, EV_SWAP_READ, pfn, swp_type(entry), (int64_t)swp_offset(entry), (int64_t)u->content);
}
