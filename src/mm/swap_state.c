/*
 * The swap cache (mm/swap_state.c, Linux 6.18, where the cache is the
 * clusters' swap table):
 * - add_to_swap (folio_alloc_swap, then swap_cache_add_folio): the page
 *   gets a slot, the slot's table entry points to the page, which holds
 *   the slot in folio->swap, is PG_swapcache (frame state swapcache here)
 *   and dirty, and gains the cache's reference;
 * - swap_cache_get_folio: a fault's lookup of the slot's page;
 * - delete_from_swap_cache (swap_cache_del_folio): the table entry goes,
 *   SWAP_HAS_CACHE is cleared (the slot is freed if no PTE names it) and
 *   the cache's reference is dropped;
 * - folio_free_swap: a page whose slot no swap PTE names leaves the cache;
 * - __remove_mapping, for the swap cache page shrink_folio_list frees: only
 *   when it is unmapped, clean and held by the cache alone.
 * swapin_folio is the cache's half of swapin_readahead without readahead:
 * a miss takes a page (GFP_HIGHUSER_MOVABLE), marks the slot
 * SWAP_HAS_CACHE (swapcache_prepare), adds the page, lets the slot's
 * shadow entry (workingset.c) decide its LRU list, adds it there and
 * reads it.  A page reclaimed from the cache leaves a shadow in the slot
 * while swap PTEs still name it.
 * swap_out_folio strings shrink_folio_list's anonymous steps together; the
 * write completes at once, as on a SWP_SYNCHRONOUS_IO device (zram), so
 * the page is freed in the same pass rather than after writeback.
 */
#include "swap.h"
#include "vmscan.h"

#include <stdio.h>

#include "gfp.h"
#include "page_alloc.h"
#include "procs.h"

uint32_t swap_cache_lookup(const struct machine *m, uint64_t entry)
{
	const struct swap_info *si = swap_info_by_type(m, swp_type(entry));
	uint64_t off = swp_offset(entry);
	if (!si || !off || off >= si->max)
		return PFN_NONE;
	uint32_t v = swap_cluster_of(m, si, off)->table[off % SWAPFILE_CLUSTER];
	return v && !slot_is_shadow(v) ? v - 1 : PFN_NONE;
}

uint32_t swap_cache_get_shadow(const struct machine *m, uint64_t entry)
{
	const struct swap_info *si = swap_info_by_type(m, swp_type(entry));
	uint64_t off = swp_offset(entry);
	if (!si || !off || off >= si->max)
		return 0;
	uint32_t v = swap_cluster_of(m, si, off)->table[off % SWAPFILE_CLUSTER];
	return slot_is_shadow(v) ? v : 0;
}

static uint32_t *table_cell(const struct machine *m, uint64_t entry)
{
	const struct swap_info *si = swap_info_by_type(m, swp_type(entry));
	uint64_t off = swp_offset(entry);
	return &swap_cluster_of(m, si, off)->table[off % SWAPFILE_CLUSTER];
}

/* The page joins the cache under entry, whose SWAP_HAS_CACHE is set
 * (writes only: the caller's step shows it). */
static void cache_add(struct machine *m, uint32_t pfn, uint64_t entry)
{
	struct upage *u = page_user(m, pfn);
	struct swap_root *r = swap_root(m);
	jset32(&m->j, table_cell(m, entry), pfn + 1);
	jset64(&m->j, &u->swap, entry);
	jset32(&m->j, &u->refcount, u->refcount + 1);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_SWAPCACHE, 0));
	jset32(&m->j, &r->nr_swapcache, r->nr_swapcache + 1);
}

void swap_cache_add(struct machine *m, uint32_t pfn, uint64_t entry)
{
	cache_add(m, pfn, entry);
	EMIT(m, EV_SWAP_CACHE_ADD, pfn, swp_type(entry), (int64_t)swp_offset(entry), page_user(m, pfn)->refcount);
}

int add_to_swap(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	if (!u || frame_state(&m->frames[pfn]) != FS_ANON)
		return mm_error(m, "add_to_swap: frame 0x%x is not an anonymous page outside the swap cache", pfn);
	uint64_t entry = folio_alloc_swap(m);
	if (!entry) {
		snprintf(m->reason, sizeof m->reason, "no free swap slot for frame 0x%x", pfn);
		return MM_NOMEM;
	}
	/* the cache's copy is not on disk yet: the page must be written */
	jset32(&m->j, &u->flags, u->flags | PG_dirty);
	cache_add(m, pfn, entry);
	swap_alloc_emit(m);
	EMIT(m, EV_SWAP_CACHE_ADD, pfn, swp_type(entry), (int64_t)swp_offset(entry), u->refcount);
	return MM_OK;
}

