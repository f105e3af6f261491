/*
 * The object allocators on top of the buddy: SLUB's paths (slub.c), cache
 * geometry (slub_sizes.c), caches, flags and the kmalloc size classes
 * (slab_common.c), the invariants (slub_check.c), /proc/slabinfo
 * (slabinfo.c); slab.h is what they share inside.  The cache interface
 * (create, alloc, free, destroy and the counters below) is what a second
 * implementation (SLOB, the classic SLAB) would provide too.
 *
 * Every record lives in the machine's slab arena (journaled memory); records
 * refer to each other by arena offset, 0 meaning none (offset 0 holds the
 * root).
 */
#ifndef MM_SLUB_H
#define MM_SLUB_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"

#define OBJ_NONE UINT32_MAX /* end of a freelist */
#define MAX_OBJS_PER_PAGE 32767u
#define SLUB_MAX_ORDER 3u /* PAGE_ALLOC_COSTLY_ORDER */
#define CPU_PARTIAL_OBJECTS_MAX 128u /* the model's cap on cpu_partial */
#define CPU_PARTIAL_SLABS_MAX (2 * CPU_PARTIAL_OBJECTS_MAX)
#define KMALLOC_SHIFT_LOW 3u
#define KMALLOC_SHIFT_MAX 25u

enum slab_list { SL_NONE, SL_CPU, SL_PARTIAL, SL_FULL, SL_CPU_PARTIAL };

/* A cache's kmalloc field: made by kmem_cache_create, a kmalloc class, or
 * one of kmem_cache_init's boot caches. */
enum { CACHE_CREATED, CACHE_KMALLOC, CACHE_BOOT };

/* kmem_cache_create's flags: the kernel's names, the model's bits. */
#define SLAB_FLAGS(X)                                                                              \
	X(SLAB_HWCACHE_ALIGN, 0)   /* align objects to the cache line */                          \
	X(SLAB_TYPESAFE_BY_RCU, 1) /* freed objects stay readable until a grace period */        \
	X(SLAB_RECLAIM_ACCOUNT, 2) /* shrinkable: counted in SReclaimable */                    \
	X(SLAB_PANIC, 3)           /* a failed create panics */                                  \
	X(SLAB_ACCOUNT, 4)         /* charged to the memory cgroup (not modelled) */             \
	X(SLAB_NO_MERGE, 5)        /* never merged (the model never merges) */
enum {
#define SLAB_FLAG_ENUM(name, bit) name = 1u << (bit),
	SLAB_FLAGS(SLAB_FLAG_ENUM)
#undef SLAB_FLAG_ENUM
};

/* What kmem_cache_create takes besides a name and a size (the kernel's
 * struct kmem_cache_args, plus the model's min_partial override). */
struct kmem_cache_args {
	uint64_t align;
	uint32_t flags;
	bool ctor;                /* has a constructor */
	bool use_freeptr_offset;  /* SLAB_TYPESAFE_BY_RCU: the free pointer at freeptr_offset */
	uint32_t freeptr_offset;
	int min_partial;          /* -1: set_min_partial's rule */
	int cpu_partial;          /* objects on the per-CPU partial list; -1: set_cpu_partial's rule */
};

/* "SLAB_HWCACHE_ALIGN|SLAB_PANIC" (spaces allowed) to flags: 0, or -1 with
 * the offending name in bad. */
int slab_flags_parse(const char *s, uint32_t *flags, char *bad, size_t n);
/* The names of the flags set, joined by '|' ("" for none). */
void slab_flags_format(uint32_t flags, char *buf, size_t n);
extern const char *const slab_list_names[];

