/*
 * Swap: swap areas and their slots (swapfile.c), the swap cache
 * (swap_state.c), the "disk" I/O (page_io.c), swap entries in PTEs as each
 * arch encodes them (swapops.c), MADV_PAGEOUT (madvise.c) and the checker
 * (swap_check.c).  The reverse-map step try_to_unmap is in rmap.c, the
 * swap-in fault do_swap_page in memory.c.
 *
 * Reclaim (vmscan.c's shrink_folio_list) swaps an anonymous page out with
 * the pieces below, in this order, each one step or more of its own:
 *   add_to_swap(m, pfn)          a slot, and the page joins the swap cache
 *   try_to_unmap(m, pfn)         every PTE mapping it becomes a swap entry
 *   swap_writepage(m, pfn)       the page's contents go to its slot
 *   swap_remove_mapping(m, pfn)  unmapped and clean: out of the swap cache,
 *                                the frame back to the buddy
 * swap_out_folio runs the four in order (what MADV_PAGEOUT does here).
 *
 * State lives in one journaled arena.  A slot's count (swap_map) is the
 * number of swap PTEs naming it, plus SWAP_HAS_CACHE while the swap cache
 * holds a page for it; the header slot 0 and the slots past the end of the
 * last cluster are SWAP_MAP_BAD.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"
#include "strbuf.h"

/* include/linux/swap.h: 32 types less those other swap-like entries take
 * (migration 3, device-private 2, hwpoison 1, PTE markers 1), as a kernel
 * built with all of them has. */
#define MAX_SWAPFILES_SHIFT 5
#define MAX_SWAPFILES 25
#define SWAPFILE_CLUSTER 256 /* slots per cluster without CONFIG_THP_SWAP */
#define SWP_TYPE_SHIFT 58    /* swp_entry_t: type above the offset (64-bit) */

/* swap_map cells.  The kernel keeps 8 bits (count up to SWAP_MAP_MAX 0x3e,
 * continuation pages above) with SWAP_HAS_CACHE 0x40; here 32 bits. */
#define SWAP_MAP_BAD 0xffffu
#define SWAP_COUNT_MASK 0xffffu
#define SWAP_HAS_CACHE 0x10000u

enum { CLUSTER_FREE, CLUSTER_NONFULL, CLUSTER_FULL, NR_CLUSTER_LISTS };
extern const char *const cluster_list_names[NR_CLUSTER_LISTS];

/* swap_info_struct flags */
enum { SWP_USED = 1, SWP_WRITEOK = 2 };

/* A cluster of slots (swap_cluster_info) with its slots' counts, the swap
 * cache's pages (the 6.18 swap table: pfn + 1, a shadow entry with
 * SHADOW_TAG for a slot in use whose page was reclaimed, 0 = none) and the data the
 * "disk" holds for each slot. */
struct swap_cluster {
	uint32_t count; /* slots in use (bad ones included) */
	uint32_t list;  /* CLUSTER_* list it is on */
	uint32_t prev, next; /* cluster indices + 1 on that list, 0 at the ends */
	uint32_t map[SWAPFILE_CLUSTER];
	uint32_t table[SWAPFILE_CLUSTER];
	uint64_t disk[SWAPFILE_CLUSTER];
};

struct swap_info {
	uint32_t flags;  /* SWP_* */
	int32_t prio;
	uint32_t type;
	uint32_t pages;       /* usable slots */
	uint32_t max;         /* slots including the header */
	uint32_t inuse_pages; /* slots with a count or cached */
	uint32_t nr_clusters, cap_clusters;
	uint32_t clusters;    /* arena offset of nr uint32 cluster offsets */
	uint32_t head[NR_CLUSTER_LISTS], tail[NR_CLUSTER_LISTS];
	uint32_t requeue;     /* plist_requeue stamp: lower goes first among equals */
	uint32_t born;
	uint32_t name[8];     /* the path /proc/swaps shows */
};

struct swap_root {
	uint32_t nr_swapfiles; /* types ever used */
	uint32_t info[MAX_SWAPFILES];
	int32_t least_priority;
	uint32_t total_swap_pages, nr_swap_pages; /* usable, free */
	uint32_t nr_swapcache;                    /* pages in the swap cache */
	uint32_t pswpin, pswpout, oom_kill;
	uint32_t clock; /* requeue stamps */
	/* the one CPU's percpu_swap_cluster for order 0: type + 1, next slot */
	uint32_t pcp_si, pcp_offset;
};

/* A cluster that changed list with a slot's allocation or release. */
struct cluster_move {
	bool moved;
	unsigned type, from, to;
	uint32_t idx, count;
};

/* What folio_alloc_swap took, for the event its caller emits once the
 * slot's page is in the swap cache (host scratch, not machine state). */
struct swap_alloc_info {
	unsigned type, how;
	uint64_t offset;
	uint32_t count;
	struct cluster_move mv;
};

struct swap {
	struct arena arena;
	uint32_t root;
	struct swap_alloc_info last_alloc;
};

void swap_init(struct machine *m);
void swap_free_subsys(struct machine *m);
int check_swap(const struct machine *m, char *why, size_t whylen);
void proc_swaps(const struct machine *m, struct strbuf *out);

static inline struct swap_root *swap_root(const struct machine *m)
{
	return arena_ptr(&m->swap->arena, m->swap->root);
}
static inline void *swap_ptr(const struct machine *m, uint32_t off) { return arena_ptr(&m->swap->arena, off); }

