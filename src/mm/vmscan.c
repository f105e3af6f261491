/*
 * Page reclaim (mm/vmscan.c, Linux 6.18, CONFIG_LRU_GEN off):
 * - shrink_node -> shrink_lruvec: get_scan_count splits the work between
 *   the lists: size >> priority pages each, all of it file when anon pages
 *   cannot be reclaimed (no swap), equal at priority 0, else by swappiness
 *   against the recent cost of each type (lru_note_cost); the lists are
 *   scanned SWAP_CLUSTER_MAX at a time until the targets are used up or
 *   enough was reclaimed; active lists only while their inactive list is
 *   low (inactive_is_low, may_deactivate);
 * - shrink_active_list: each page from the tail loses its young PTE bits
 *   (folio_referenced); a referenced executable file page stays active,
 *   every other page goes to the inactive list's head;
 * - shrink_inactive_list -> shrink_folio_list, each page from the tail:
 *   folio_check_references (young PTEs through the reverse map, cleared,
 *   and PG_referenced) activates, keeps or reclaims it; a file page to
 *   reclaim is unmapped (try_to_unmap), written if dirty (pageout: freed on
 *   a later pass, once the write is done and the page rotated to the
 *   tail) or, clean, removed from the page cache (__remove_mapping) and
 *   freed.  Anonymous pages need swap (add_to_swap): without a swap area
 *   they are never scanned, and one found is put back active.
 * Every decision is a step with the page and its reason.
 * Simplifications: the kernel isolates a batch of pages, then decides on
 * each, then puts the survivors back; the model takes one page at a time
 * from the tail and moves it in the same step.  Reclaim takes pages from
 * every zone of the node (no reclaim_idx skipping); once enough is
 * reclaimed shrink_lruvec stops instead of rescaling the other list's
 * target; dirty file pages are written by whichever reclaimer finds them
 * (the kernel leaves them to the flusher threads except from kswapd); no
 * slab shrinkers, no memory cgroups.  Evicted pages leave shadow entries
 * (workingset.c).
 */
#include "vmscan.h"
#include "swap.h"

#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "gfp.h"
#include "procs.h"
#include "xalloc.h"

const char *const scan_balance_names[NR_SCAN_BALANCE] = {"equal", "by swappiness and cost", "anon only",
							  "file only"};
const char *const folio_decision_names[NR_FOLIO_DECISIONS] = {
	"a referenced anonymous page: activate",
	"referenced twice (PTE and PG_referenced, or two PTEs): activate",
	"a referenced executable file page: activate",
	"referenced once: keep it inactive with PG_referenced, a second chance",
	"dirty and recently referenced: keep it for now (FOLIOREF_RECLAIM_CLEAN)",
	"clean and unreferenced: it leaves the page cache and is freed",
	"dirty: written back (pageout), freed on a later pass",
	"anonymous and no swap area: activate (add_to_swap fails)",
	"anonymous: in the swap cache, unmapped, written to its slot and freed",
	"anonymous, but a PTE still maps it after try_to_unmap: keep it",
	"anonymous and in the swap cache, but not yet freeable: keep it",
	"a KSM page: activate (the model does not swap KSM pages)",
};

void vmscan_init(struct machine *m)
{
	m->vmscan = xcalloc(1, sizeof *m->vmscan);
	struct arena *a = &m->vmscan->arena;
	arena_init(m, a);
	m->vmscan->root = arena_alloc(m, a, sizeof(struct vmscan_root));
	struct vmscan_root *r = vmscan_root(m);
	r->swappiness = 60;
	r->lruvec = arena_alloc(m, a, m->nr_nodes * (uint32_t)sizeof(struct lruvec));
	r = vmscan_root(m);
	r->zone_lru = arena_alloc(m, a, machine_nr_zones(m) * NR_LRU_LISTS * 4);
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		struct lruvec *l = node_lruvec(m, n);
		for (unsigned i = 0; i < NR_LRU_LISTS; i++)
			l->lists[i].head = l->lists[i].tail = PFN_NONE;
		l->kswapd_highest_zoneidx = 0;
		/* the kernel's pgdat->nr_zones - 1; unpopulated zones are skipped */
		l->kcompactd_highest_zoneidx = MAX_NR_ZONES - 1;
	}
}

void vmscan_free(struct machine *m)
{
	free(m->vmscan);
	m->vmscan = NULL;
}

