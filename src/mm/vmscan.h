/*
 * Memory pressure: the LRU lists (swap.c), reclaim (vmscan.c), kswapd and
 * direct reclaim (vmscan_kswapd.c), dirty and writeback accounting
 * (page_writeback.c), mlock (mlock.c), the vm sysctls (sysctl.c) and their
 * invariants (vmscan_check.c).  Linux 6.18 with CONFIG_LRU_GEN off: the
 * classic two lists per type (MGLRU, which many distributions enable, is
 * not modelled).
 *
 * State lives in one journaled arena: per node a lruvec (five lists of
 * pfns linked through struct frame's prev/next, as the kernel reuses
 * page->lru, with their sizes), per zone the sizes of its share of each
 * list (NR_ZONE_LRU_BASE + lru), and the vm event counters.
 */
#ifndef MM_VMSCAN_H
#define MM_VMSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"
#include "strbuf.h"

/* enum lru_list, in the kernel's order */
enum lru_list {
	LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, LRU_UNEVICTABLE,
	NR_LRU_LISTS
};
#define NR_EVICTABLE_LRU 4
extern const char *const lru_names[NR_LRU_LISTS];

#define DEF_PRIORITY 12
#define SWAP_CLUSTER_MAX 32
#define MAX_RECLAIM_RETRIES 16
#define MAX_SWAPPINESS 200

struct lru_head {
	union { /* linked as the buddy's free lists are (pfn_list_add/del) */
		struct free_list list;
		struct {
			uint32_t head, tail; /* pfns: head is the newest, reclaim takes the tail */
		};
	};
	uint32_t nr, pad;
};

struct lruvec {
	struct lru_head lists[NR_LRU_LISTS];
	uint64_t anon_cost, file_cost; /* lru_note_cost */
	/* the node's kswapd (pg_data_t) */
	uint32_t kswapd_wake;            /* woken, its run still to come */
	uint32_t kswapd_order, kswapd_highest_zoneidx;
	uint32_t kswapd_failures;        /* runs in a row that reclaimed nothing */
	/* the node's kcompactd (pg_data_t, kcompactd.c) */
	uint32_t kcompactd_wake;         /* woken, its run still to come */
	uint32_t kcompactd_max_order;    /* the largest order asked since its last run */
	uint32_t kcompactd_highest_zoneidx; /* the lowest highest zone asked */
	uint32_t pad_kc;
	/* workingset.c: evictions plus activations so far (nonresident_age)
	 * and the node's WORKINGSET_* counters, [0] anon, [1] file */
	uint64_t nonresident_age;
	uint32_t ws_refault[2], ws_activate[2], ws_restore[2], pad_ws;
};

/* vm_event_item counters the model keeps (mm/vmstat.c names). */
#define VM_EVENTS(X)                                                           \
	X(pgpgout) X(pgactivate) X(pgdeactivate) X(pgrefill)     \
	X(pgsteal_kswapd) X(pgsteal_direct) X(pgsteal_proactive)               \
	X(pgscan_kswapd) X(pgscan_direct) X(pgscan_proactive)                  \
	X(pgscan_anon) X(pgscan_file) X(pgsteal_anon) X(pgsteal_file)          \
	X(pageoutrun) X(pgrotated) X(unevictable_pgs_culled)                   \
	X(unevictable_pgs_mlocked) X(unevictable_pgs_munlocked)
struct vm_events {
#define VE_FIELD(n) uint32_t n;
	VM_EVENTS(VE_FIELD)
#undef VE_FIELD
	uint32_t allocstall[MAX_NR_ZONES]; /* by the stalled request's highest zone */
};

struct vmscan_root {
	uint32_t swappiness;
	uint32_t nr_dirty, nr_writeback, nr_mlock; /* NR_FILE_DIRTY, NR_WRITEBACK, NR_MLOCK */
	uint32_t lruvec;  /* offset of nr_nodes struct lruvec */
	uint32_t zone_lru; /* offset of nr_zones * NR_LRU_LISTS counts */
	struct vm_events ev;
};

struct vmscan {
	struct arena arena;
	uint32_t root;
	bool in_kswapd; /* host side: a kswapd run is under way */
};

void vmscan_init(struct machine *m);
void vmscan_free(struct machine *m);
int check_vmscan(const struct machine *m, char *why, size_t whylen);

static inline struct vmscan_root *vmscan_root(const struct machine *m)
{
	return arena_ptr(&m->vmscan->arena, m->vmscan->root);
}
static inline struct lruvec *node_lruvec(const struct machine *m, unsigned node)
{
	return (struct lruvec *)arena_ptr(&m->vmscan->arena, vmscan_root(m)->lruvec) + node;
}
static inline uint32_t *zone_lru(const struct machine *m, unsigned zone_id)
{
	return (uint32_t *)arena_ptr(&m->vmscan->arena, vmscan_root(m)->zone_lru) + zone_id * NR_LRU_LISTS;
}
/* The node of a pfn (memory is split in fixed ranges). */
unsigned pfn_node(const struct machine *m, uint32_t pfn);
/* Pages of a node on an LRU list, and of all nodes. */
uint64_t lru_pages(const struct machine *m, enum lru_list lru);

