/*
 * The classic SLAB allocator's records (mm/slab.c, Linux 6.7, the last
 * version before its removal in 6.8), shared by slab_grow.c (geometry,
 * tunables, new and destroyed slabs), slab_array.c (the array caches and
 * the row of slab_alloc.h) and slab_array_check.c (invariants, slabinfo).
 *
 * A SLAB slab's record starts with struct slab (slub.h) so that code
 * reading a slab's pfn, born and per-object stamps works for both: the
 * header's `inuse` is the kernel's slab->active, `list` one of enum
 * aslab_list, slab_fp() the freelist_idx_t array (free object indices at
 * positions active..num-1), then born[num], freed[num], then struct
 * aslab_tail.
 */
#ifndef MM_SLAB_ARRAY_H
#define MM_SLAB_ARRAY_H

#include "slab.h"

/* kmem_cache_node's three lists (AL_NONE: on none) */
enum aslab_list { AL_NONE, AL_FULL, AL_PARTIAL, AL_FREE, NR_ALISTS };
extern const char *const aslab_list_names[NR_ALISTS];

/* Where a slab keeps its freelist (cachep->flags' CFLGS_*). */
enum { MGMT_ON_SLAB, MGMT_OFF_SLAB, MGMT_OBJFREELIST };
extern const char *const aslab_mgmt_names[3];

#define SLAB_MAX_ORDER_HI 1u      /* slab_max_order above 32 MiB of RAM */
#define BATCHREFILL_LIMIT 16u
#define SLAB_OBJ_MIN_SIZE 16u     /* min(KMALLOC_MIN_SIZE, 16) */
#define SLAB_KMALLOC_MIN 32u      /* KMALLOC_MIN_SIZE: KMALLOC_SHIFT_LOW is 5 under SLAB */

/* struct array_cache: entries are object references, two cells each
 * (slab record, object index), at arena offset `entry`. */
struct array_cache {
	uint32_t avail, limit, batchcount, touched, entry;
};

/* The per-cache record (m->slub arena), kmem_cache->priv points here. */
struct slab_cachep {
	uint32_t mgmt, num, gfporder, colour, colour_off, idx_size, freelist_size, freelist_cache;
	uint32_t limit, batchcount, shared; /* the tunables */
	struct array_cache cpu;             /* CPU 0's (the model runs on CPU 0) */
	struct array_cache sh;              /* the node's shared array; limit 0: none */
	/* kmem_cache_node */
	uint32_t head[NR_ALISTS], tail[NR_ALISTS], count[NR_ALISTS];
	uint32_t total_slabs, free_slabs, free_objects, free_limit, colour_next, free_touched;
	uint32_t spare; /* records of destroyed slabs, for reuse */
};

/* After a slab's three arrays. */
struct aslab_tail {
	uint32_t s_mem;           /* colour offset of the first object in the slab */
	uint32_t fl_slab, fl_idx; /* OFF_SLAB: the kmalloc object holding the freelist */
	uint32_t pad;
};

static inline struct slab_cachep *cachep_of(const struct machine *m, uint32_t cache)
{
	return slub_ptr(m, cache_at(m, cache)->priv);
}
static inline struct aslab_tail *aslab_tail(struct slab *s)
{
	return (struct aslab_tail *)(slab_fp(s) + 3 * s->objects);
}
static inline uint32_t *ac_entry(const struct machine *m, const struct array_cache *ac)
{
	return slub_ptr(m, ac->entry);
}

/* slab_grow.c */
int aslab_layout(struct machine *m, uint64_t size, const struct kmem_cache_args *a, struct layout *l);
void aslab_setup(struct machine *m, uint32_t cache);
void aslab_list_add(struct machine *m, struct slab_cachep *cp, uint32_t off, unsigned list, bool tail);
void aslab_unlist(struct machine *m, struct slab_cachep *cp, uint32_t off);
/* cache_grow_begin/end: a new slab on slabs_free, or MM_NOMEM. */
int cache_grow(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab);
/* slab_destroy: off its list, off-slab freelist freed, pages to the buddy. */
void aslab_destroy(struct machine *m, uint32_t cache, uint32_t off, unsigned reason);
enum { DESTROY_FREE_LIMIT, DESTROY_REAP, DESTROY_SHRINK };
/* slab_get_obj / slab_put_obj */
uint32_t aslab_get_obj(struct machine *m, struct slab *s);
void aslab_put_obj(struct machine *m, struct slab *s, uint32_t i);

/* slab_array.c: the allocation and free paths (inside an open operation) */
int aslab_alloc(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab, uint32_t *index);
void aslab_free(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index);
/* cache_reap's pass over every cache (opens its own operation). */
int slab_cache_reap(struct machine *m);

/* slab_array_check.c */
int check_aslab_caches(const struct machine *m, char *why, size_t whylen);
void proc_slabinfo_slab(const struct machine *m, struct strbuf *out);

#endif
