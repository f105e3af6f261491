/*
 * Events: every algorithmic step is one event of one kind with named fields.
 * The table in event.c describes each kind once (its name, its fields and the
 * template of its one-line text form); the text trace, the JSON trace,
 * breakpoint conditions and Lua hooks are all driven by that table.
 */
#ifndef MM_EVENT_H
#define MM_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EV_MAX_FIELDS 8

/* X(ENUM, name): the kinds, in the order the table lists them. */
#define EV_KINDS(X)                                                            \
	X(MACHINE, machine)                                                    \
	X(ALLOC, alloc)                                                        \
	X(WATERMARK, watermark)                                                \
	X(FALLBACK, fallback)                                                  \
	X(SLOWPATH, slowpath)                                                  \
	X(TAKE, take)                                                          \
	X(SPLIT, split)                                                        \
	X(DONE, done)                                                          \
	X(FAIL, fail)                                                          \
	X(FREE, free)                                                          \
	X(MERGE, merge)                                                        \
	X(PUT, put)                                                            \
	X(CACHE_CREATE, cache_create)                                          \
	X(CACHE_DESTROY, cache_destroy)                                        \
	X(SLAB_ALLOC, slab_alloc)                                              \
	X(SLAB_FULL, slab_full)                                                \
	X(GET_PARTIAL, get_partial)                                            \
	X(NEW_SLAB, new_slab)                                                  \
	X(SLAB_FREE, slab_free)                                                \
	X(SLAB_PARTIAL, slab_partial)                                          \
	X(SLAB_EMPTY, slab_empty)                                              \
	X(SLAB_DISCARD, discard_slab)                                          \
	X(KMALLOC, kmalloc)                                                    \
	X(KMALLOC_LARGE, kmalloc_large)                                        \
	X(KFREE_LARGE, kfree_large)                                            \
	X(CPU_PARTIAL_PUT, put_cpu_partial)                                    \
	X(CPU_PARTIAL_ALLOC, cpu_partial_alloc)                                \
	X(CPU_PARTIAL_DRAIN, put_partials)                                     \
	X(SLOB_CACHE_CREATE, slob_cache_create)                                \
	X(SLOB_ALLOC, slob_alloc)                                              \
	X(SLOB_NEW_PAGE, slob_new_page)                                        \
	X(SLOB_ROTATE, slob_rotate)                                            \
	X(SLOB_PAGE_FULL, slob_page_full)                                      \
	X(SLOB_FREE, slob_free)                                                \
	X(SLOB_PAGE_PARTIAL, slob_page_partial)                                \
	X(SLOB_PAGE_FREE, slob_page_free)                                      \
	X(SLOB_BIG, slob_big)                                                  \
	X(ASLAB_TUNE, slab_tune)                                               \
	X(AC_ALLOC, ac_alloc)                                                  \
	X(AC_TRANSFER, transfer_objects)                                       \
	X(ALLOC_BLOCK, alloc_block)                                            \
	X(CACHE_GROW, cache_grow)                                              \
	X(AC_FREE, ac_free)                                                    \
	X(FLUSH_SHARED, flush_shared)                                          \
	X(FREE_BLOCK, free_block)                                              \
	X(ASLAB_DESTROY, slab_destroy)                                         \
	X(AC_UNTOUCH, drain_array)                                             \
	X(FREE_UNTOUCH, free_touched)                                          \
	X(VMALLOC, vmalloc)                                                    \
	X(VMALLOC_PAGE, vmalloc_page)                                          \
	X(VMALLOC_FAIL, vmalloc_fail)                                          \
	X(VMAP_PURGE, vmap_purge)                                              \
	X(VFREE, vfree)                                                        \
	X(MM_ALLOC, mm_alloc)                                                  \
	X(PGTABLE_ALLOC, pgtable_alloc)                                        \
	X(PGTABLE_FREE, pgtable_free)                                          \
	X(SET_PTE, set_pte)                                                    \
	X(CLEAR_PTE, clear_pte)                                                \
	X(TLB_HIT, tlb_hit)                                                    \
	X(TLB_MISS, tlb_miss)                                                  \
	X(WALK, walk)                                                          \
	X(SET_AD, set_ad)                                                      \
	X(WALK_FAULT, walk_fault)                                              \
	X(TRANSLATED, translated)                                              \
	X(TLB_FILL, tlb_fill)                                                  \
	X(TLB_EVICT, tlb_evict)                                                \
	X(TLB_FLUSH, tlb_flush)                                                \
	X(TB_NEW, tb_new)                                                      \
	X(FL_ALLOC, fl_alloc)                                                  \
	X(FL_SEARCH, fl_search)                                                \
	X(FL_SPLIT, fl_split)                                                  \
	X(FL_TAKE, fl_take)                                                    \
	X(FL_NOFIT, fl_nofit)                                                  \
	X(FL_FREE, fl_free)                                                    \
	X(FL_NOTHELD, fl_notheld)                                              \
	X(FL_COALESCE, fl_coalesce)                                            \
	X(RP_ACCESS, rp_access)                                                \
	X(RP_SCAN, rp_scan)                                                    \
	X(RP_EVICT, rp_evict)                                                  \
	X(RP_PLACE, rp_place)                                                  \
	X(SEG_TRANSLATE, seg_translate)                                        \
	X(LPT_TRANSLATE, lpt_translate)                                        \
	X(MLPT_ENTRY, mlpt_entry)                                              \
	X(MLPT_RESULT, mlpt_result)                                            \
	X(MA_CALL, ma_call)                                                    \
	X(MA_RETURN, ma_return)                                                \
	X(MA_TCACHE_INIT, ma_tcache_init)                                      \
	X(MA_TCACHE_PUT, ma_tcache_put)                                        \
	X(MA_TCACHE_GET, ma_tcache_get)                                        \
	X(MA_FAST_PUT, ma_fast_put)                                            \
	X(MA_FAST_GET, ma_fast_get)                                            \
	X(MA_BIN_PUT, ma_bin_put)                                              \
	X(MA_BIN_GET, ma_bin_get)                                              \
	X(MA_SORT, ma_sort)                                                    \
	X(MA_SPLIT, ma_split)                                                  \
	X(MA_COALESCE, ma_coalesce)                                            \
	X(MA_CONSOLIDATE, ma_consolidate)                                      \
	X(MA_TOP, ma_top)                                                      \
	X(MA_SBRK, ma_sbrk)                                                    \
	X(MA_TRIM, ma_trim)                                                    \
	X(MA_MMAP, ma_mmap)                                                    \
	X(MA_MUNMAP, ma_munmap)                                                \
	X(MA_THRESHOLD, ma_threshold)                                          \
	X(MA_ABORT, ma_abort)                                                  \
	X(PROCESS, process)                                                    \
	X(VMA_ADD, vma_add)                                                    \
	X(VMA_REMOVE, vma_remove)                                              \
	X(VMA_SPLIT, vma_split)                                                \
	X(VMA_MERGE, vma_merge)                                                \
	X(VMA_PROT, vma_prot)                                                  \
	X(VMA_RESIZE, vma_resize)                                              \
	X(GET_UNMAPPED, get_unmapped_area)                                     \
	X(MMAP, mmap)                                                          \
	X(MUNMAP, munmap)                                                      \
	X(MPROTECT, mprotect)                                                  \
	X(BRK, brk)                                                            \
	X(FAULT, fault)                                                        \
	X(SEGV, segv)                                                          \
	X(ZERO_PAGE, zero_page)                                                \
	X(ANON_FAULT, do_anonymous_page)                                       \
	X(WP_FAULT, do_wp_page)                                                \
	X(RMAP_ADD, rmap_add)                                                  \
	X(RMAP_REMOVE, rmap_remove)                                            \
	X(PUT_PAGE, put_page)                                                  \
	X(ANON_VMA, anon_vma)                                                  \
	X(FORK, fork)                                                          \
	X(COPY_PTE, copy_pte)                                                  \
	X(EXIT, exit)                                                          \
	X(RMAP_WALK, rmap_walk)                                                \
	X(ACCESS, access)                                                      \
	X(FILE_CREATE, file)                                                   \
	X(PAGECACHE_HIT, find_get_page)                                        \
	X(ADD_TO_PAGE_CACHE, add_to_page_cache)                                \
	X(DISK_READ, disk_read)                                                \
	X(FILE_FAULT, file_fault)                                              \
	X(FAULT_MAJOR, major_fault)                                            \
	X(SHMEM_SETUP, shmem_zero_setup)                                       \
	X(SHMEM_TRUNCATE, shmem_truncate)                                      \
	X(COMPACT_SUITABLE, compaction_suitable)                               \
	X(COMPACT_BEGIN, compact_zone)                                         \
	X(COMPACT_SCAN, compact_scan)                                          \
	X(ISOLATE_MIGRATE, isolate_migratepage)                                \
	X(ISOLATE_FREE, isolate_freepage)                                      \
	X(COMPACT_END, compact_finished)                                       \
	X(DIRECT_COMPACT, direct_compact)                                      \
	X(KCOMPACTD, kcompactd)                                                \
	X(WAKEUP_KCOMPACTD, wakeup_kcompactd)                                  \
	X(COMPACT_RETRY, should_compact_retry)                                 \
	X(MIGRATE_TARGET, migrate_target)                                      \
	X(MIGRATE_UNMAP, try_to_migrate)                                       \
	X(MIGRATE_COPY, migrate_folio)                                         \
	X(MIGRATE_REMAP, remove_migration_pte)                                 \
	X(MIGRATE_DONE, migrated)                                              \
	X(MIGRATE_FAIL, migrate_fail)                                          \
	X(KMAP, kmap)                                                          \
	X(KMAP_WAIT, kmap_wait)                                                \
	X(PKMAP_FLUSH, flush_all_zero_pkmaps)                                  \
	X(KUNMAP, kunmap)                                                      \
	X(KMAP_LOCAL, kmap_local)                                              \
	X(KUNMAP_LOCAL, kunmap_local)                                          \
	X(PAGE_ADDRESS, page_address)                                          \
	X(SET_DESC, set_descriptor)                                            \
	X(SEG_SELECTOR, x86_selector)                                          \
	X(SEG_DESC, x86_descriptor)                                            \
	X(SEG_FAULT, x86_seg_fault)                                            \
	X(SEG_LINEAR, x86_linear)                                              \
	X(MEMPOLICY, mempolicy)                                                \
	X(TASK_CPU, task_cpu)                                                  \
	X(MPOL_ALLOC, mpol_alloc)                                              \
	X(MEMBLOCK_ADD, memblock_add)                                          \
	X(MEMBLOCK_REMOVE, memblock_remove)                                    \
	X(MEMBLOCK_RESERVE, memblock_reserve)                                  \
	X(MEMBLOCK_FREE, memblock_free)                                        \
	X(MEMBLOCK_ALLOC, memblock_alloc)                                      \
	X(FREE_MEM_CORE, free_memory_core)                                     \
	X(FREE_PAGES_CORE, free_pages_core)                                    \
	X(MEMBLOCK_FREE_ALL, memblock_free_all)                                \
	X(DMA_ALLOC, dma_alloc)                                                \
	X(DMA_DONE, dma_alloc_done)                                            \
	X(DMA_FREE, dma_free)                                                  \
	X(IOREMAP, ioremap)                                                    \
	X(IOUNMAP, iounmap)                                                    \
	X(PAGEBLOCK_TYPE, set_pageblock_migratetype)                           \
	X(MOVE_FREEPAGES, move_freepages_block)                                \
	X(CLAIM_BLOCK, claim_block)                                            \
	X(CLAIM_REFUSED, claim_refused)                                        \
	X(STEAL, steal)                                                        \
	X(PCP_REFILL, rmqueue_bulk)                                            \
	X(PCP_ALLOC, pcp_alloc)                                                \
	X(PCP_FREE, pcp_free)                                                  \
	X(PCP_BULK_FREE, free_pcppages_bulk)                                   \
	X(PCP_DRAIN, drain_pages)                                              \
	X(MARK_ACCESSED, mark_page_accessed)                                   \
	X(FOLIO_REFERENCED, folio_referenced)                                  \
	X(SCAN_COUNT, get_scan_count)                                          \
	X(SHRINK_ACTIVE, shrink_active)                                        \
	X(SHRINK_FOLIO, shrink_folio)                                          \
	X(END_WRITEBACK, end_writeback)                                        \
	X(SHRINK_NODE, shrink_node)                                            \
	X(MEMORY_RECLAIM, memory_reclaim)                                      \
	X(WAKEUP_KSWAPD, wakeup_kswapd)                                        \
	X(BALANCE_PGDAT, balance_pgdat)                                        \
	X(KSWAPD_SLEEP, kswapd_sleep)                                          \
	X(KSWAPD_ORDER0, kswapd_order0)                                        \
	X(TRY_TO_FREE_PAGES, try_to_free_pages)                                \
	X(RECLAIM_RETRY, should_reclaim_retry)                                 \
	X(MLOCK, mlock_folio)                                                  \
	X(MLOCK_RANGE, mlock)                                                  \
	X(MLOCK_DONE, mlock_done)                                              \
	X(SYSCTL, sysctl)                                                      \
	X(SWAPON, swapon)                                                      \
	X(SWAPOFF_BEGIN, swapoff_begin)                                        \
	X(SWAPOFF_FAIL, swapoff_fail)                                          \
	X(SWAPOFF, swapoff)                                                    \
	X(SWAP_ALLOC, swap_alloc)                                              \
	X(SWAP_CLUSTER, swap_cluster)                                          \
	X(SWAP_SLOT_FREE, swap_slot_free)                                      \
	X(SWAP_PUT, swap_put)                                                  \
	X(SWAP_DUP, swap_duplicate)                                            \
	X(SWAP_CACHE_ADD, add_to_swap_cache)                                   \
	X(SWAP_CACHE_DEL, delete_from_swap_cache)                              \
	X(SWAP_CACHE_HIT, swap_cache_hit)                                      \
	X(TRY_TO_UNMAP, try_to_unmap)                                          \
	X(SWAP_WRITEPAGE, swap_writepage)                                      \
	X(SWAP_READ, swap_read_folio)                                          \
	X(SWAP_FAULT, do_swap_page)                                            \
	X(SWAP_MAP, swap_map_pte)                                              \
	X(WORKINGSET_EVICTION, workingset_eviction)                            \
	X(WORKINGSET_REFAULT, workingset_refault)                              \
	X(MADVISE, madvise)                                                    \
	X(PAGEOUT_SKIP, pageout_skip)                                          \
	X(OOM_SCORE_ADJ, oom_score_adj)                                        \
	X(OOM, out_of_memory)                                                  \
	X(OOM_BADNESS, oom_badness)                                            \
	X(OOM_KILL, oom_kill)                                                  \
	X(OOM_NONE, oom_none)                                                  \
	X(KSM_ENTER, ksm_enter)                                                \
	X(KSM_VMA, ksm_madvise)                                                \
	X(KSM_SCAN_START, ksm_scan_start)                                      \
	X(KSM_SCAN, ksm_scan)                                                  \
	X(KSM_TREE_CMP, ksm_tree_cmp)                                          \
	X(KSM_VOLATILE, ksm_volatile)                                          \
	X(KSM_UNSTABLE_INSERT, ksm_unstable_insert)                            \
	X(KSM_UNSTABLE_REMOVE, ksm_remove_rmap_item)                           \
	X(KSM_WRPROTECT, ksm_write_protect)                                    \
	X(KSM_STABLE_INSERT, ksm_stable_insert)                                \
	X(KSM_MERGE, ksm_merge)                                                \
	X(KSM_STALE, ksm_stale_node)                                           \
	X(KSM_SCAN_DONE, ksm_scan_done)                                        \
	X(KSM_EXIT, ksm_exit)                                                  \
	X(KSM_KNOB, ksm_knob)

