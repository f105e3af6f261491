/*
 * Swap areas and their slots (mm/swapfile.c, Linux 6.18):
 * - swapon (SYSCALL_DEFINE2(swapon), setup_swap_info, setup_clusters,
 *   enable_swap_info): the lowest free type; slot 0 holds the header and is
 *   never handed out; the slots are grouped in clusters of
 *   SWAPFILE_CLUSTER; clusters already holding bad slots start on the
 *   nonfull list, the others on the free list; a priority not given is the
 *   next below the last default one (least_priority: -2, -3, …);
 * - slot allocation (folio_alloc_swap: swap_alloc_fast, swap_alloc_slow,
 *   cluster_alloc_swap_entry, alloc_swap_scan_cluster): the CPU's cached
 *   cluster first, from its next slot; else the areas by priority, equal
 *   priorities in turn (plist_requeue), each trying its nonfull clusters,
 *   then its free ones; a cluster whose last slot goes moves to the full
 *   list, one that frees a slot back to nonfull, an empty one to free;
 * - swap counts (swap_duplicate, swap_free, free_swap_and_cache): one per
 *   swap PTE plus SWAP_HAS_CACHE; the slot is freed when both are gone, and
 *   a page left only in the swap cache is dropped from it (TTRS_ANYWAY);
 * - swapoff (try_to_unuse, unuse_mm, unuse_pte): the area stops taking
 *   slots, every swap PTE of it is brought back in (read if not cached) and
 *   mapped, the pages left in the cache are dropped; out of memory, the
 *   area is re-enabled (reinsert_swap_info) with what came back kept; the
 *   default priorities below it move up (least_priority++);
 * - swap_map_pte: the half of do_swap_page (mm/memory.c) that maps the page
 *   back, shared with unuse_pte: should_try_to_free_swap decided first, the
 *   exclusive bit or the only reference makes the page writable, a page new
 *   to the rmap gets the VMA's anon_vma if exclusive, else its root;
 * - /proc/swaps (swap_show) by type, padding the path to 40 columns.
 * Simplifications: one CPU, every area treated as a solid-state device (no
 * global cluster of rotating disks), order-0 slots only (no large-folio
 * clusters, so no frag lists), no discard, no readahead, no swap
 * continuation pages (counts are 32-bit cells).
 */
#include "swap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"
#include "procs.h"
#include "vmscan.h"
#include "xalloc.h"

const char *const cluster_list_names[NR_CLUSTER_LISTS] = {"free", "nonfull", "full"};

static uint32_t swap_alloc_arena(struct machine *m, uint32_t bytes)
{
	return arena_alloc(m, &m->swap->arena, (bytes + 7) & ~7u);
}

void swap_init(struct machine *m)
{
	m->swap = xcalloc(1, sizeof *m->swap);
	arena_init(m, &m->swap->arena);
	m->swap->root = swap_alloc_arena(m, sizeof(struct swap_root));
	swap_root(m)->least_priority = -1;
}

void swap_free_subsys(struct machine *m)
{
	free(m->swap);
	m->swap = NULL;
}

struct swap_info *swap_info_by_type(const struct machine *m, unsigned type)
{
	if (!m->swap || type >= MAX_SWAPFILES || !swap_root(m)->info[type])
		return NULL;
	struct swap_info *si = swap_ptr(m, swap_root(m)->info[type]);
	return si->flags & SWP_USED ? si : NULL;
}

static struct swap_cluster *cluster_at(const struct machine *m, const struct swap_info *si, uint32_t idx)
{
	return swap_ptr(m, ((const uint32_t *)swap_ptr(m, si->clusters))[idx]);
}

struct swap_cluster *swap_cluster_of(const struct machine *m, const struct swap_info *si, uint64_t offset)
{
	return cluster_at(m, si, (uint32_t)(offset / SWAPFILE_CLUSTER));
}

bool vm_swap_full(const struct machine *m)
{
	const struct swap_root *r = swap_root(m);
	return (uint64_t)r->nr_swap_pages * 2 < r->total_swap_pages;
}

/* ---- cluster lists (list_del, list_add_tail, move_cluster) ---- */

static void list_del(struct machine *m, struct swap_info *si, uint32_t idx)
{
	struct swap_cluster *c = cluster_at(m, si, idx);
	if (c->prev)
		jset32(&m->j, &cluster_at(m, si, c->prev - 1)->next, c->next);
	else
		jset32(&m->j, &si->head[c->list], c->next);
	if (c->next)
		jset32(&m->j, &cluster_at(m, si, c->next - 1)->prev, c->prev);
	else
		jset32(&m->j, &si->tail[c->list], c->prev);
}

