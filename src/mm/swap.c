/*
 * The LRU lists (mm/swap.c and include/linux/mm_inline.h, Linux 6.18,
 * CONFIG_LRU_GEN off):
 * - folio_lru_list: unevictable pages on LRU_UNEVICTABLE, else the anon
 *   or file list (PG_swapbacked) of the page's age (PG_active);
 * - folio_add_lru / lru_add: a new page goes to the head of its list.  An
 *   anonymous page starts on the inactive list like a file page (since
 *   5.9 the kernel no longer makes new anon pages active); a page faulted
 *   into a VM_LOCKED VMA goes straight to the unevictable list
 *   (folio_add_lru_vma, mlock_new_folio);
 * - folio_mark_accessed: the first access marks a page PG_referenced,
 *   the second moves an inactive page to the active list (folio_activate)
 *   and clears the mark.
 * Simplifications: no per-CPU folio batches (cpu_fbatches): every move is
 * made at once instead of when a batch of 31 fills.
 */
#include "vmscan.h"
#include "page_alloc.h"

#include "procs.h"

const char *const lru_names[NR_LRU_LISTS] = {"inactive_anon", "active_anon", "inactive_file", "active_file",
					     "unevictable"};

unsigned pfn_node(const struct machine *m, uint32_t pfn)
{
	return pfn_zone(m, pfn)->node;
}

uint64_t lru_pages(const struct machine *m, enum lru_list lru)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < m->nr_nodes; i++)
		n += node_lruvec(m, i)->lists[lru].nr;
	return n;
}

static bool folio_is_file_lru(const struct upage *u) { return !(u->flags & PG_swapbacked); }

enum lru_list folio_lru_list(const struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	if (u->flags & PG_unevictable)
		return LRU_UNEVICTABLE;
	enum lru_list lru = folio_is_file_lru(u) ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
	return u->flags & PG_active ? lru + 1 : lru;
}

static void count(struct machine *m, uint32_t pfn, enum lru_list lru, int delta)
{
	struct lru_head *l = &node_lruvec(m, pfn_node(m, pfn))->lists[lru];
	uint32_t *z = &zone_lru(m, pfn_zone(m, pfn)->id)[lru];
	jset32(&m->j, &l->nr, l->nr + (uint32_t)delta);
	jset32(&m->j, z, *z + (uint32_t)delta);
}

void lruvec_add_folio(struct machine *m, uint32_t pfn, bool tail)
{
	struct upage *u = page_user(m, pfn);
	enum lru_list lru = folio_lru_list(m, pfn);
	struct lru_head *l = &node_lruvec(m, pfn_node(m, pfn))->lists[lru];
	pfn_list_add(m, &l->list, pfn, tail);
	jset32(&m->j, &u->flags, u->flags | PG_lru);
	count(m, pfn, lru, 1);
}

void lruvec_del_folio(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	enum lru_list lru = folio_lru_list(m, pfn);
	struct lru_head *l = &node_lruvec(m, pfn_node(m, pfn))->lists[lru];
	pfn_list_del(m, &l->list, pfn);
	jset32(&m->j, &u->flags, u->flags & ~PG_lru);
	count(m, pfn, lru, -1);
}

void folio_add_lru(struct machine *m, uint32_t pfn, bool locked_vma)
{
	struct upage *u = page_user(m, pfn);
	if (locked_vma) { /* mlock_new_folio */
		struct vmscan_root *r = vmscan_root(m);
		jset32(&m->j, &u->flags, u->flags | PG_mlocked | PG_unevictable);
		jset32(&m->j, &r->nr_mlock, r->nr_mlock + 1);
		jset32(&m->j, &r->ev.unevictable_pgs_mlocked, r->ev.unevictable_pgs_mlocked + 1);
	}
	lruvec_add_folio(m, pfn, false);
}

void lru_del_on_free(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	if (u->flags & PG_lru)
		lruvec_del_folio(m, pfn);
	struct vmscan_root *r = vmscan_root(m);
	if (u->flags & PG_mlocked)
		jset32(&m->j, &r->nr_mlock, r->nr_mlock - 1);
	if ((u->flags & PG_dirty) && folio_accounts_dirty(m, pfn))
		jset32(&m->j, &r->nr_dirty, r->nr_dirty - 1);
	jset32(&m->j, &u->flags, u->flags & ~(PG_mlocked | PG_unevictable | PG_active | PG_referenced | PG_dirty));
}

enum { MA_REFERENCED, MA_ACTIVATED, MA_ALREADY_ACTIVE, MA_UNEVICTABLE };

void folio_mark_accessed(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	int how;
	if (!(u->flags & PG_referenced)) {
		jset32(&m->j, &u->flags, u->flags | PG_referenced);
		how = MA_REFERENCED;
	} else if (u->flags & PG_unevictable) {
		how = MA_UNEVICTABLE;
	} else if (u->flags & PG_active) {
		how = MA_ALREADY_ACTIVE;
	} else {
		/* folio_activate: off the inactive list, onto the active head */
		struct vmscan_root *r = vmscan_root(m);
		if (u->flags & PG_lru)
			lruvec_del_folio(m, pfn);
		jset32(&m->j, &u->flags, (u->flags | PG_active) & ~PG_referenced);
		lruvec_add_folio(m, pfn, false);
		jset32(&m->j, &r->ev.pgactivate, r->ev.pgactivate + 1);
		workingset_activation(m, pfn);
		how = MA_ACTIVATED;
	}
	EMIT(m, EV_MARK_ACCESSED, pfn, folio_lru_list(m, pfn), how);
}