/* swp_entry_t */
static inline uint64_t swp_entry(unsigned type, uint64_t offset)
{
	return (uint64_t)type << SWP_TYPE_SHIFT | offset;
}
static inline unsigned swp_type(uint64_t e) { return (unsigned)(e >> SWP_TYPE_SHIFT); }
static inline uint64_t swp_offset(uint64_t e) { return e & ((1ull << SWP_TYPE_SHIFT) - 1); }

/* swapops.c: swap PTEs as the arch lays them out (__swp_entry_to_pte). */
uint64_t swp_entry_to_pte(const struct machine *m, uint64_t entry, bool exclusive);
uint64_t pte_to_swp_entry(const struct machine *m, uint64_t pte);
bool pte_swp_exclusive(const struct machine *m, uint64_t pte);
/* A PTE that is neither none nor present: a swap entry. */
bool is_swap_pte(const struct machine *m, uint64_t pte);
/* "swap type 0 offset 0x5 exclusive" */
const char *swap_pte_text(const struct machine *m, uint64_t pte, char *buf, size_t n);

/* swapfile.c */
struct swap_info *swap_info_by_type(const struct machine *m, unsigned type); /* NULL if not swapped on */
/* swapon: size in bytes, prio < 0 for the next default one (-2, -3, …);
 * *type is the area's type.  MM_EINVAL on bad input. */
int do_swapon(struct machine *m, uint64_t size, int prio, bool prio_given, const char *name, unsigned *type);
/* swapoff: every page brought back first (try_to_unuse); MM_NOMEM if memory ran out. */
int do_swapoff(struct machine *m, unsigned type);
/* The slot's cell: count | SWAP_HAS_CACHE, SWAP_MAP_BAD. */
uint32_t swap_count_at(const struct machine *m, uint64_t entry);
/* One slot for a page (folio_alloc_swap), taken with SWAP_HAS_CACHE; 0
 * when swap is full or off.  Writes only: once the page is in the cache,
 * swap_alloc_emit shows the allocation (the two make one consistent state). */
uint64_t folio_alloc_swap(struct machine *m);
void swap_alloc_emit(struct machine *m);
/* One more swap PTE names entry (swap_duplicate). */
void swap_duplicate(struct machine *m, uint64_t entry);
/* A swap PTE naming entry went (swap_free): the slot is freed when no
 * PTE and no cache hold it. */
void swap_free_entry(struct machine *m, uint64_t entry);
/* The same for a zapped PTE (free_swap_and_cache): a page left only in
 * the swap cache is dropped from it too. */
void free_swap_and_cache(struct machine *m, uint64_t entry);
/* The slot's cache bit: set when a page is to be read in (swapcache_prepare);
 * cleared when it leaves the cache, releasing the slot if no PTE names it
 * (true then; writes only: the caller's step shows it, then
 * swap_cluster_moved names the cluster's move, if any). */
void swap_set_cache(struct machine *m, uint64_t entry);
bool swap_clear_cache(struct machine *m, uint64_t entry, struct cluster_move *mv);
void swap_cluster_moved(struct machine *m, const struct cluster_move *mv);
struct swap_cluster *swap_cluster_of(const struct machine *m, const struct swap_info *si, uint64_t offset);
bool vm_swap_full(const struct machine *m);

/* swap_state.c */
uint32_t swap_cache_lookup(const struct machine *m, uint64_t entry); /* pfn or PFN_NONE */
uint32_t swap_cache_get_shadow(const struct machine *m, uint64_t entry); /* 0 if none */
int add_to_swap(struct machine *m, uint32_t pfn);
void swap_cache_add(struct machine *m, uint32_t pfn, uint64_t entry);
void delete_from_swap_cache(struct machine *m, uint32_t pfn);
/* folio_free_swap: drop the page's swap copy if no swap PTE names it. */
bool folio_free_swap(struct machine *m, uint32_t pfn);
/* __remove_mapping for a swap cache page: unmapped, clean and held only
 * by the cache, it leaves the cache and its frame goes back; true if so. */
bool swap_remove_mapping(struct machine *m, uint32_t pfn);
/* The four steps of shrink_folio_list's anonymous branch; *freed when the
 * frame went back.  MM_NOMEM (m->reason) when no slot is free. */
int swap_out_folio(struct machine *m, uint32_t pfn, bool *freed);
/* A page for entry, from the cache or read from its slot (*major). */
int swapin_folio(struct machine *m, uint64_t entry, uint32_t *pfn, bool *major);

/* page_io.c */
void swap_writepage(struct machine *m, uint32_t pfn);
void swap_read_folio(struct machine *m, uint32_t pfn, uint64_t entry);

/* Map the page that came back for the swap PTE pte at va of pid's VMA v
 * (do_swap_page's second half, unuse_pte); true if mapped writable. */
bool swap_map_pte(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, uint64_t pte, uint32_t pfn, bool write);

/* rmap.c: every PTE of an anonymous swap cache page becomes its swap
 * entry; true when none maps it any more. */
bool try_to_unmap(struct machine *m, uint32_t pfn);

/* madvise.c: "MADV_PAGEOUT" (and the names it knows); MM_EINVAL on a bad
 * advice or range; *paged the pages swapped out. */
int do_madvise(struct machine *m, uint32_t pid, uint64_t start, uint64_t len, const char *advice, unsigned *paged);

#endif
