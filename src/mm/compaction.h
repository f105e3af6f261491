/* Compaction (compaction.c) and page migration (migrate.c). */
#ifndef MM_COMPACTION_H
#define MM_COMPACTION_H

#include <stdint.h>

#include "machine.h"
#include "strbuf.h"

/* enum compact_result (include/linux/compaction.h), in its order. */
#define COMPACT_RESULTS(X)                                                     \
	X(NOT_SUITABLE_ZONE, not_suitable_zone)                                \
	X(SKIPPED, skipped)                                                    \
	X(DEFERRED, deferred)                                                  \
	X(NO_SUITABLE_PAGE, no_suitable_page)                                  \
	X(CONTINUE, continue)                                                  \
	X(COMPLETE, complete)                                                  \
	X(PARTIAL_SKIPPED, partial_skipped)                                    \
	X(CONTENDED, contended)                                                \
	X(SUCCESS, success)
enum compact_result {
#define CR_ENUM(e, n) COMPACT_##e,
	COMPACT_RESULTS(CR_ENUM)
#undef CR_ENUM
	NR_COMPACT_RESULTS
};
extern const char *const compact_result_names[NR_COMPACT_RESULTS];

/* enum compact_priority: lower is more thorough.  The slow path starts
 * asynchronous (INIT) and should_compact_retry lowers it after failures. */
enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC,
	NR_COMPACT_PRIORITIES
};
extern const char *const compact_priority_names[NR_COMPACT_PRIORITIES];

/* Why a page cannot be migrated (the reasons migrate() and the migrate
 * scanner give). */
#define MIGRATE_REFUSALS(X)                                                    \
	X(FREE, "it is free: there is nothing to move")                        \
	X(SLAB, "it is a slab page: kernel objects point into it")             \
	X(PAGETABLE, "it is a page table: the MMU walks it by physical address") \
	X(KERNEL, "it is a kernel allocation: the kernel holds its physical address") \
	X(VMALLOC, "it is a vmalloc page: not on the LRU, the kernel never moves it") \
	X(RESERVED, "it is reserved memory, never given to the page allocator") \
	X(ZERO, "it is the shared zero page")                                  \
	X(PINNED, "it is pinned: a reference beyond its mappings holds it")    \
	X(ISOLATED, "it is already isolated for another migration")            \
	X(KSM, "it is a KSM page (the model does not migrate KSM pages)")      \
	X(TAIL, "it is not the head of a block")                               \
	X(NOTARGET, "no free frame is left to move it to")
enum migrate_refusal {
#define MR_ENUM(e, t) MR_##e,
	MIGRATE_REFUSALS(MR_ENUM)
#undef MR_ENUM
	NR_MIGRATE_REFUSALS
};
extern const char *const migrate_refusal_text[NR_MIGRATE_REFUSALS];
extern const char *const migrate_refusal_names[NR_MIGRATE_REFUSALS];

/* extfrag_threshold (/proc/sys/vm/extfrag_threshold) default */
#define EXTFRAG_THRESHOLD 500
#define COMPACT_CLUSTER_MAX 32

/* ---- migrate.c ---- */

/* Whether the page at pfn could be isolated for migration; the reason if
 * not (MR_*), -1 if it can. */
int migrate_refusal(const struct machine *m, uint32_t pfn);
/* Take a movable page off the LRU for migration, with a reference. */
void isolate_lru_page(struct machine *m, uint32_t pfn);
/* Give a target frame for a source (compaction_alloc, alloc_migration_target);
 * PFN_NONE if none. */
typedef uint32_t (*new_folio_fn)(struct machine *m, uint32_t src, void *ctx);
/* migrate_pages: move each isolated page of pfns[0..n) to a frame from
 * get_new: unmap the batch, then move each; every page ends up back in
 * use (putback) or freed.  Returns how many moved; *failed those that did not. */
unsigned migrate_pages(struct machine *m, const uint32_t *pfns, unsigned n, new_folio_fn get_new, void *ctx,
		       unsigned *failed);
/* migrate(pfn, target): one page to a node (node >= 0) or to the free
 * frame target_pfn (node < 0).  MM_EINVAL with m->error and the state
 * unchanged on refusal; MM_NOMEM with m->reason when no target is had. */
int migrate_page(struct machine *m, uint32_t pfn, int node, uint32_t target_pfn, uint32_t *dst);

/* ---- compaction.c ---- */

/* The kernel's pageblock_order for this machine. */
unsigned pageblock_order(const struct machine *m);
/* fragmentation_index / unusable_free_index, in thousandths. */
int fragmentation_index(const struct zone *z, unsigned max_order, unsigned order);
int unusable_index(const struct zone *z, unsigned max_order, unsigned order);
/* compact([zone [, order]]): compact_node's loop for one zone, order -1
 * compacting fully (/proc/sys/vm/compact_memory).  MM_EINVAL for an empty
 * zone or an order out of range. */
int compact_zone_op(struct machine *m, struct zone *z, int order, enum compact_result *res);
/* try_to_compact_pages for an allocation's zonelist at a priority; *first
 * the first zone compacted.  COMPACT_SKIPPED when no zone was worth
 * compacting (or the request may not do I/O). */
enum compact_result try_to_compact_pages(struct machine *m, unsigned order, uint32_t gfp, unsigned highest,
					 unsigned local, enum compact_priority prio, struct zone **first);
/* compaction_suit_allocation_order at the min watermark, no event:
 * COMPACT_SUCCESS if the order can be had already, COMPACT_CONTINUE if
 * compaction could help, else why not. */
enum compact_result compaction_suit_allocation_order(const struct machine *m, const struct zone *z, unsigned order,
						     unsigned highest);
/* compaction_zonelist_suitable: with all reclaimable pages freed, would
 * some zone of the zonelist have room to compact (__compaction_suitable)? */
bool compaction_zonelist_suitable(const struct machine *m, unsigned order, unsigned highest, unsigned local);
/* compact_zone as kcompactd runs it (MIGRATE_SYNC_LIGHT, GFP_KERNEL). */
enum compact_result kcompactd_compact_zone(struct machine *m, struct zone *z, unsigned order, unsigned highest);

/* ---- kcompactd.c ---- */

/* wakeup_kcompactd: kswapd going to sleep asks for order up to highest;
 * kcompactd wakes if kcompactd_node_suitable.  Inside an operation. */
void wakeup_kcompactd(struct machine *m, unsigned node, unsigned order, unsigned highest);
/* kcompactd_node_suitable: a zone up to the node's requested highest
 * where compaction for the requested order would continue. */
bool kcompactd_node_suitable(const struct machine *m, unsigned node);
/* Each woken kcompactd runs kcompactd_do_work as an operation of its own
 * (mm_op_end calls this). */
void kcompactd_after_op(struct machine *m);
/* kcompactd(node, order): wake the node's kcompactd by hand (as kswapd
 * would) and let it run; MM_EINVAL for a node or order out of range. */
int kcompactd_wake_op(struct machine *m, unsigned node, unsigned order, bool *woken);

/* debugfs extfrag/extfrag_index and extfrag/unusable_index. */
void proc_extfrag_index(const struct machine *m, struct strbuf *out);
void proc_unusable_index(const struct machine *m, struct strbuf *out);
/* The invariants of isolation (subsys.c's row). */
int check_compaction(const struct machine *m, char *why, size_t whylen);

#endif