#define INC(m, counter) jset32(&(m)->j, &vmscan_root(m)->ev.counter, vmscan_root(m)->ev.counter + 1)

/* can_reclaim_anon_pages: anonymous pages can go only where a swap slot
 * is free (get_nr_swap_pages() > 0). */
bool can_reclaim_anon_pages(const struct machine *m)
{
	return swap_root(m)->nr_swap_pages > 0;
}

static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0;
	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

bool inactive_is_low(const struct machine *m, unsigned node, enum lru_list inactive)
{
	const struct lruvec *l = node_lruvec(m, node);
	uint64_t in = l->lists[inactive].nr, act = l->lists[inactive + 1].nr;
	uint64_t gb = ((in + act) << m->page_shift) >> 30;
	uint64_t ratio = gb ? isqrt(10 * gb) : 1;
	return in * ratio < act;
}

void prepare_scan_control(const struct machine *m, unsigned node, struct scan_control *sc)
{
	const struct lruvec *l = node_lruvec(m, node);
	sc->may_deactivate = 0;
	if (inactive_is_low(m, node, LRU_INACTIVE_ANON))
		sc->may_deactivate |= DEACTIVATE_ANON;
	if (inactive_is_low(m, node, LRU_INACTIVE_FILE))
		sc->may_deactivate |= DEACTIVATE_FILE;
	/* plenty of inactive cache: trim it and leave anon alone */
	uint64_t file_inactive = l->lists[LRU_INACTIVE_FILE].nr;
	sc->cache_trim_mode = (file_inactive >> sc->priority) && !(sc->may_deactivate & DEACTIVATE_FILE);
	/* the file pages are so few that anon must give too */
	uint64_t free = 0, high = 0;
	for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *z = machine_zone(m, node, t);
		free += z->free_pages;
		high += z->wmark[WMARK_HIGH];
	}
	uint64_t file = file_inactive + l->lists[LRU_ACTIVE_FILE].nr;
	sc->file_is_tiny = file + free <= high && !(sc->may_deactivate & DEACTIVATE_ANON) &&
			   (l->lists[LRU_INACTIVE_ANON].nr >> sc->priority);
}

enum scan_balance get_scan_count(const struct machine *m, unsigned node, const struct scan_control *sc,
				 uint64_t nr[NR_EVICTABLE_LRU])
{
	const struct lruvec *l = node_lruvec(m, node);
	unsigned swappiness = sc->swappiness;
	enum scan_balance balance;
	uint64_t fraction[2] = {0, 0}, denominator = 1;
	if (!sc->can_swap)
		balance = SCAN_FILE;
	else if (!sc->priority && swappiness)
		balance = SCAN_EQUAL;
	else if (sc->file_is_tiny)
		balance = SCAN_ANON;
	else if (sc->cache_trim_mode)
		balance = SCAN_FILE;
	else {
		/* each type's share: swappiness over its cost, the cost
		 * counted twice for itself and once for the other */
		uint64_t total = l->anon_cost + l->file_cost;
		uint64_t anon_cost = total + l->anon_cost, file_cost = total + l->file_cost;
		total = anon_cost + file_cost;
		fraction[0] = swappiness * (total + 1) / (anon_cost + 1);
		fraction[1] = (MAX_SWAPPINESS - swappiness) * (total + 1) / (file_cost + 1);
		denominator = fraction[0] + fraction[1];
		balance = SCAN_FRACT;
	}
	for (unsigned lru = 0; lru < NR_EVICTABLE_LRU; lru++) {
		bool file = lru >= LRU_INACTIVE_FILE;
		uint64_t scan = l->lists[lru].nr >> sc->priority;
		if (balance == SCAN_FRACT)
			scan = denominator ? scan * fraction[file] / denominator : 0;
		else if ((balance == SCAN_FILE && !file) || (balance == SCAN_ANON && file))
			scan = 0;
		nr[lru] = scan;
	}
	return balance;
}

/* ---- the reverse map's part: referenced bits and unmapping ---- */

#define MAX_MAPPERS 64

static bool pte_young(const struct machine *m, uint64_t e)
{
	return m->pt->fmt.family == PTF_ARM64 ? (e & ARM_AF) != 0 : (e & X86_ACCESSED) != 0;
}

