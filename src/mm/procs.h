/*
 * Processes and their memory: tasks (fork.c), mm_struct and VMAs (vma.c,
 * mmap.c), page faults and user page state (memory.c), the reverse map
 * (rmap.c, interval_tree.c), files and the page cache (filemap.c), their
 * invariants (procs_check.c) and /proc files (procs_proc.c).
 *
 * All mutable state lives in one journaled arena (arena.h) reached by
 * offsets; every allocation there is a multiple of 8 bytes, so 64-bit
 * cells are aligned.  Frames that hold user pages point to a struct upage
 * record through frame.up.
 *
 * User address-space layout (the kernel's without randomization, x86_64
 * numbers; other archs scale TASK_SIZE):
 *   0x400000        program text, 1 page, r-xp        (an ELF's first PT_LOAD)
 *   0x600000        data and bss, 2 pages, rw-p
 *   end of bss      start_brk: the heap VMA grows up from here with brk()
 *   mmap_base       TASK_SIZE - 128 MiB (mmap_base(): the stack rlimit and
 *                   guard gap clamped to the 128 MiB minimum); mmap() places
 *                   areas top-down below it (arch_get_unmapped_area_topdown)
 *   TASK_SIZE-132K  the stack VMA, VM_GROWSDOWN, up to TASK_SIZE
 * TASK_SIZE: x86_64 0x7ffffffff000 (47 bits less a page, also under LA57:
 * DEFAULT_MAP_WINDOW), arm64 1 << va_bits, 32-bit x86 0xc0000000.
 */
#ifndef MM_PROCS_H
#define MM_PROCS_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"
#include "pgtable.h"
#include "strbuf.h"
#include "treap.h"

#define TASK_COMM_LEN 16

/* vm_flags (include/linux/mm.h values) */
enum {
	VM_READ = 0x1, VM_WRITE = 0x2, VM_EXEC = 0x4, VM_SHARED = 0x8,
	VM_MAYREAD = 0x10, VM_MAYWRITE = 0x20, VM_MAYEXEC = 0x40, VM_MAYSHARE = 0x80,
	VM_GROWSDOWN = 0x100, VM_LOCKED = 0x2000,
};
#define VM_MERGEABLE 0x80000000u /* KSM may merge its pages (ksm.c) */
/* mmap flags */
enum { MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20 };

/* page flags kept in struct upage (include/linux/page-flags.h names) */
enum {
	PG_referenced = 1u << 0, PG_dirty = 1u << 1, PG_lru = 1u << 2, PG_active = 1u << 3,
	PG_swapbacked = 1u << 4, PG_anon_exclusive = 1u << 5,
	/* reclaim and mlock (vmscan.h) */
	PG_unevictable = 1u << 6, PG_mlocked = 1u << 7, PG_writeback = 1u << 8, PG_reclaim = 1u << 9,
	PG_workingset = 1u << 10, /* workingset.c: was active before its eviction */
	/* PageKsm: the kernel's PAGE_MAPPING_KSM bit; mapping is then the
	 * page's stable node (ksm.h) */
	PG_ksm = 1u << 11,
};
#define PG_FLAG_NAMES                                                                              \
	{"referenced", "dirty", "lru", "active", "swapbacked", "anon_exclusive", "unevictable", "mlocked", \
	 "writeback", "reclaim", "workingset", "ksm"}
#define NR_PG_FLAGS 12

enum task_state { TASK_NONE, TASK_RUNNING, TASK_DEAD };

struct task {
	uint32_t pid, ppid, state, mm; /* mm: mm_struct offset, 0 once exited */
	uint32_t comm[TASK_COMM_LEN / 4];
	uint32_t min_flt, maj_flt, born;
	int32_t oom_score_adj; /* -1000..1000 (oom_kill.c) */
};