enum ev_kind {
#define EV_ENUM(e, n) EV_##e,
	EV_KINDS(EV_ENUM)
#undef EV_ENUM
	NR_EV_KINDS
};

/* How a field's value reads: the same integer prints as a name, a pfn, … */
enum ev_ftype {
	FT_INT,
	FT_PFN,
	FT_ZONE, /* global zone id */
	FT_GFP,  /* gfp mask */
	FT_ENUM, /* index into the field's names */
	FT_BOOL, /* text: names[0] for false, names[1] for true; JSON: a bool */
	FT_CACHE, /* a slab cache: its name (slub.h's name table) */
	FT_ADDR,  /* a virtual address: hex in text and JSON, an integer in Lua */
	FT_PTE,   /* a page-table entry: hex and its bits by name; hex in JSON, an integer in Lua */
	FT_OPTINT, /* an integer that may be absent (-1): text names[0] N names[1], or nothing */
};

struct ev_field {
	const char *name;
	enum ev_ftype type;
	const char *const *names; /* FT_ENUM and FT_BOOL */
};

struct ev_kind_info {
	const char *name;
	unsigned nfields;
	struct ev_field field[EV_MAX_FIELDS];
	const char *text; /* template: {field} is replaced by the field's text */
	const char *help; /* one line for `help` and the README */
};

extern const struct ev_kind_info ev_kinds[NR_EV_KINDS];

/* One event as handed to listeners and read back from the journal. */
struct event {
	uint16_t kind;
	uint32_t step; /* 1-based step number */
	uint32_t op;   /* 1-based operation number */
	int32_t line;  /* scenario line, 0 if none */
	int64_t f[EV_MAX_FIELDS];
};

int ev_kind_by_name(const char *name);          /* -1 if unknown */
int ev_field_index(unsigned kind, const char *name); /* -1 if the kind lacks it */

/* Reasons an allocation returns nothing (FT_ENUM names for fail.reason). */
enum nomem_reason { NOMEM_WATERMARK, NOMEM_FRAGMENTED, NOMEM_NO_ZONE, NOMEM_RECLAIM, NR_NOMEM };
extern const char *const nomem_names[NR_NOMEM];

#endif
