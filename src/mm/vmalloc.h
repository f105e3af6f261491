/*
 * vmalloc: virtually contiguous areas in the arch's vmalloc range, backed
 * by pages taken from the buddy one at a time (vmalloc.c).
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include <stdint.h>

#include "arena.h"
#include "machine.h"

/* A vmap_area with its vm_struct: npages mapped, then a guard page.  The
 * start is kept as two 32-bit cells (arena cells are 4-byte aligned). */
struct vmap_area {
	uint32_t va_lo, va_hi;
	uint32_t size_lo, size_hi; /* what the caller asked for */
	uint32_t npages;           /* pages the area spans, its guard page not counted */
	uint32_t nr_pages;         /* pages mapped so far (all of them once vmalloc returns) */
	uint32_t pages;            /* arena offset of npages pfns (the recorded mapping) */
	uint32_t next;             /* busy areas by address; or freed areas, newest first */
	uint32_t alive, born, freed;
};

struct vmalloc_root {
	uint32_t busy;  /* vmap_area_list: by address */
	uint32_t dead;  /* freed areas, newest first (for messages) */
	uint32_t nr_pages; /* vmalloc_nr_pages() */
	uint32_t kernel_mm; /* init_mm's id once the first area made it, else 0 */
};

struct vmalloc {
	struct arena arena;
	uint64_t start, end; /* VMALLOC_START, VMALLOC_END (exclusive) */
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
static inline uint64_t vmap_start(const struct vmap_area *a) { return (uint64_t)a->va_hi << 32 | a->va_lo; }
static inline uint64_t vmap_size(const struct vmap_area *a) { return (uint64_t)a->size_hi << 32 | a->size_lo; }
/* One past the guard page. */
uint64_t vmap_end(const struct machine *m, const struct vmap_area *a);

/* MM_OK with *area; MM_NOMEM with m->reason; MM_EINVAL with m->error. */
int vmalloc(struct machine *m, uint64_t size, uint32_t *area);
int vfree(struct machine *m, uint64_t addr);
/* The area starting at addr, or 0 with m->error saying what addr is. */
uint32_t vmalloc_find(struct machine *m, uint64_t addr, const char *fname);

int check_vmalloc(const struct machine *m, char *why, size_t whylen);
struct strbuf;
void proc_vmallocinfo(const struct machine *m, struct strbuf *out);

#endif