/* swap_cache_del_folio: the slot keeps shadow (0 for none) if it stays in use. */
static void cache_del(struct machine *m, uint32_t pfn, uint32_t shadow)
{
	struct upage *u = page_user(m, pfn);
	struct swap_root *r = swap_root(m);
	uint64_t entry = u->swap;
	jset32(&m->j, table_cell(m, entry), 0);
	jset64(&m->j, &u->swap, 0);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ANON, 0));
	jset32(&m->j, &r->nr_swapcache, r->nr_swapcache - 1);
	jset32(&m->j, &u->refcount, u->refcount - 1);
	struct cluster_move mv;
	if (!swap_clear_cache(m, entry, &mv) && shadow)
		jset32(&m->j, table_cell(m, entry), shadow);
	uint32_t refs = u->refcount;
	if (!refs) { /* the cache's reference was the last: the page goes */
		lru_del_on_free(m, pfn); /* off its LRU list first */
		procs_release(m, m->frames[pfn].up, &procs_root(m)->free_upage);
		jset32(&m->j, &m->frames[pfn].up, 0);
		jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, 0));
	}
	EMIT(m, EV_SWAP_CACHE_DEL, pfn, swp_type(entry), (int64_t)swp_offset(entry), refs);
	swap_cluster_moved(m, &mv);
	if (!refs)
		free_pages(m, pfn, 0);
}

void delete_from_swap_cache(struct machine *m, uint32_t pfn)
{
	cache_del(m, pfn, 0);
}

bool folio_free_swap(struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	if (!u || frame_state(&m->frames[pfn]) != FS_SWAPCACHE)
		return false;
	if (swap_count_at(m, u->swap) & SWAP_COUNT_MASK) /* folio_swapped */
		return false;
	delete_from_swap_cache(m, pfn);
	return true;
}

bool swap_remove_mapping(struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	if (!u || frame_state(&m->frames[pfn]) != FS_SWAPCACHE || u->mapcount || (u->flags & PG_dirty) ||
	    u->refcount != 1)
		return false;
	/* __remove_mapping: reclaimed, so its slot remembers the eviction */
	uint32_t shadow = workingset_eviction(m, pfn);
	cache_del(m, pfn, shadow); /* the cache's reference was the last */
	return true;
}

int swap_out_folio(struct machine *m, uint32_t pfn, bool *freed)
{
	*freed = false;
	if (frame_state(&m->frames[pfn]) == FS_ANON) {
		int rc = add_to_swap(m, pfn);
		if (rc != MM_OK)
			return rc;
	}
	if (!try_to_unmap(m, pfn))
		return MM_OK;
	if (page_user(m, pfn)->flags & PG_dirty)
		swap_writepage(m, pfn);
	*freed = swap_remove_mapping(m, pfn);
	return MM_OK;
}

int swapin_folio(struct machine *m, uint64_t entry, uint32_t *pfn, bool *major)
{
	*pfn = swap_cache_lookup(m, entry);
	if (*pfn != PFN_NONE) {
		*major = false;
		EMIT(m, EV_SWAP_CACHE_HIT, *pfn, swp_type(entry), (int64_t)swp_offset(entry));
		return MM_OK;
	}
	*major = true;
	int rc = alloc_pages(m, 0, GFP_HIGHUSER_MOVABLE, -1, pfn);
	if (rc != MM_OK)
		return rc;
	struct procs_root *pr = procs_root(m);
	uint32_t off = procs_alloc(m, sizeof(struct upage), &pr->free_upage);
	struct upage *u = procs_ptr(m, off);
	jset32(&m->j, &m->frames[*pfn].up, off);
	jset32(&m->j, &u->flags, PG_swapbacked);
	uint32_t shadow = swap_cache_get_shadow(m, entry);
	swap_set_cache(m, entry); /* swapcache_prepare */
	swap_cache_add(m, *pfn, entry);  /* the cache's reference: the only one */
	/* swap_cache_alloc_folio: a shadow's refault decides the list, then
	 * the page joins it */
	struct refault_test t;
	if (shadow)
		workingset_refault(m, *pfn, shadow, &t);
	folio_add_lru(m, *pfn, false);
	if (shadow)
		workingset_refault_emit(m, *pfn, &t);
	swap_read_folio(m, *pfn, entry);
	return MM_OK;
}
