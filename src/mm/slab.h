/*
 * Inside the object allocators (as the kernel's mm/slab.h): what slub.c,
 * slab_common.c and slub_sizes.c share and nobody else calls.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include "slub.h"

/* A cache's geometry, as calculate_sizes and calculate_order leave it. */
struct layout {
	uint32_t size, align, offset, order, objects, min_partial;
	uint32_t cpu_partial_objects, cpu_partial_slabs;
};

/* slub_sizes.c */
unsigned slub_get_order(uint64_t bytes, uint32_t page_size);
/* 0, or -1 when no block of the machine holds one object. */
int slub_calculate_sizes(struct machine *m, uint64_t object_size, const struct kmem_cache_args *args,
			 struct layout *l);
uint32_t slub_calculate_alignment(const struct machine *m, uint32_t flags, uint64_t align, uint64_t size);

#define CACHE_LINE_SIZE 64 /* cache_line_size(): L1_CACHE_BYTES on x86 and arm64 */

/* slab_common.c */
unsigned slub_pointer_size(const struct machine *m);
void create_boot_cache(struct machine *m, const char *name, uint32_t size);
void create_kmalloc_caches(struct machine *m);
/* kmalloc through the kmalloc-N caches (SLUB's and SLAB's kmalloc row). */
int kmalloc_caches(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o);
/* SLUB's slab_pages row: slabs of the caches' lists and large kmallocs. */
uint64_t slub_pages(const struct machine *m, bool reclaimable);

/* 0, or MM_EINVAL with m->error naming `what` when the cache was destroyed. */
int cache_check_alive(struct machine *m, uint32_t cache, const char *what);

/* slub.c: the paths; callers open the operation. */
int slab_alloc(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab, uint32_t *index);
void discard_slab(struct machine *m, uint32_t cache, uint32_t off);
int kmalloc_large(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o);

/* slub_check.c, slabinfo.c: SLUB's rows */
int check_slub_caches(const struct machine *m, char *why, size_t whylen);
void proc_slabinfo_slub(const struct machine *m, struct strbuf *out);

#endif