struct kmem_cache {
	uint32_t name;        /* index into the machine's cache-name table */
	uint32_t object_size; /* what the caller asked for */
	uint32_t size;        /* the slot: aligned, with the free pointer inside */
	uint32_t align, offset; /* offset: where a free object keeps its free pointer */
	uint32_t order, objects, min_partial;
	uint32_t kmalloc;     /* CACHE_KMALLOC or CACHE_BOOT: built in, never destroyed */
	uint32_t flags, ctor; /* SLAB_* flags; whether it has a constructor */
	uint32_t alive;
	uint32_t next;        /* the next older cache */
	uint32_t cpu_slab;    /* CPU 0's active slab */
	uint32_t partial, partial_tail, nr_partial; /* the node's partial list */
	uint32_t full, full_tail, nr_full;          /* full slabs (SLUB keeps them only when debugging) */
	/* CPU 0's partial slabs (slub_percpu_partial), newest first, and
	 * set_cpu_partial's limits: cpu_partial objects, so at most
	 * cpu_partial_slabs slabs (0: none kept, as cpu_partial=0 in sysfs) */
	uint32_t cpu_partial, cpu_partial_tail, nr_cpu_partial;
	uint32_t cpu_partial_objects, cpu_partial_slabs;
	uint32_t nr_slabs, total_objects, inuse;
	uint32_t spare;       /* slab records of discarded slabs, for reuse */
	uint32_t born, freed; /* steps of create and destroy */
};

/* A slab; its objects' cells follow it: free pointer, born, freed. */
struct slab {
	uint32_t cache;
	uint32_t pfn;
	uint32_t list;        /* enum slab_list */
	uint32_t prev, next;
	uint32_t order, objects; /* the cache's, or its minimum when the buddy had no bigger block */
	uint32_t inuse;
	uint32_t freelist;    /* first free object's index, OBJ_NONE if none */
	uint32_t born, freed; /* steps it came from and went back to the buddy */
};

/* A kmalloc too large for the caches: pages straight from the buddy. */
struct kmalloc_large {
	uint32_t pfn, order, size;
	uint32_t alive, born, freed;
	uint32_t next;        /* live ones, newest first; or the spare list */
};

struct slub_root {
	uint32_t caches;      /* newest first, as /proc/slabinfo lists them */
	uint32_t kmalloc[KMALLOC_SHIFT_MAX + 1]; /* by kmalloc_index */
	uint32_t large, large_spare;
};

/* Host-side: the arena and the names (append-only, not state: events
 * name caches by index long after a cache is gone or undone). */
struct slab_allocator;
struct slub {
	const struct slab_allocator *ops; /* machine{slab=}'s (slab_alloc.h) */
	struct arena arena;
	char **names;
	uint32_t nnames, capnames;
	uint32_t kmalloc_max; /* KMALLOC_MAX_CACHE_SIZE */
	uint64_t direct_map;  /* PAGE_OFFSET: virtual address of pfn 0 */
	/* Journaled, one cell per frame: what heads a block there, as
	 * virt_to_slab finds it through struct page: a slab record's offset,
	 * or a kmalloc_large record's offset | 1 (kept after its kfree, to
	 * name a double free); 0 for neither. */
	uint32_t *pfn_owner;
};

#define OWNER_LARGE 1u

/* The slab or large kmalloc whose block starts at pfn (0 if none). */
static inline uint32_t slab_of_pfn(const struct machine *m, uint32_t pfn)
{
	uint32_t e = m->slub->pfn_owner[pfn];
	return e & OWNER_LARGE ? 0 : e;
}
static inline uint32_t large_of_pfn(const struct machine *m, uint32_t pfn)
{
	uint32_t e = m->slub->pfn_owner[pfn];
	return e & OWNER_LARGE ? e & ~OWNER_LARGE : 0;
}

/* Boot: the arena, the boot caches (kmem_cache, kmem_cache_node) and the
 * kmalloc caches (create_kmalloc_caches); free. */
void slub_init(struct machine *m);
void slub_free(struct machine *m);

static inline struct slub_root *slub_root(const struct machine *m)
{
	return arena_ptr(&m->slub->arena, 0);
}
static inline void *slub_ptr(const struct machine *m, uint32_t off)
{
	return arena_ptr(&m->slub->arena, off);
}
static inline struct kmem_cache *cache_at(const struct machine *m, uint32_t off)
{
	return slub_ptr(m, off);
}
static inline struct slab *slab_at(const struct machine *m, uint32_t off)
{
	return slub_ptr(m, off);
}
static inline struct kmalloc_large *large_at(const struct machine *m, uint32_t off)
{
	return slub_ptr(m, off);
}
static inline uint32_t *slab_fp(struct slab *s) { return (uint32_t *)(s + 1); }
static inline uint32_t *slab_obj_born(struct slab *s) { return slab_fp(s) + s->objects; }
static inline uint32_t *slab_obj_freed(struct slab *s) { return slab_fp(s) + 2 * s->objects; }
/* Whether object i is allocated (stamps only grow along one history). */
static inline bool slab_obj_used(struct slab *s, uint32_t i)
{
	return slab_obj_born(s)[i] > slab_obj_freed(s)[i];
}