struct mm_struct {
	uint64_t task_size, mmap_base;
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint32_t asid;      /* the page-table mm (pgtable.h) */
	uint32_t vma_root;  /* the VMA tree (vma.c) */
	uint32_t vma_first; /* lowest VMA; VMAs are also linked in address order */
	uint32_t map_count;
	uint32_t total_vm;  /* pages */
	uint32_t rss_anon;  /* MM_ANONPAGES */
	uint32_t owner;     /* pid */
	uint32_t rss_file;  /* MM_FILEPAGES */
	uint32_t rss_shmem; /* MM_SHMEMPAGES */
	uint32_t swapents;  /* MM_SWAPENTS: swap PTEs */
	uint32_t ksm_slot;  /* its ksm_mm_slot (MMF_VM_MERGEABLE), 0 if none */
};

/* A VMA and its node in the mm's tree: a treap ordered by address whose
 * nodes carry the largest free gap below any VMA of their subtree (the
 * kernel's maple tree tracks gaps the same way; 4.x's rb_subtree_gap). */
struct vma {
	uint64_t vm_start, vm_end;
	uint64_t gap;     /* vm_start - previous VMA's vm_end (or - 0) */
	uint64_t max_gap; /* the largest gap in this subtree */
	uint64_t pgoff;   /* in pages */
	uint32_t flags, mm;
	struct tnode node;   /* in the mm's VMA tree */
	uint32_t prev, next; /* address order */
	uint32_t anon_vma;   /* where new anon pages go */
	uint32_t avc;        /* this VMA's anon_vma_chain (same_vma list) */
	uint32_t born;
	uint32_t file;       /* its address_space (filemap.c), 0 if anonymous */
	uint32_t i_mmap;     /* its node in the file's i_mmap tree */
	uint32_t pad;
};

/* A file: its inode's address_space.  The page cache is an array of slots
 * by page index (pfn + 1, 0 = not cached): O(1) as the xarray is for a
 * dense file; the file's size is fixed when it is made. */
struct address_space {
	uint32_t id, ino;
	uint64_t size;
	uint32_t name[4];
	uint32_t slots;    /* arena offset of npages uint32 slots */
	uint32_t npages;
	uint32_t nrpages;  /* pages in the cache */
	uint32_t i_mmap;   /* interval tree of the VMAs mapping it */
	uint32_t born;
	uint32_t disk;     /* pages written back (filemap_write_back), 0 if none */
	uint32_t shmem;    /* 1: shared anonymous memory (shmem_zero_setup) */
};

struct anon_vma {
	uint32_t id, parent, root;
	uint32_t refcount; /* chains linking it + anon_vmas naming it parent */
	uint32_t avc;      /* root of its interval tree of chains (rb_root) */
	uint32_t next_free, pad0, pad1;
};

/* A VMA's link to one anon_vma, and a node of that anon_vma's interval
 * tree (interval_tree.c) keyed by the VMA's page range. */
struct anon_vma_chain {
	uint32_t vma, anon_vma;
	uint32_t same_vma;               /* next chain of the same VMA */
	struct tnode node;
	uint32_t pad;
	uint64_t start, last, max_last;  /* vm_pgoff .. its last page; the subtree's largest last */
};

/* User page state (the kernel's struct page/folio fields). */
struct upage {
	uint32_t refcount;  /* _refcount */
	uint32_t mapcount;  /* PTEs mapping it (_mapcount + 1) */
	uint32_t mapping;   /* anon_vma offset (a KSM page's: its stable node) */
	uint32_t flags;     /* PG_* */
	uint64_t index;     /* page offset in its anon_vma's address space */
	uint64_t content;   /* the page's bytes, as one word */
	uint64_t swap;      /* folio->swap: its slot while in the swap cache (swap.h) */
};

struct procs_root {
	struct idr tasks; /* struct task offsets by pid */
	uint32_t free_vma, free_avc, free_anon_vma, free_upage;
	uint32_t zero_pfn; /* PFN_NONE until the first read fault needs it */
	uint32_t nr_anon_vma_ids;
	uint32_t nr_anon;  /* NR_ANON_MAPPED pages */
	uint32_t pgfault, pgmajfault;
	struct idr files; /* address_space offsets by id */
	uint32_t nr_file_pages;  /* NR_FILE_PAGES: Cached */
	uint32_t nr_file_mapped; /* NR_FILE_MAPPED: Mapped */
	uint32_t pgpgin;         /* pages read from disk */
	uint32_t nr_shmem;       /* NR_SHMEM: shmem pages, in the page cache too */
	uint32_t ksm;            /* ksmd's state (ksm.h) */
};