static void list_add_tail(struct machine *m, struct swap_info *si, uint32_t idx, unsigned list)
{
	struct swap_cluster *c = cluster_at(m, si, idx);
	jset32(&m->j, &c->list, list);
	jset32(&m->j, &c->prev, si->tail[list]);
	jset32(&m->j, &c->next, 0);
	if (si->tail[list])
		jset32(&m->j, &cluster_at(m, si, si->tail[list] - 1)->next, idx + 1);
	else
		jset32(&m->j, &si->head[list], idx + 1);
	jset32(&m->j, &si->tail[list], idx + 1);
}

/* The cluster's count changed: put it on the list its count calls for
 * (writes only: the caller's step shows the change, swap_cluster_moved
 * then names the move). */
static void relocate_cluster(struct machine *m, struct swap_info *si, uint32_t idx, struct cluster_move *mv)
{
	struct swap_cluster *c = cluster_at(m, si, idx);
	unsigned want = !c->count ? CLUSTER_FREE : c->count == SWAPFILE_CLUSTER ? CLUSTER_FULL : CLUSTER_NONFULL;
	*mv = (struct cluster_move){.type = si->type, .idx = idx, .from = c->list, .to = want, .count = c->count};
	if (want == c->list)
		return;
	mv->moved = true;
	list_del(m, si, idx);
	list_add_tail(m, si, idx, want);
}

void swap_cluster_moved(struct machine *m, const struct cluster_move *mv)
{
	if (mv->moved)
		EMIT(m, EV_SWAP_CLUSTER, mv->type, mv->idx, mv->from, mv->to, mv->count);
}

/* ---- swapon ---- */

static void setup_clusters(struct machine *m, struct swap_info *si)
{
	for (unsigned l = 0; l < NR_CLUSTER_LISTS; l++) {
		jset32(&m->j, &si->head[l], 0);
		jset32(&m->j, &si->tail[l], 0);
	}
	for (uint32_t i = 0; i < si->nr_clusters; i++) {
		struct swap_cluster *c = cluster_at(m, si, i);
		uint32_t bad = 0;
		for (uint32_t s = 0; s < SWAPFILE_CLUSTER; s++) {
			uint64_t off = (uint64_t)i * SWAPFILE_CLUSTER + s;
			bool is_bad = off == 0 || off >= si->max;
			jset32(&m->j, &c->map[s], is_bad ? SWAP_MAP_BAD : 0);
			bad += is_bad;
		}
		jset32(&m->j, &c->count, bad);
		list_add_tail(m, si, i, bad ? CLUSTER_NONFULL : CLUSTER_FREE);
	}
}

/* The area's record and clusters, reusing those of a type swapped off
 * before when they are large enough (the arena never frees). */
static struct swap_info *alloc_swap_info(struct machine *m, unsigned type, uint32_t nr_clusters)
{
	struct swap_root *r = swap_root(m);
	if (!r->info[type])
		jset32(&m->j, &r->info[type], swap_alloc_arena(m, sizeof(struct swap_info)));
	struct swap_info *si = swap_ptr(m, r->info[type]);
	if (si->cap_clusters < nr_clusters) {
		uint32_t idx = swap_alloc_arena(m, nr_clusters * 4);
		uint32_t *v = swap_ptr(m, idx);
		for (uint32_t i = 0; i < nr_clusters; i++)
			jset32(&m->j, &v[i], swap_alloc_arena(m, sizeof(struct swap_cluster)));
		jset32(&m->j, &si->clusters, idx);
		jset32(&m->j, &si->cap_clusters, nr_clusters);
	}
	jset32(&m->j, &si->nr_clusters, nr_clusters);
	return si;
}

#define SWAP_MAX_SLOTS (1u << 26)