static uint64_t pte_mkold(const struct machine *m, uint64_t e)
{
	return m->pt->fmt.family == PTF_ARM64 ? e & ~ARM_AF : e & ~X86_ACCESSED;
}

/* folio_referenced: the young PTEs mapping the page, each made old
 * (ptep_clear_flush_young: the TLB entry goes too, so the next access
 * walks and sets the bit again).  *vm_flags gathers the mappers' VMAs. */
static unsigned folio_referenced(struct machine *m, uint32_t pfn, unsigned *vm_flags)
{
	struct rmap_hit hits[MAX_MAPPERS];
	unsigned n = rmap_walk_const(m, pfn, hits, MAX_MAPPERS), young = 0;
	*vm_flags = 0;
	for (unsigned i = 0; i < n && i < MAX_MAPPERS; i++) {
		const struct mm_struct *mm = task_mm(m, hits[i].pid);
		uint64_t *pte = pte_lookup(m, mm->asid, hits[i].va, NULL);
		uint32_t v = find_vma(m, mm, hits[i].va);
		*vm_flags |= vma_at(m, v)->flags;
		if (!pte_young(m, *pte))
			continue;
		young++;
		jset64(&m->j, pte, pte_mkold(m, *pte));
		EMIT(m, EV_FOLIO_REFERENCED, pfn, hits[i].pid, (int64_t)hits[i].va, young);
		pt_tlb_flush(m, mm->asid, hits[i].va, false);
	}
	return young;
}

/* try_to_unmap for a file page, through the reverse map: every PTE of the page goes. */
static void try_to_unmap_file(struct machine *m, uint32_t pfn)
{
	struct rmap_hit hits[MAX_MAPPERS];
	unsigned n;
	while ((n = rmap_walk_const(m, pfn, hits, MAX_MAPPERS)) > 0)
		for (unsigned i = 0; i < n && i < MAX_MAPPERS; i++)
			try_to_unmap_one(m, hits[i].pid, hits[i].va);
}

/* ---- shrink_folio_list, one page ---- */

enum folioref { FOLIOREF_RECLAIM, FOLIOREF_RECLAIM_CLEAN, FOLIOREF_KEEP, FOLIOREF_ACTIVATE };

static enum folioref folio_check_references(struct machine *m, uint32_t pfn, enum folio_decision *why)
{
	struct upage *u = page_user(m, pfn);
	unsigned vm_flags;
	unsigned ptes = folio_referenced(m, pfn, &vm_flags);
	bool referenced = (u->flags & PG_referenced) != 0, file = !(u->flags & PG_swapbacked);
	jset32(&m->j, &u->flags, u->flags & ~PG_referenced);
	if (ptes) {
		if (!file) {
			*why = FD_ACTIVATE_ANON;
			return FOLIOREF_ACTIVATE;
		}
		/* the mark that a second reference would activate */
		jset32(&m->j, &u->flags, u->flags | PG_referenced);
		if (referenced || ptes > 1) {
			*why = FD_ACTIVATE_TWICE;
			return FOLIOREF_ACTIVATE;
		}
		if (vm_flags & VM_EXEC) {
			*why = FD_ACTIVATE_EXEC;
			return FOLIOREF_ACTIVATE;
		}
		*why = FD_KEEP_REFERENCED;
		return FOLIOREF_KEEP;
	}
	if (referenced && file)
		return FOLIOREF_RECLAIM_CLEAN;
	return FOLIOREF_RECLAIM;
}

static void putback(struct machine *m, uint32_t pfn, bool activate)
{
	struct upage *u = page_user(m, pfn);
	if (activate) {
		jset32(&m->j, &u->flags, u->flags | PG_active);
		INC(m, pgactivate);
	}
	lruvec_add_folio(m, pfn, false);
	if (u->flags & PG_active) /* move_folios_to_lru ages the nonresident pages too */
		workingset_age_nonresident(m, pfn_node(m, pfn), 1);
}

static void decided(struct machine *m, uint32_t pfn, enum lru_list from, enum folio_decision how)
{
	EMIT(m, EV_SHRINK_FOLIO, pfn, from, how, page_user(m, pfn) ? page_user(m, pfn)->refcount : 0);
}