struct procs {
	struct arena arena;
	uint32_t root;
};

/* Subsystem hooks. */
void procs_init(struct machine *m);
void procs_free(struct machine *m);
int check_procs(const struct machine *m, char *why, size_t whylen);

/* Accessors. */
static inline void *procs_ptr(const struct machine *m, uint32_t off) { return arena_ptr(&m->procs->arena, off); }
static inline struct procs_root *procs_root(const struct machine *m) { return procs_ptr(m, m->procs->root); }
static inline struct vma *vma_at(const struct machine *m, uint32_t off) { return off ? procs_ptr(m, off) : NULL; }
static inline struct mm_struct *mm_at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }
static inline struct address_space *file_at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }
struct task *task_by_pid(const struct machine *m, uint32_t pid); /* NULL if none */
struct mm_struct *task_mm(const struct machine *m, uint32_t pid); /* NULL if none or exited */
const char *task_comm(const struct task *t, char *buf); /* buf of TASK_COMM_LEN + 1 */
struct upage *page_user(const struct machine *m, uint32_t pfn);  /* NULL if not a user page */
uint32_t procs_alloc(struct machine *m, uint32_t bytes, uint32_t *free_list);
void procs_release(struct machine *m, uint32_t off, uint32_t *free_list);
static inline uint64_t page_bytes(const struct machine *m) { return 1ull << m->page_shift; }

/* vma.c: the tree and list of an mm's VMAs. */
uint32_t find_vma(const struct machine *m, const struct mm_struct *mm, uint64_t addr); /* first with vm_end > addr */
void vma_link(struct machine *m, uint32_t mmoff, uint32_t v);
void vma_unlink(struct machine *m, uint32_t mmoff, uint32_t v);
/* Change a linked VMA's bounds in place (neighbours stay where they are). */
void vma_set_range(struct machine *m, uint32_t v, uint64_t start, uint64_t end, uint64_t pgoff);
/* The highest gap of len bytes with [addr, addr+len) in [low, high), or 0. */
uint64_t unmapped_area_topdown(const struct machine *m, const struct mm_struct *mm, uint64_t len, uint64_t low,
			       uint64_t high);
bool vma_range_free(const struct machine *m, const struct mm_struct *mm, uint64_t start, uint64_t end);

/* mmap.c: the system calls.  MM_OK, MM_EINVAL (m->error), MM_NOMEM (m->reason). */
int process_create(struct machine *m, const char *name, uint32_t *pid);
/* A task with an empty mm (fork's start; no event of its own). */
int task_alloc(struct machine *m, const char *name, uint32_t *pid);
int do_mmap(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned prot, unsigned flags,
	    uint64_t *out);
/* The same with a file (its id, 0 for anonymous) at a byte offset. */
int do_mmap_file(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned prot, unsigned flags,
		 uint32_t file, uint64_t offset, uint64_t *out);
int do_munmap(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len);
int do_mprotect(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned prot);
int do_brk(struct machine *m, uint32_t pid, uint64_t brk, uint64_t *out);
/* VMA helpers shared with fork.c */
uint32_t vma_alloc(struct machine *m);
void vma_free(struct machine *m, uint32_t v);
int split_vma(struct machine *m, uint32_t pid, uint32_t v, uint64_t at);
uint32_t vma_try_merge(struct machine *m, uint32_t pid, uint32_t v);
/* Unmap v's pages, take it out of everything, free it (remove_vma). */
void remove_vma(struct machine *m, uint32_t pid, uint32_t v);
const char *vma_prot_text(unsigned flags, char *buf); /* "rw-p" */
/* What /proc/PID/maps calls a VMA: "/data/NAME", "[heap]", "[stack]" or
 * NULL (anonymous); buf holds at least 64 bytes (procs_proc.c). */
const char *vma_name(const struct machine *m, const struct mm_struct *mm, const struct vma *v, char *buf);