int do_swapon(struct machine *m, uint64_t size, int prio, bool prio_given, const char *name, unsigned *type)
{
	struct swap_root *r = swap_root(m);
	uint64_t slots = size >> m->page_shift;
	if (slots < 2)
		return mm_error(m, "swapon: size %llu bytes is %llu page(s): an area needs its header page and at "
				   "least one slot",
				(unsigned long long)size, (unsigned long long)slots);
	if (slots > SWAP_MAX_SLOTS)
		return mm_error(m, "swapon: size %llu bytes is more than the %u slots the model allows per area",
				(unsigned long long)size, SWAP_MAX_SLOTS);
	if (prio_given && (prio < 0 || prio > 32767))
		return mm_error(m, "swapon: priority %d is outside 0..32767 (SWAP_FLAG_PRIO_MASK)", prio);
	char path[32];
	if (name && (!*name || strlen(name) >= sizeof path || strpbrk(name, " \t\n\\")))
		return mm_error(m, "swapon: the name must be 1 to %zu characters with no blank or backslash",
				sizeof path - 1);
	unsigned t = 0;
	while (t < MAX_SWAPFILES && swap_info_by_type(m, t))
		t++;
	if (t == MAX_SWAPFILES)
		return mm_error(m, "swapon: all %d swap types are in use (MAX_SWAPFILES): swapoff one first",
				MAX_SWAPFILES);
	for (unsigned i = 0; name && i < MAX_SWAPFILES; i++) {
		const struct swap_info *o = swap_info_by_type(m, i);
		if (o && strcmp((const char *)o->name, name) == 0)
			return mm_error(m, "swapon: %s is already a swap area (type %u)", name, i);
	}
	if (name)
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, t ? "/swapfile%u" : "/swapfile", t);
	mm_op_begin(m);
	uint32_t nr_clusters = (uint32_t)((slots + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER);
	struct swap_info *si = alloc_swap_info(m, t, nr_clusters);
	jset32(&m->j, &si->type, t);
	jset32(&m->j, &si->max, (uint32_t)slots);
	jset32(&m->j, &si->pages, (uint32_t)slots - 1);
	jset32(&m->j, &si->inuse_pages, 0);
	jset32(&m->j, &si->born, mm_next_step(m));
	for (unsigned i = 0; i < 8; i++) {
		uint32_t w;
		memcpy(&w, path + 4 * i, 4);
		jset32(&m->j, &si->name[i], w);
	}
	if (!prio_given) {
		jset32(&m->j, (uint32_t *)&r->least_priority, (uint32_t)(r->least_priority - 1));
		prio = r->least_priority;
	}
	jset32(&m->j, (uint32_t *)&si->prio, (uint32_t)prio);
	setup_clusters(m, si);
	jset32(&m->j, &r->clock, r->clock + 1);
	jset32(&m->j, &si->requeue, r->clock);
	jset32(&m->j, &si->flags, SWP_USED | SWP_WRITEOK);
	if (t >= r->nr_swapfiles)
		jset32(&m->j, &r->nr_swapfiles, t + 1);
	jset32(&m->j, &r->total_swap_pages, r->total_swap_pages + si->pages);
	jset32(&m->j, &r->nr_swap_pages, r->nr_swap_pages + si->pages);
	EMIT(m, EV_SWAPON, t, si->pages, prio, nr_clusters);
	mm_op_end(m);
	*type = t;
	return MM_OK;
}

uint32_t swap_count_at(const struct machine *m, uint64_t entry)
{
	const struct swap_info *si = swap_info_by_type(m, swp_type(entry));
	uint64_t off = swp_offset(entry);
	if (!si || off >= si->max)
		return 0;
	return swap_cluster_of(m, si, off)->map[off % SWAPFILE_CLUSTER];
}

/* ---- allocation ---- */

enum { ALLOC_PCP, ALLOC_NONFULL, ALLOC_FREE };

/* alloc_swap_scan_cluster: the first free slot from `from` to the
 * cluster's end, taken with SWAP_HAS_CACHE; 0 if none. */
static uint64_t scan_cluster(struct machine *m, struct swap_info *si, uint32_t idx, uint32_t from, int how)
{
	struct swap_cluster *c = cluster_at(m, si, idx);
	for (uint32_t s = from; s < SWAPFILE_CLUSTER; s++) {
		if (c->map[s])
			continue;
		struct swap_root *r = swap_root(m);
		uint64_t off = (uint64_t)idx * SWAPFILE_CLUSTER + s;
		jset32(&m->j, &c->map[s], SWAP_HAS_CACHE);
		jset32(&m->j, &c->count, c->count + 1);
		jset32(&m->j, &si->inuse_pages, si->inuse_pages + 1);
		jset32(&m->j, &r->nr_swap_pages, r->nr_swap_pages - 1);
		bool more = s + 1 < SWAPFILE_CLUSTER;
		jset32(&m->j, &r->pcp_si, more ? si->type + 1 : 0);
		jset32(&m->j, &r->pcp_offset, more ? (uint32_t)off + 1 : 0);
		struct swap_alloc_info *a = &m->swap->last_alloc;
		relocate_cluster(m, si, idx, &a->mv);
		a->type = si->type;
		a->offset = off;
		a->how = how;
		a->count = c->count;
		return off;
	}
	return 0;
}