/* ---- swap.c: the lists ---- */
/* The list a user page belongs on by its flags (folio_lru_list). */
enum lru_list folio_lru_list(const struct machine *m, uint32_t pfn);
/* Link at the head or the tail, or unlink: flags, sizes, links. */
void lruvec_add_folio(struct machine *m, uint32_t pfn, bool tail);
void lruvec_del_folio(struct machine *m, uint32_t pfn);
/* folio_add_lru for a new page (no event: its records belong to the
 * fault's or the page cache's next step); unevictable in a VM_LOCKED VMA
 * (folio_add_lru_vma). */
void folio_add_lru(struct machine *m, uint32_t pfn, bool locked_vma);
/* A freed page leaves its list (__page_cache_release). */
void lru_del_on_free(struct machine *m, uint32_t pfn);
/* mark_page_accessed: referenced once, active the second time (an event). */
void folio_mark_accessed(struct machine *m, uint32_t pfn);

/* ---- page_writeback.c ---- */
void folio_mark_dirty(struct machine *m, uint32_t pfn);
/* Counted in NR_FILE_DIRTY when dirty: a page-cache page, not shmem. */
bool folio_accounts_dirty(const struct machine *m, uint32_t pfn);
void folio_start_writeback(struct machine *m, uint32_t pfn);
void folio_end_writeback(struct machine *m, uint32_t pfn);

/* ---- vmscan.c: reclaim ---- */
enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE, NR_SCAN_BALANCE };
extern const char *const scan_balance_names[NR_SCAN_BALANCE];

struct scan_control {
	uint64_t nr_to_reclaim, nr_reclaimed, nr_scanned;
	int priority;
	unsigned order;
	uint32_t gfp;
	bool kswapd;
	bool proactive;      /* memory.reclaim */
	bool can_swap;       /* can_reclaim_anon_pages */
	unsigned swappiness;
	unsigned may_deactivate; /* 1 anon, 2 file */
	bool file_is_tiny, cache_trim_mode;
	uint32_t written[SWAP_CLUSTER_MAX]; /* pages under writeback this batch */
	unsigned nr_written;
};
#define DEACTIVATE_ANON 1u
#define DEACTIVATE_FILE 2u

/* What shrink_folio_list did with a page (FT_ENUM names of shrink_folio.how). */
enum folio_decision {
	FD_ACTIVATE_ANON, FD_ACTIVATE_TWICE, FD_ACTIVATE_EXEC, FD_KEEP_REFERENCED, FD_KEEP_DIRTY_REFERENCED,
	FD_FREED, FD_PAGEOUT, FD_NO_SWAP, FD_SWAPPED, FD_STILL_MAPPED, FD_SWAP_KEEP, FD_KSM, NR_FOLIO_DECISIONS
};
extern const char *const folio_decision_names[NR_FOLIO_DECISIONS];

/* Without a swap area anon pages cannot be reclaimed (the swap helper's
 * get_nr_swap_pages() decides once swap exists). */
bool can_reclaim_anon_pages(const struct machine *m);
/* inactive_is_low: the inactive list is short for its active one. */
bool inactive_is_low(const struct machine *m, unsigned node, enum lru_list inactive);
/* The scan targets of a lruvec at sc->priority (pure: no state changes). */
enum scan_balance get_scan_count(const struct machine *m, unsigned node, const struct scan_control *sc,
				 uint64_t nr[NR_EVICTABLE_LRU]);
/* Prepare sc for a node (may_deactivate, file_is_tiny, cache_trim_mode). */
void prepare_scan_control(const struct machine *m, unsigned node, struct scan_control *sc);
/* One page from the tail of an inactive list through shrink_folio_list. */
enum folio_decision shrink_folio(struct machine *m, uint32_t pfn, struct scan_control *sc);
uint64_t shrink_inactive_list(struct machine *m, unsigned node, uint64_t nr_to_scan, enum lru_list lru,
			      struct scan_control *sc);
void shrink_active_list(struct machine *m, unsigned node, uint64_t nr_to_scan, enum lru_list lru,
			struct scan_control *sc);
void shrink_node(struct machine *m, unsigned node, struct scan_control *sc);
/* memory.reclaim: MM_OK with *reclaimed >= pages, MM_NOMEM (m->reason)
 * when reclaim gave up, MM_EINVAL for 0 pages. */
int memory_reclaim(struct machine *m, uint64_t pages, uint64_t *reclaimed);

