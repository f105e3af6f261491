/*
 * Kernel samepage merging (ksm.c, ksm_sysfs.c): the records ksmd keeps in
 * the procs arena and the calls the rest of the model makes.
 */
#ifndef MM_KSM_H
#define MM_KSM_H

#include <stdbool.h>
#include <stdint.h>

#include "procs.h"
#include "subsys.h"

/* rmap_item->address's low bits (mm/ksm.c's SEQNR_MASK, UNSTABLE_FLAG,
 * STABLE_FLAG) */
#define KSM_SEQNR_MASK 0x0ffull
#define KSM_UNSTABLE_FLAG 0x100ull
#define KSM_STABLE_FLAG 0x200ull

/* ksm_mm_slot: one per mm that has had a VM_MERGEABLE area; on ksmd's
 * circular list through a sentinel (ksm_mm_head). */
struct ksm_mm_slot {
	uint32_t prev, next;
	uint32_t mm, pid;
	uint32_t rmap_list; /* its rmap_items by address */
	uint32_t pad;
};

/* ksm_rmap_item: one scanned address.  In the unstable tree (node, key)
 * or on a stable node's hlist (head, hnext). */
struct ksm_rmap_item {
	uint32_t rmap_list;  /* next item of the mm, by address */
	uint32_t mm_slot;
	uint64_t address;    /* page address | flags | seqnr */
	uint32_t oldchecksum;
	uint32_t anon_vma;   /* held while in the stable tree (get_anon_vma) */
	uint32_t head;       /* its stable node */
	uint32_t hnext;      /* next item on that node's hlist */
	struct tnode node;   /* in the unstable tree */
	uint64_t key;        /* the content it was inserted with */
};

/* ksm_stable_node: one KSM page, in the stable tree by content. */
struct ksm_stable_node {
	struct tnode node;
	uint32_t hlist;      /* rmap_items mapping it, newest first */
	uint32_t kpfn;
	uint64_t key;        /* the KSM page's content (it is write-protected) */
	uint32_t hlist_len;  /* rmap_hlist_len */
	uint32_t pad;
};

/* ksmd's state and the /sys/kernel/mm/ksm knobs and counters. */
struct ksm_state {
	uint32_t head;          /* the ksm_mm_head sentinel slot */
	uint32_t scan_slot;     /* ksm_scan.mm_slot */
	uint64_t scan_address;  /* ksm_scan.address */
	uint32_t scan_link;     /* ksm_scan.rmap_list: the item whose link is next, 0 = the slot's list */
	uint32_t seqnr;         /* ksm_scan.seqnr: full_scans */
	uint32_t stable_root, unstable_root;
	uint32_t pages_shared, pages_sharing, pages_unshared, rmap_items;
	uint32_t stable_nodes;
	uint32_t run, pages_to_scan, sleep_millisecs;
	uint32_t free_slot, free_item, free_node;
	uint64_t pages_scanned;
};

/* sizeof(struct ksm_rmap_item) on x86_64, for general_profit */
#define KSM_RMAP_ITEM_BYTES 64

static inline struct ksm_rmap_item *item_at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }
static inline struct ksm_stable_node *node_at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }
static inline struct ksm_mm_slot *slot_at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }
static inline struct ksm_state *ksm_state(const struct machine *m) { return procs_ptr(m, procs_root(m)->ksm); }
extern const struct mm_proc_file ksm_files[];
void ksm_init(struct machine *m);
int check_ksm(const struct machine *m, char *why, size_t whylen);

/* A KSM page (PageKsm: its mapping is a stable node). */
bool page_ksm(const struct machine *m, uint32_t pfn);

/* madvise MADV_MERGEABLE / MADV_UNMERGEABLE on [start, end) of pid, the
 * range checked by the caller (ksm_madvise). */
int ksm_madvise(struct machine *m, uint32_t pid, uint64_t start, uint64_t end, bool merge);
/* fork of a mergeable mm (ksm_fork), exit (ksm_exit). */
void ksm_fork(struct machine *m, uint32_t parent, uint32_t child);
void ksm_exit(struct machine *m, uint32_t pid);
/* ksm_do_scan: up to npages pages; stops at the end of a full scan.
 * Returns the pages scanned. */
unsigned ksm_do_scan(struct machine *m, unsigned npages);
/* /sys/kernel/mm/ksm/run, pages_to_scan, sleep_millisecs. */
int ksm_set(struct machine *m, const char *knob, uint64_t value);
int ksm_knob_check(struct machine *m, const char *knob, uint64_t value); /* MM_OK or why */

/* rmap_walk_ksm: the PTEs mapping a KSM page, found through its stable
 * node's rmap_items and their anon_vmas. */
unsigned rmap_walk_ksm(const struct machine *m, struct machine *emit, uint32_t pfn, struct rmap_hit *hits,
		       unsigned max);

/* memory.c: break_ksm's unsharing fault (FAULT_FLAG_UNSHARE). */
int fault_unshare(struct machine *m, uint32_t pid, uint64_t va);

/* rmap.c */
void get_anon_vma(struct machine *m, uint32_t av);
void put_anon_vma(struct machine *m, uint32_t av);

#endif