static uint64_t cluster_alloc_swap_entry(struct machine *m, struct swap_info *si)
{
	uint64_t off;
	if (si->head[CLUSTER_NONFULL] && (off = scan_cluster(m, si, si->head[CLUSTER_NONFULL] - 1, 0, ALLOC_NONFULL)))
		return off;
	if (si->head[CLUSTER_FREE] && (off = scan_cluster(m, si, si->head[CLUSTER_FREE] - 1, 0, ALLOC_FREE)))
		return off;
	return 0;
}

static bool usable(const struct swap_info *si)
{
	return si && (si->flags & SWP_WRITEOK) && si->inuse_pages < si->pages;
}

/* The next area to try: the highest priority, the least recently
 * requeued among equals (the plist of swap_avail_heads). */
static struct swap_info *next_avail(const struct machine *m, const bool *tried)
{
	struct swap_info *best = NULL;
	for (unsigned t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info *si = swap_info_by_type(m, t);
		if (!usable(si) || tried[t])
			continue;
		if (!best || si->prio > best->prio || (si->prio == best->prio && si->requeue < best->requeue))
			best = si;
	}
	return best;
}

uint64_t folio_alloc_swap(struct machine *m)
{
	struct swap_root *r = swap_root(m);
	if (!r->nr_swap_pages)
		return 0;
	/* swap_alloc_fast: the cluster this CPU took its last slot from */
	struct swap_info *si = r->pcp_si ? swap_info_by_type(m, r->pcp_si - 1) : NULL;
	if (usable(si)) {
		uint32_t idx = r->pcp_offset / SWAPFILE_CLUSTER;
		if (cluster_at(m, si, idx)->list != CLUSTER_FREE) {
			uint64_t off = scan_cluster(m, si, idx, r->pcp_offset % SWAPFILE_CLUSTER, ALLOC_PCP);
			if (off)
				return swp_entry(si->type, off);
		}
	}
	bool tried[MAX_SWAPFILES] = {false};
	while ((si = next_avail(m, tried))) {
		tried[si->type] = true;
		jset32(&m->j, &r->clock, r->clock + 1);
		jset32(&m->j, &si->requeue, r->clock); /* plist_requeue */
		uint64_t off = cluster_alloc_swap_entry(m, si);
		if (off)
			return swp_entry(si->type, off);
	}
	return 0;
}

void swap_alloc_emit(struct machine *m)
{
	const struct swap_alloc_info *a = &m->swap->last_alloc;
	EMIT(m, EV_SWAP_ALLOC, a->type, (int64_t)a->offset, a->mv.idx, a->how, a->count);
	swap_cluster_moved(m, &a->mv);
}

/* ---- counts ---- */

static uint32_t *map_cell(const struct machine *m, uint64_t entry)
{
	struct swap_info *si = swap_info_by_type(m, swp_type(entry));
	uint64_t off = swp_offset(entry);
	return &swap_cluster_of(m, si, off)->map[off % SWAPFILE_CLUSTER];
}

/* swap_entries_free: the slot's count and cache bit are both gone
 * (writes only; the caller's event shows it). */
static void release_slot(struct machine *m, uint64_t entry, struct cluster_move *mv)
{
	struct swap_root *r = swap_root(m);
	struct swap_info *si = swap_info_by_type(m, swp_type(entry));
	uint64_t off = swp_offset(entry);
	uint32_t idx = (uint32_t)(off / SWAPFILE_CLUSTER);
	struct swap_cluster *c = cluster_at(m, si, idx);
	jset64(&m->j, &c->disk[off % SWAPFILE_CLUSTER], 0);
	if (c->table[off % SWAPFILE_CLUSTER]) /* a shadow entry goes with its slot */
		jset32(&m->j, &c->table[off % SWAPFILE_CLUSTER], 0);
	jset32(&m->j, &c->count, c->count - 1);
	jset32(&m->j, &si->inuse_pages, si->inuse_pages - 1);
	if (si->flags & SWP_WRITEOK)
		jset32(&m->j, &r->nr_swap_pages, r->nr_swap_pages + 1);
	relocate_cluster(m, si, idx, mv);
}

void swap_duplicate(struct machine *m, uint64_t entry)
{
	uint32_t *cell = map_cell(m, entry);
	jset32(&m->j, cell, *cell + 1);
}