/* The anonymous branch of shrink_folio_list, with swap.h's pieces in the
 * kernel's order: add_to_swap (a slot, the swap cache), try_to_unmap
 * (every PTE becomes the swap entry), pageout (swap_writepage: the write
 * completes at once, as on a synchronous device) and __remove_mapping.
 * Without a free slot add_to_swap fails and the page goes back active.
 * Shmem pages are swap-backed too, but the model swaps only anonymous
 * memory: they go back active as well. */
static enum folio_decision reclaim_anon(struct machine *m, uint32_t pfn, enum lru_list from)
{
	unsigned state = frame_state(&m->frames[pfn]);
	if (page_user(m, pfn)->flags & PG_ksm) {
		putback(m, pfn, true);
		decided(m, pfn, from, FD_KSM);
		return FD_KSM;
	}
	if (!frame_is_anon(state) || (state == FS_ANON && add_to_swap(m, pfn) != MM_OK)) {
		putback(m, pfn, true);
		decided(m, pfn, from, FD_NO_SWAP);
		return FD_NO_SWAP;
	}
	if (!try_to_unmap(m, pfn)) {
		putback(m, pfn, false);
		decided(m, pfn, from, FD_STILL_MAPPED);
		return FD_STILL_MAPPED;
	}
	if (page_user(m, pfn)->flags & PG_dirty)
		swap_writepage(m, pfn);
	decided(m, pfn, from, FD_SWAPPED);
	if (!swap_remove_mapping(m, pfn)) {
		putback(m, pfn, false);
		decided(m, pfn, from, FD_SWAP_KEEP);
		return FD_SWAP_KEEP;
	}
	return FD_SWAPPED;
}

/* __remove_mapping: once unmapped only the page cache holds the page (the
 * model has no other references to wait for).  The page leaves the cache
 * in the step that frees it, so no step shows a file page outside its
 * file. */
static void remove_mapping(struct machine *m, uint32_t pfn, enum lru_list from)
{
	struct upage *u = page_user(m, pfn);
	decided(m, pfn, from, FD_FREED);
	struct address_space *f = file_at(m, u->mapping);
	struct procs_root *r = procs_root(m);
	uint32_t shadow = workingset_eviction(m, pfn);
	uint32_t *slot = (uint32_t *)procs_ptr(m, f->slots) + u->index;
	jset32(&m->j, slot, shadow);
	jset32(&m->j, &f->nrpages, f->nrpages - 1);
	jset32(&m->j, &r->nr_file_pages, r->nr_file_pages - 1);
	put_page(m, pfn); /* the page cache's reference: back to the buddy */
}

enum folio_decision shrink_folio(struct machine *m, uint32_t pfn, struct scan_control *sc)
{
	enum lru_list from = folio_lru_list(m, pfn);
	lruvec_del_folio(m, pfn); /* isolate_lru_folios */
	enum folio_decision why = FD_FREED;
	enum folioref ref = folio_check_references(m, pfn, &why);
	struct upage *u = page_user(m, pfn);
	if (ref == FOLIOREF_ACTIVATE || ref == FOLIOREF_KEEP) {
		putback(m, pfn, ref == FOLIOREF_ACTIVATE);
		decided(m, pfn, from, why);
		return why;
	}
	if (u->flags & PG_swapbacked)
		return reclaim_anon(m, pfn, from);
	if (u->mapcount)
		try_to_unmap_file(m, pfn);
	u = page_user(m, pfn);
	if (u->flags & PG_dirty) {
		if (ref == FOLIOREF_RECLAIM_CLEAN) {
			putback(m, pfn, false);
			decided(m, pfn, from, FD_KEEP_DIRTY_REFERENCED);
			return FD_KEEP_DIRTY_REFERENCED;
		}
		/* pageout: the write starts; the page waits on the inactive list */
		folio_start_writeback(m, pfn);
		putback(m, pfn, false);
		sc->written[sc->nr_written++] = pfn;
		decided(m, pfn, from, FD_PAGEOUT);
		return FD_PAGEOUT;
	}
	remove_mapping(m, pfn, from);
	return FD_FREED;
}

/* lru_note_cost: what reclaiming this type cost (I/O weighs 32 rotations),
 * halved for both types once it outgrows a quarter of the lists. */