/* ---- vmscan_kswapd.c ---- */
/* wake_all_kswapds from the slow path (the fast path failed at low). */
void wakeup_kswapd(struct machine *m, unsigned order, uint32_t gfp, unsigned highest, unsigned local);
/* Run each woken kswapd as an operation of its own (machine.c calls it
 * when an outermost operation ends). */
void kswapd_after_op(struct machine *m);
/* kswapd(): run every node's kswapd now as if woken for order 0. */
uint64_t kswapd_run_all(struct machine *m); /* one operation; pages reclaimed */
bool pgdat_balanced(const struct machine *m, unsigned node, unsigned order, unsigned highest);
/* Direct reclaim (try_to_free_pages): pages reclaimed. */
uint64_t try_to_free_pages(struct machine *m, unsigned order, uint32_t gfp, unsigned highest, unsigned local);
/* zone_reclaimable_pages: file pages, and anon ones when swap can take them. */
uint64_t zone_reclaimable_pages(const struct machine *m, const struct zone *z);
/* page_alloc.c's should_reclaim_retry, with its no-progress count. */
bool should_reclaim_retry(struct machine *m, unsigned order, unsigned alloc_flags, unsigned highest,
			  unsigned local, bool progress, unsigned *no_progress_loops);

/* ---- workingset.c: shadow entries and refault distances ---- */
/* A page-cache or swap-table slot holds a page (pfn + 1), nothing (0) or
 * a shadow entry: SHADOW_TAG (the kernel's xa_value tag) above the
 * eviction age, the node and the PG_workingset bit. */
#define SHADOW_TAG 0x80000000u
#define WS_NODES_SHIFT 6 /* MAX_NODES 64 */
#define WS_EVICTION_BITS (31 - 1 - WS_NODES_SHIFT)
#define WS_EVICTION_MASK ((1u << WS_EVICTION_BITS) - 1)
static inline bool slot_is_shadow(uint32_t v) { return (v & SHADOW_TAG) != 0; }
struct shadow { unsigned node; uint32_t eviction; bool workingset; };
uint32_t pack_shadow(unsigned node, uint32_t eviction, bool workingset);
struct shadow unpack_shadow(uint32_t shadow);
/* Timestamp granularity: eviction ages lose their low bits when the
 * stored bits cannot count every page of memory. */
unsigned workingset_bucket_order(const struct machine *m);
void workingset_age_nonresident(struct machine *m, unsigned node, uint64_t nr);
/* The page (off the LRU, about to be freed) leaves: its shadow entry,
 * after a step showing the eviction. */
uint32_t workingset_eviction(struct machine *m, uint32_t pfn);
/* What a refault's shadow says, without changing anything. */
struct refault_test {
	uint64_t eviction, refault, distance, workingset_size;
	bool workingset, recent;
};
bool workingset_test_recent(const struct machine *m, uint32_t shadow, bool file, struct refault_test *t);
/* A new page (not yet on the LRU) found shadow in its slot: counted, and
 * PG_active (PG_workingset too if it was active) when the distance fits;
 * the caller adds it to the LRU, then emits with workingset_refault_emit. */
void workingset_refault(struct machine *m, uint32_t pfn, uint32_t shadow, struct refault_test *t);
void workingset_refault_emit(struct machine *m, uint32_t pfn, const struct refault_test *t);
/* folio_mark_accessed activated the page. */
void workingset_activation(struct machine *m, uint32_t pfn);
enum { WS_REFAULT_FAR, WS_REFAULT_ACTIVATE, WS_REFAULT_RESTORE, NR_WS_REFAULT };
extern const char *const ws_refault_names[NR_WS_REFAULT];
/* lru_note_cost: the cost of reclaiming a type (I/O and rotations). */
void lru_note_cost(struct machine *m, unsigned node, bool file, uint64_t io, uint64_t rotated);

/* ---- mlock.c ---- */
int do_mlock(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, bool lock);
/* The PTE of pid at va stops mapping a locked page: unlock it unless
 * another locked VMA maps it too. */
void munlock_vma_folio(struct machine *m, uint32_t pfn, uint32_t pid, uint64_t va);

/* ---- sysctl.c ---- */
enum vm_sysctl { SYSCTL_SWAPPINESS, SYSCTL_MIN_FREE_KBYTES, SYSCTL_WATERMARK_SCALE_FACTOR, NR_VM_SYSCTL };
extern const char *const vm_sysctl_names[NR_VM_SYSCTL];
int64_t vm_sysctl_get(const struct machine *m, enum vm_sysctl which);
/* Set several at once: all are checked first, then each is one step. */
int vm_sysctl_set(struct machine *m, const bool given[NR_VM_SYSCTL], const int64_t value[NR_VM_SYSCTL]);


#endif