void swap_set_cache(struct machine *m, uint64_t entry)
{
	uint32_t *cell = map_cell(m, entry);
	jset32(&m->j, cell, *cell | SWAP_HAS_CACHE);
}

bool swap_clear_cache(struct machine *m, uint64_t entry, struct cluster_move *mv)
{
	uint32_t *cell = map_cell(m, entry);
	jset32(&m->j, cell, *cell & ~SWAP_HAS_CACHE);
	*mv = (struct cluster_move){0};
	if (*cell)
		return false;
	release_slot(m, entry, mv);
	return true;
}

void swap_free_entry(struct machine *m, uint64_t entry)
{
	uint32_t *cell = map_cell(m, entry);
	jset32(&m->j, cell, *cell - 1);
	if (*cell) {
		EMIT(m, EV_SWAP_PUT, swp_type(entry), (int64_t)swp_offset(entry), *cell & SWAP_COUNT_MASK,
		     (*cell & SWAP_HAS_CACHE) != 0);
		return;
	}
	struct cluster_move mv;
	release_slot(m, entry, &mv);
	EMIT(m, EV_SWAP_SLOT_FREE, swp_type(entry), (int64_t)swp_offset(entry), mv.idx, mv.count);
	swap_cluster_moved(m, &mv);
}

void free_swap_and_cache(struct machine *m, uint64_t entry)
{
	swap_free_entry(m, entry);
	/* only the cache holds it now: drop the cached page's swap copy
	 * (__try_to_reclaim_swap with TTRS_ANYWAY) */
	uint32_t pfn = swap_count_at(m, entry) == SWAP_HAS_CACHE ? swap_cache_lookup(m, entry) : PFN_NONE;
	if (pfn != PFN_NONE)
		folio_free_swap(m, pfn);
}

/* ---- unuse_pte, and do_swap_page's second half ---- */

/* Map the page that came back for the swap PTE at va (the second half of
 * do_swap_page, and unuse_pte); true if mapped writable. */
bool swap_map_pte(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, uint64_t pte, uint32_t pfn,
		  bool write)
{
	struct mm_struct *mm = task_mm(m, pid);
	const struct vma *x = vma_at(m, v);
	struct upage *u = page_user(m, pfn);
	uint64_t entry = pte_to_swp_entry(m, pte);
	/* should_try_to_free_swap, decided before the counts move: the slot
	 * goes if this PTE is its last user and swap is filling up or a write
	 * will own the page (the cache's reference and ours only) */
	bool drop = (swap_count_at(m, entry) & SWAP_COUNT_MASK) == 1 &&
		    (vm_swap_full(m) || (write && u->refcount == 1));
	bool exclusive = pte_swp_exclusive(m, pte) || (drop && u->refcount == 1);
	bool writable = exclusive && (x->flags & VM_WRITE);
	jset32(&m->j, &u->refcount, u->refcount + 1); /* the mapping's */
	if (!u->mapping) { /* folio_add_new_anon_rmap */
		const struct anon_vma *av = procs_ptr(m, x->anon_vma);
		jset32(&m->j, &u->mapping, exclusive ? x->anon_vma : av->root);
		jset64(&m->j, &u->index, linear_page_index(m, x, va));
	}
	if (exclusive)
		jset32(&m->j, &u->flags, u->flags | PG_anon_exclusive);
	rmap_add(m, pid, pfn);
	uint64_t old = pt_set_pte_raw(m, mm->asid, va, pt_make_pte(m, pfn, vma_pte_prot(m, x->flags, writable)));
	jset32(&m->j, &mm->swapents, mm->swapents - 1);
	swap_free_entry(m, entry); /* swap_free_nr: this PTE's count */
	EMIT(m, EV_SWAP_MAP, pid, (int64_t)va, pfn, u->mapcount, u->refcount, writable);
	if (drop)
		folio_free_swap(m, pfn);
	pt_pte_done(m, mm->asid, va, old);
	return writable;
}

struct unuse_ctx {
	unsigned type;
	struct vas *vs;
};

static void collect_type(struct machine *m, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	struct unuse_ctx *c = arg;
	if (swp_type(pte_to_swp_entry(m, *pte)) == c->type)
		vas_collect(m, c->vs, va, pte, table);
}

