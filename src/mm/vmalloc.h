/*
 * vmalloc: virtually contiguous areas in the arch's vmalloc range, backed
 * by order-0 pages from the buddy and mapped into the kernel's page tables
 * (vmalloc.c, vmalloc_tree.c, vmalloc_check.c).
 *
 * As in mm/vmalloc.c every range of the vmalloc space is a vmap_area in one
 * of the trees: busy (allocated), lazy (freed, waiting for the purge and its
 * TLB flush), free (reusable gaps, augmented with subtree_max_size).  A
 * freed area's record stays, in state dead, for the handles that name it.
 * Each tree also keeps its areas on an address-sorted list, as the kernel
 * kept vmap_area_list and free_vmap_area_list.
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include <stdint.h>

#include "arena.h"
#include "machine.h"

enum va_state { VA_SPARE, VA_FREE, VA_BUSY, VA_LAZY, VA_DEAD };

/* A vmap_area with its vm_struct.  In the arena: offsets link them, every
 * cell is written through the journal, and 64-bit cells are 8-aligned. */
struct vmap_area {
	uint64_t va_start, va_end;  /* [va_start, va_end): its pages and the guard page */
	uint64_t subtree_max_size;  /* free tree: the largest free area in this subtree */
	uint64_t size;              /* what the caller asked for */
	uint64_t phys_addr;         /* VM_IOREMAP: the device range mapped, else 0 */
	uint32_t left, right;       /* tree links */
	uint32_t prev, next;        /* the tree's address-sorted list */
	uint32_t state;             /* enum va_state */
	uint32_t npages;            /* pages the area spans, its guard page not counted */
	uint32_t nr_pages;          /* pages allocated so far */
	uint32_t nr_mapped;         /* of those, mapped into the kernel's tables */
	uint32_t pages;             /* arena offset of npages pfns (vm_struct.pages) */
	uint32_t pages_area;        /* the area pages[] was vmalloc'ed in (vpages), or 0 */
	uint32_t alive, born, freed;
	uint32_t flags;             /* VM_IOREMAP, or 0 for vmalloc */
};

#define VM_IOREMAP 0x1

/* One tree: its root and its address-sorted list. */
struct vmap_tree {
	uint32_t root, head, tail, nr;
};

struct vmalloc_root {
	struct vmap_tree busy, lazy, free;
	uint32_t nr_pages;  /* vmalloc_nr_pages() */
	uint32_t lazy_nr;   /* vmap_lazy_nr: pages of lazily freed areas */
	uint32_t kernel_mm; /* init_mm's id once made, else 0 */
	uint32_t spare;     /* recycled free-tree nodes, linked by next */
	uint32_t purges;    /* purges so far */
	uint32_t pad;
};

struct vmalloc {
	struct arena arena;
	uint64_t start, end; /* VMALLOC_START, VMALLOC_END + 1 (exclusive) */
	uint32_t lazy_max;   /* lazy_max_pages() */
	uint32_t ptr_size;   /* sizeof(struct page *): when pages[] outgrows a page */
};

void vmalloc_init(struct machine *m);
void vmalloc_free(struct machine *m);

static inline struct vmalloc_root *vmalloc_root(const struct machine *m)
{
	return arena_ptr(&m->vmalloc->arena, 0);
}
static inline struct vmap_area *vmap_at(const struct machine *m, uint32_t off)
{
	return arena_ptr(&m->vmalloc->arena, off);
}
static inline uint32_t *vmap_pages(const struct machine *m, const struct vmap_area *a)
{
	return arena_ptr(&m->vmalloc->arena, a->pages);
}
static inline uint64_t vmap_start(const struct vmap_area *a) { return a->va_start; }
static inline uint64_t vmap_size(const struct vmap_area *a) { return a->size; }
static inline uint64_t va_size(const struct vmap_area *a) { return a->va_end - a->va_start; }
/* One past the guard page. */
static inline uint64_t vmap_end(const struct machine *m, const struct vmap_area *a)
{
	(void)m;
	return a->va_end;
}

/* MM_OK with *area; MM_NOMEM with m->reason; MM_EINVAL with m->error. */
int vmalloc(struct machine *m, uint64_t size, uint32_t *area);
int vfree(struct machine *m, uint64_t addr);
/* get_vm_area_caller(size, VM_IOREMAP): an area of the vmalloc space for
 * a device range, with no pages; inside an operation.  MM_NOMEM with
 * m->reason.  vmap_put_io_area takes it down (remove_vm_area). */
int vmap_get_io_area(struct machine *m, uint64_t size, uint64_t phys, uint32_t *area);
void vmap_put_io_area(struct machine *m, uint32_t area);
/* vm_unmap_aliases: purge the lazily freed areas now. */
void vm_unmap_aliases(struct machine *m);
/* The area starting at addr, or 0 with m->error saying what addr is. */
uint32_t vmalloc_find(struct machine *m, uint64_t addr, const char *fname);
/* VMALLOC_TOTAL: VMALLOC_END - VMALLOC_START, with x86_64's inclusive end. */
uint64_t vmalloc_total(const struct machine *m);
/* Whether areas are mapped into page tables (the format can hold them). */
bool vmalloc_maps_pages(const struct machine *m);
/* A kernel TLB entry for va may be stale: its area is lazily freed and
 * the purge's flush is still to come (for the TLB checker). */
bool vmalloc_lazy_va(const struct machine *m, uint32_t asid, uint64_t va);
/* init_mm: the kernel's address space, made on first use (also by
 * highmem.c for the pkmap and fixmap PTEs). */
int vmalloc_kernel_mm(struct machine *m, uint32_t *id);
/* flush_tlb_kernel_range: page by page up to a ceiling, else everything. */
void flush_tlb_kernel_range(struct machine *m, uint64_t start, uint64_t end);
/* The entry vmalloc writes for a page (PAGE_KERNEL). */
uint64_t vmalloc_pte(const struct machine *m, uint32_t pfn);

/* The trees (vmalloc_tree.c). */
uint32_t va_floor(const struct machine *m, const struct vmap_tree *t, uint64_t addr);
void va_insert(struct machine *m, struct vmap_tree *t, uint32_t off);
void va_erase(struct machine *m, struct vmap_tree *t, uint32_t off);
/* An area of the free tree changed size: fix subtree_max_size above it. */
void va_propagate(struct machine *m, struct vmap_tree *t, uint32_t off);
/* find_vmap_lowest_match: the lowest free area of at least size, or 0. */
uint32_t va_lowest_match(const struct machine *m, const struct vmap_tree *t, uint64_t size);
/* merge_or_add_vmap_area: [start, end) becomes free, merged with its
 * neighbours; returns the free area that holds it. */
uint32_t va_merge_free(struct machine *m, uint64_t start, uint64_t end);
uint64_t va_prio(const struct machine *m, uint32_t off);

int check_vmalloc(const struct machine *m, char *why, size_t whylen);
struct strbuf;
void proc_vmallocinfo(const struct machine *m, struct strbuf *out);

#endif