void lru_note_cost(struct machine *m, unsigned node, bool file, uint64_t io, uint64_t rotated)
{
	struct lruvec *l = node_lruvec(m, node);
	uint64_t cost = io * SWAP_CLUSTER_MAX + rotated;
	uint64_t *c = file ? &l->file_cost : &l->anon_cost;
	jset64(&m->j, c, *c + cost);
	uint64_t size = 0;
	for (unsigned i = 0; i < NR_EVICTABLE_LRU; i++)
		size += l->lists[i].nr;
	if (l->file_cost + l->anon_cost > size / 4) {
		jset64(&m->j, &l->file_cost, l->file_cost / 2);
		jset64(&m->j, &l->anon_cost, l->anon_cost / 2);
	}
}

/* pgscan_* (or pgsteal_* once freed) by who reclaims and by type */
static void count_scan(struct machine *m, const struct scan_control *sc, bool file, bool steal)
{
	struct vm_events *e = &vmscan_root(m)->ev;
	uint32_t *who = sc->kswapd ? (steal ? &e->pgsteal_kswapd : &e->pgscan_kswapd)
		      : sc->proactive ? (steal ? &e->pgsteal_proactive : &e->pgscan_proactive)
				      : (steal ? &e->pgsteal_direct : &e->pgscan_direct);
	uint32_t *type = file ? (steal ? &e->pgsteal_file : &e->pgscan_file) : (steal ? &e->pgsteal_anon : &e->pgscan_anon);
	jset32(&m->j, who, *who + 1);
	jset32(&m->j, type, *type + 1);
}

uint64_t shrink_inactive_list(struct machine *m, unsigned node, uint64_t nr_to_scan, enum lru_list lru,
			      struct scan_control *sc)
{
	struct lruvec *l = node_lruvec(m, node);
	bool file = lru == LRU_INACTIVE_FILE;
	uint64_t scanned = 0, reclaimed = 0, pageout = 0;
	if (nr_to_scan > SWAP_CLUSTER_MAX) /* isolate_lru_folios' batch */
		nr_to_scan = SWAP_CLUSTER_MAX;
	sc->nr_written = 0;
	for (; scanned < nr_to_scan && l->lists[lru].tail != PFN_NONE; scanned++) {
		count_scan(m, sc, file, false);
		enum folio_decision d = shrink_folio(m, l->lists[lru].tail, sc);
		if (d == FD_FREED || d == FD_SWAPPED) {
			reclaimed++;
			count_scan(m, sc, file, true);
		}
		pageout += d == FD_PAGEOUT || d == FD_SWAPPED; /* a swap write is I/O too */
	}
	/* the disk finishes this pass's writes */
	for (unsigned i = 0; i < sc->nr_written; i++)
		folio_end_writeback(m, sc->written[i]);
	sc->nr_written = 0;
	sc->nr_scanned += scanned;
	sc->nr_reclaimed += reclaimed;
	if (scanned)
		lru_note_cost(m, node, file, pageout, scanned - reclaimed);
	return reclaimed;
}

enum { SA_DEACTIVATE, SA_KEEP_EXEC };

void shrink_active_list(struct machine *m, unsigned node, uint64_t nr_to_scan, enum lru_list lru,
			struct scan_control *sc)
{
	(void)sc;
	struct lruvec *l = node_lruvec(m, node);
	for (uint64_t i = 0; i < nr_to_scan && l->lists[lru].tail != PFN_NONE; i++) {
		uint32_t pfn = l->lists[lru].tail;
		INC(m, pgrefill);
		lruvec_del_folio(m, pfn);
		unsigned vm_flags;
		unsigned young = folio_referenced(m, pfn, &vm_flags);
		struct upage *u = page_user(m, pfn);
		if (young && (vm_flags & VM_EXEC) && lru == LRU_ACTIVE_FILE) {
			lruvec_add_folio(m, pfn, false);
			workingset_age_nonresident(m, node, 1); /* move_folios_to_lru, active */
			EMIT(m, EV_SHRINK_ACTIVE, pfn, lru, SA_KEEP_EXEC);
			continue;
		}
		/* deactivated: PG_workingset, so a refault after its eviction restores it */
		jset32(&m->j, &u->flags, (u->flags & ~PG_active) | PG_workingset);
		lruvec_add_folio(m, pfn, false);
		INC(m, pgdeactivate);
		EMIT(m, EV_SHRINK_ACTIVE, pfn, lru, SA_DEACTIVATE);
	}
}