/* rmap.c */
int anon_vma_prepare(struct machine *m, uint32_t pid, uint32_t v);
void anon_vma_clone(struct machine *m, uint32_t dst, uint32_t src);
int anon_vma_fork(struct machine *m, uint32_t pid, uint32_t child_vma, uint32_t parent_vma);
void unlink_anon_vmas(struct machine *m, uint32_t v);
uint32_t anon_vma_id(const struct machine *m, uint32_t av);
struct rmap_hit { uint32_t pid; uint64_t va; };
/* Every (task, va) whose PTE maps pfn; emits an rmap_walk step per hit when
 * emit.  Returns how many; up to max stored in hits. */
unsigned rmap_walk(struct machine *m, uint32_t pfn, bool emit, struct rmap_hit *hits, unsigned max);
unsigned rmap_walk_const(const struct machine *m, uint32_t pfn, struct rmap_hit *hits, unsigned max);
/* try_to_migrate: every PTE mapping pfn becomes a migration entry, one
 * step each; the page's _mapcount drops to 0, rss stays.  Returns how many. */
unsigned try_to_migrate(struct machine *m, uint32_t pfn);
/* remove_migration_ptes: every migration entry naming src (found through
 * src's anon_vma or file) maps dst again, one step each.  Returns how many. */
unsigned remove_migration_ptes(struct machine *m, uint32_t src, uint32_t dst);

/* interval_tree.c: an anon_vma's chains by page range. */
typedef void (*avc_fn)(const struct machine *m, uint32_t avc, void *ctx);
void interval_tree_insert(struct machine *m, uint32_t node, uint32_t *root);
bool interval_tree_single(const struct machine *m, uint32_t root); /* one node only */
void interval_tree_remove(struct machine *m, uint32_t node, uint32_t *root);
void anon_vma_interval_tree_insert(struct machine *m, uint32_t avc, uint32_t av);
void anon_vma_interval_tree_remove(struct machine *m, uint32_t avc, uint32_t av);
/* Each node under root whose range holds index; returns how many. */
unsigned interval_tree_foreach(const struct machine *m, uint32_t root, uint64_t index, avc_fn fn, void *ctx);
/* Re-key a VMA's chains after its range or pgoff changed. */
void anon_vma_tree_pre_update(struct machine *m, uint32_t v);
void anon_vma_tree_post_update(struct machine *m, uint32_t v);

/* memory.c: PTEs of user pages, faults, teardown. */
struct fault_result {
	bool segv;       /* the access raised SIGSEGV */
	bool oom;        /* VM_FAULT_OOM: m->reason says why */
	bool faulted;    /* handle_mm_fault ran */
	bool major;      /* it read the page from the disk */
	int segv_reason; /* enum segv_reason */
	uint32_t pfn;
	uint64_t value;  /* what a read returned */
};
enum segv_reason { SEGV_NO_VMA, SEGV_ACCESS, SEGV_BUS, NR_SEGV };
extern const char *const segv_names[NR_SEGV];
int handle_access(struct machine *m, uint32_t pid, uint64_t va, enum pt_access acc, uint64_t value,
		  struct fault_result *r);
/* The PTE cell mapping va in mm (NULL if none), and its table offset. */
uint64_t *pte_lookup(const struct machine *m, uint32_t asid, uint64_t va, uint32_t *table);
/* Present leaves of [start, end), skipping empty tables. */
typedef void (*pte_fn)(struct machine *m, void *ctx, uint64_t va, uint64_t *pte, uint32_t table);
void walk_ptes(struct machine *m, uint32_t asid, uint64_t start, uint64_t end, pte_fn fn, void *ctx);
/* The same, visiting migration entries too (pgtable.h). */
void walk_ptes_migration(struct machine *m, uint32_t asid, uint64_t start, uint64_t end, pte_fn fn, void *ctx);
unsigned vma_pte_prot(const struct machine *m, unsigned vm_flags, bool writable);
uint64_t pte_wrprotect(const struct machine *m, uint64_t e);
bool pte_writable(const struct machine *m, uint64_t e);
/* zap_page_range: unmap every page of [start, end) of the VMA. */
void zap_page_range(struct machine *m, uint32_t pid, uint32_t v, uint64_t start, uint64_t end);
/* Drop one reference; the page goes back to the buddy at zero. */
void put_page(struct machine *m, uint32_t pfn);
/* Addresses gathered by a walk (vas_collect is a pte_fn whose ctx is one). */
struct vas {
	uint64_t *va;
	size_t n, cap;
};
void vas_collect(struct machine *m, void *ctx, uint64_t va, uint64_t *pte, uint32_t table);
/* Leaves of [start, end) that are swap entries (not none, not present). */
void walk_swap_ptes(struct machine *m, uint32_t asid, uint64_t start, uint64_t end, pte_fn fn, void *ctx);
/* swapoff's unuse_mm: bring every swap PTE of type in pid back in. */
int unuse_mm(struct machine *m, uint32_t pid, unsigned type);
uint64_t linear_page_index(const struct machine *m, const struct vma *v, uint64_t va);
/* change_protection for [start, end) of a VMA taking new_flags: first
 * (widen false) only what the PTEs lose, before the flags change; then
 * (widen true) what they gain, after. */