int unuse_mm(struct machine *m, uint32_t pid, unsigned type)
{
	struct mm_struct *mm = task_mm(m, pid);
	struct vas vs = {0};
	struct unuse_ctx c = {type, &vs};
	walk_swap_ptes(m, mm->asid, 0, mm->task_size, collect_type, &c);
	int rc = MM_OK;
	for (size_t i = 0; i < vs.n && rc == MM_OK; i++) {
		uint64_t pte = *pte_lookup(m, mm->asid, vs.va[i], NULL);
		uint32_t pfn;
		bool major;
		rc = swapin_folio(m, pte_to_swp_entry(m, pte), &pfn, &major);
		if (rc == MM_OK)
			swap_map_pte(m, pid, find_vma(m, mm, vs.va[i]), vs.va[i], pte, pfn, false);
	}
	free(vs.va);
	return rc;
}

/* ---- swapoff ---- */

static int try_to_unuse(struct machine *m, unsigned type)
{
	const struct procs_root *pr = procs_root(m);
	for (uint32_t pid = 1; pid <= pr->tasks.n; pid++) {
		if (!task_mm(m, pid))
			continue;
		int rc = unuse_mm(m, pid, type);
		if (rc != MM_OK)
			return rc;
	}
	struct swap_info *si = swap_info_by_type(m, type);
	for (uint32_t i = 0; i < si->nr_clusters && si->inuse_pages; i++)
		for (uint32_t s = 0; s < SWAPFILE_CLUSTER; s++) {
			uint32_t pfn = swap_cache_lookup(m, swp_entry(type, (uint64_t)i * SWAPFILE_CLUSTER + s));
			if (pfn != PFN_NONE)
				folio_free_swap(m, pfn);
		}
	return MM_OK;
}

int do_swapoff(struct machine *m, unsigned type)
{
	struct swap_info *si = swap_info_by_type(m, type);
	if (!si)
		return mm_error(m, "swapoff: there is no swap area of type %u", type);
	struct swap_root *r = swap_root(m);
	mm_op_begin(m);
	uint32_t in_use = si->inuse_pages;
	/* del_from_avail_list: no more slots from here */
	jset32(&m->j, &si->flags, SWP_USED);
	jset32(&m->j, &r->nr_swap_pages, r->nr_swap_pages - (si->pages - si->inuse_pages));
	jset32(&m->j, &r->total_swap_pages, r->total_swap_pages - si->pages);
	if (r->pcp_si == type + 1) {
		jset32(&m->j, &r->pcp_si, 0);
		jset32(&m->j, &r->pcp_offset, 0);
	}
	EMIT(m, EV_SWAPOFF_BEGIN, type, in_use);
	int rc = try_to_unuse(m, type);
	if (rc != MM_OK) {
		/* reinsert_swap_info: the area takes slots again */
		jset32(&m->j, &si->flags, SWP_USED | SWP_WRITEOK);
		jset32(&m->j, &r->nr_swap_pages, r->nr_swap_pages + (si->pages - si->inuse_pages));
		jset32(&m->j, &r->total_swap_pages, r->total_swap_pages + si->pages);
		EMIT(m, EV_SWAPOFF_FAIL, type, si->inuse_pages);
		mm_op_end(m);
		return rc;
	}
	if (si->prio < 0) {
		for (unsigned t = 0; t < MAX_SWAPFILES; t++) {
			struct swap_info *o = swap_info_by_type(m, t);
			if (o && o != si && o->prio < si->prio)
				jset32(&m->j, (uint32_t *)&o->prio, (uint32_t)(o->prio + 1));
		}
		jset32(&m->j, (uint32_t *)&r->least_priority, (uint32_t)(r->least_priority + 1));
	}
	jset32(&m->j, &si->flags, 0);
	EMIT(m, EV_SWAPOFF, type, si->pages, in_use);
	mm_op_end(m);
	return MM_OK;
}

/* ---- /proc/swaps ---- */

void proc_swaps(const struct machine *m, struct strbuf *out)
{
	strbuf_printf(out, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (unsigned t = 0; t < MAX_SWAPFILES; t++) {
		const struct swap_info *si = swap_info_by_type(m, t);
		if (!si)
			continue;
		const char *path = (const char *)si->name;
		int len = (int)strlen(path);
		unsigned long long bytes = ((uint64_t)si->pages << m->page_shift) >> 10;
		unsigned long long inuse = ((uint64_t)si->inuse_pages << m->page_shift) >> 10;
		strbuf_printf(out, "%s%*s%s\t%llu\t%s%llu\t%s%d\n", path, len < 40 ? 40 - len : 1, " ", "file\t", bytes,
			      bytes < 10000000 ? "\t" : "", inuse, inuse < 10000000 ? "\t" : "", si->prio);
	}
}