/* One of a cache's slab lists (SL_CPU: the CPU slab, a list of one). */
struct slab_chain {
	uint32_t head, tail, count;
};
static inline struct slab_chain cache_slab_list(const struct kmem_cache *c, unsigned list)
{
	switch (list) {
	case SL_CPU:
		return (struct slab_chain){c->cpu_slab, c->cpu_slab, c->cpu_slab != 0};
	case SL_PARTIAL:
		return (struct slab_chain){c->partial, c->partial_tail, c->nr_partial};
	case SL_FULL:
		return (struct slab_chain){c->full, c->full_tail, c->nr_full};
	case SL_CPU_PARTIAL:
		return (struct slab_chain){c->cpu_partial, c->cpu_partial_tail, c->nr_cpu_partial};
	}
	return (struct slab_chain){0, 0, 0};
}
/* Every slab of a cache: the CPU slab, the partial list, the full list,
 * the CPU's partial list. */
uint32_t cache_next_slab(const struct machine *m, uint32_t cache, uint32_t slab);
#define for_each_cache_slab(m, cache, s)                                                       \
	for (uint32_t s = cache_next_slab((m), (cache), 0); s; s = cache_next_slab((m), (cache), s))

const char *slub_name(const struct machine *m, uint32_t id);
const char *cache_name(const struct machine *m, uint32_t cache);
uint64_t slab_addr(const struct machine *m, uint32_t slab);
uint64_t slab_obj_addr(const struct machine *m, uint32_t slab, uint32_t i);

/* The computations of calculate_sizes / calculate_order. */
unsigned slub_min_objects(unsigned cpus);
/* Order for a slot of `size` bytes; -1 when no order of the machine fits it. */
int slub_calculate_order(uint32_t size, uint32_t page_size, unsigned cpus, unsigned max_order);
/* kmalloc_index: the class of a request (3 = 8 bytes, 1 = 96, 2 = 192). */
unsigned kmalloc_index(uint64_t size);
uint32_t kmalloc_class_size(unsigned index);
/* "kmalloc-96", "kmalloc-2k" */
void kmalloc_class_name(unsigned index, char *buf, unsigned n);

/* kmem_cache_*: MM_OK with the result, MM_NOMEM with m->reason, MM_EINVAL
 * with m->error (state unchanged). */
int kmem_cache_create_args(struct machine *m, const char *name, uint64_t size, const struct kmem_cache_args *a,
			   uint32_t *cache);
/* The same with only an alignment and min_partial (-1: the kernel's). */
int kmem_cache_create(struct machine *m, const char *name, uint64_t size, uint64_t align,
		      int min_partial, uint32_t *cache);
int kmem_cache_alloc(struct machine *m, uint32_t cache, uint32_t *slab, uint32_t *index);
int kmem_cache_free(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index);
int kmem_cache_destroy(struct machine *m, uint32_t cache);

/* What a kmalloc returned: a slab object or a large block. */
struct kobj {
	bool large;
	uint32_t cache, slab, index; /* slab objects */
	uint32_t rec;                /* large: the kmalloc_large record */
};
int kmalloc(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o);
/* kfree by address: finds the object as virt_to_slab does. */
int kfree(struct machine *m, uint64_t addr);
/* Find what an address is: 0 with *o set; -1 with m->error worded for fname. */
int slub_lookup(struct machine *m, uint64_t addr, struct kobj *o);

/* Live objects of a cache (for messages and views). */
uint32_t cache_live_objects(const struct machine *m, uint32_t cache);
/* meminfo's SReclaimable (reclaimable) and SUnreclaim (the other slabs
 * and large kmallocs). */
uint64_t slub_slab_pages(const struct machine *m, bool reclaimable);

/* Invariants of the machine's allocator (SLUB: lists, counters, frame
 * states, freelists). */
int check_slub(const struct machine *m, char *why, size_t whylen);

/* /proc/slabinfo as the machine's allocator prints it (SLUB: version 2.1) */
struct strbuf;
void proc_slabinfo(const struct machine *m, struct strbuf *out);

#endif