void change_protection(struct machine *m, uint32_t pid, uint32_t v, uint64_t start, uint64_t end,
		       unsigned new_flags, bool widen);
/* Reclaim's try_to_unmap_one: the PTE of pid at va goes, its dirty bit
 * passes to the page, and the mapping's reference is dropped. */
void try_to_unmap_one(struct machine *m, uint32_t pid, uint64_t va);
/* One more PTE of pid maps pfn: _mapcount, rss and NR_ANON_MAPPED. */
void rmap_add(struct machine *m, uint32_t pid, uint32_t pfn);
/* One PTE less (the reference stays). */
void rmap_remove(struct machine *m, uint32_t pid, uint32_t pfn);

/* filemap.c */
struct address_space *file_by_id(const struct machine *m, uint32_t id); /* NULL if none */
const char *file_name(const struct address_space *f, char *buf);        /* buf of 17 */
int file_create(struct machine *m, const char *name, uint64_t size, uint32_t *id);
/* MM_OK if a file of size bytes can be made, else why (fn names the call). */
int file_size_check(struct machine *m, const char *fn, uint64_t size);
/* shmem_zero_setup: the shmem object behind a shared anonymous mapping of
 * size bytes, made by pid's mmap; *id its file id. */
int shmem_zero_setup(struct machine *m, uint32_t pid, uint64_t size, uint32_t *id);
/* The last VMA of a shmem object went: its pages leave (shmem_evict_inode). */
void shmem_evict(struct machine *m, uint32_t foff);
/* The cached page of index, PFN_NONE if not cached. */
uint32_t filemap_lookup(const struct machine *m, const struct address_space *f, uint64_t index);
/* The page of index, read from the disk if not cached (*major then). */
int filemap_get_page(struct machine *m, uint32_t file, uint64_t index, uint32_t *pfn, bool *major);
/* Writeback: the disk now holds this content for the page at index. */
void filemap_write_back(struct machine *m, uint32_t file, uint64_t index, uint64_t content);
/* read(2) through the page cache: the pages' values, up to max of them. */
int file_read(struct machine *m, uint32_t id, uint64_t off, uint64_t len, uint64_t *values, unsigned max,
	      unsigned *npages, unsigned *from_disk);
/* __folio_migrate_mapping for a page cache page: its slot names dst. */
void filemap_migrate_slot(struct machine *m, uint32_t src, uint32_t dst);
void vma_link_file(struct machine *m, uint32_t v);
void vma_unlink_file(struct machine *m, uint32_t v);

/* fork.c */
int do_fork(struct machine *m, uint32_t pid, uint32_t *child);
int do_exit(struct machine *m, uint32_t pid);

/* procs_proc.c */
void proc_maps(const struct machine *m, unsigned pid, struct strbuf *out);
void proc_status(const struct machine *m, unsigned pid, struct strbuf *out);
void proc_smaps_rollup(const struct machine *m, unsigned pid, struct strbuf *out);
void proc_vmstat(const struct machine *m, struct strbuf *out);
/* "maps", "status", "smaps_rollup": -1 for an unknown name */
int mm_proc_pid(const struct machine *m, const char *name, unsigned pid, struct strbuf *out);
extern const char mm_proc_pid_names[];

#endif