static uint64_t shrink_list(struct machine *m, unsigned node, enum lru_list lru, uint64_t nr_to_scan,
			    struct scan_control *sc)
{
	if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE) {
		unsigned want = lru == LRU_ACTIVE_FILE ? DEACTIVATE_FILE : DEACTIVATE_ANON;
		if (sc->may_deactivate & want)
			shrink_active_list(m, node, nr_to_scan, lru, sc);
		return 0;
	}
	return shrink_inactive_list(m, node, nr_to_scan, lru, sc);
}

static void shrink_lruvec(struct machine *m, unsigned node, struct scan_control *sc)
{
	uint64_t nr[NR_EVICTABLE_LRU];
	enum scan_balance b = get_scan_count(m, node, sc, nr);
	if (nr[0] || nr[1] || nr[2] || nr[3])
		EMIT(m, EV_SCAN_COUNT, node, sc->priority, b, (int64_t)nr[0], (int64_t)nr[1], (int64_t)nr[2],
		     (int64_t)nr[3]);
	uint64_t reclaimed = 0;
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		for (unsigned lru = 0; lru < NR_EVICTABLE_LRU; lru++) {
			if (!nr[lru])
				continue;
			uint64_t n = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] : SWAP_CLUSTER_MAX;
			nr[lru] -= n;
			reclaimed += shrink_list(m, node, lru, n, sc);
		}
		if (reclaimed >= sc->nr_to_reclaim)
			break;
	}
	/* keep the anon lists balanced even when only file was reclaimed */
	if (sc->can_swap && inactive_is_low(m, node, LRU_INACTIVE_ANON))
		shrink_active_list(m, node, SWAP_CLUSTER_MAX, LRU_ACTIVE_ANON, sc);
}

void shrink_node(struct machine *m, unsigned node, struct scan_control *sc)
{
	uint64_t scanned = sc->nr_scanned, reclaimed = sc->nr_reclaimed;
	sc->can_swap = can_reclaim_anon_pages(m);
	sc->swappiness = vmscan_root(m)->swappiness;
	prepare_scan_control(m, node, sc);
	shrink_lruvec(m, node, sc);
	if (sc->nr_reclaimed > reclaimed)
		jset32(&m->j, &node_lruvec(m, node)->kswapd_failures, 0);
	if (sc->nr_scanned > scanned) /* a pass that found nothing changes nothing */
		EMIT(m, EV_SHRINK_NODE, node, sc->priority, (int64_t)(sc->nr_scanned - scanned),
		     (int64_t)(sc->nr_reclaimed - reclaimed), sc->kswapd ? 1 : sc->proactive ? 2 : 0);
}

int memory_reclaim(struct machine *m, uint64_t pages, uint64_t *reclaimed)
{
	if (!pages)
		return mm_error(m, "reclaim: the number of pages must be at least 1");
	if (pages > UINT32_MAX)
		return mm_error(m, "reclaim: %llu pages is more than the machine has", (unsigned long long)pages);
	*reclaimed = 0;
	unsigned retries = MAX_RECLAIM_RETRIES;
	mm_op_begin(m);
	EMIT(m, EV_MEMORY_RECLAIM, (int64_t)pages);
	/* memory_reclaim: batches of a quarter of what is left, at least
	 * SWAP_CLUSTER_MAX, each a full priority descent */
	while (*reclaimed < pages) {
		uint64_t batch = (pages - *reclaimed) / 4;
		struct scan_control sc = {.nr_to_reclaim = batch > SWAP_CLUSTER_MAX ? batch : SWAP_CLUSTER_MAX,
					  .gfp = GFP_KERNEL, .proactive = true};
		for (sc.priority = DEF_PRIORITY; sc.priority >= 0 && sc.nr_reclaimed < sc.nr_to_reclaim; sc.priority--)
			for (unsigned n = 0; n < m->nr_nodes; n++)
				shrink_node(m, n, &sc);
		if (!sc.nr_reclaimed && !retries--)
			break;
		*reclaimed += sc.nr_reclaimed;
	}
	mm_op_end(m);
	if (*reclaimed < pages) {
		snprintf(m->reason, sizeof m->reason,
			 "memory.reclaim: only %llu of %llu pages could be reclaimed (EAGAIN)",
			 (unsigned long long)*reclaimed, (unsigned long long)pages);
		return MM_NOMEM;
	}
	return MM_OK;
}
