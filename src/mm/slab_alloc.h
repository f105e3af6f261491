/*
 * The slab allocators behind one interface, as the kernel chose one of
 * mm/slub.c, mm/slab.c and mm/slob.c at build time (CONFIG_SLUB, CONFIG_SLAB,
 * CONFIG_SLOB) behind include/linux/slab.h.  Here machine{slab="slub"|"slab"|
 * "slob"} chooses at boot: the machine keeps a pointer to one row of
 * slab_allocators[] (slab_alloc.c), and slab_common.c's public functions
 * (slub.h: kmem_cache_create/alloc/free/destroy, kmalloc, kfree,
 * slub_lookup, check_slub, proc_slabinfo, slub_slab_pages) call through it.
 *
 * What slab_common.c does for every allocator (the rows need not):
 * - the arena, the cache-name table, the direct-map base (slub_init);
 * - kmem_cache_create's argument checks, the cache record and its event
 *   (the row only computes the geometry: layout);
 * - kmem_cache_destroy's checks (alive, not a kmalloc/boot cache, no live
 *   object), unlinking the cache and its event (the row returns its pages:
 *   release);
 * - kmem_cache_alloc/free's checks that the cache is alive, mm_op_begin and
 *   mm_op_end around the row's alloc and free;
 * - kmalloc(0) and GFP_DMA refusals.
 *
 * An object is named by two numbers, (slab, index): the arena offset of the
 * record of the pages it lives in and its position there (SLUB and SLAB: an
 * object index; SLOB: a unit offset in its page).  struct kobj carries them;
 * obj_addr turns them into an address and obj_stamps into the steps that
 * let a handle know it is stale.
 *
 * Records live in m->slub->arena (journaled).  Every row keeps its own root
 * record (SLUB: struct slub_root at offset 0, which also holds the cache
 * list every allocator uses).  Journal writes happen only inside an open
 * operation (between mm_op_begin and mm_op_end), as everywhere in mm.
 *
 * To plug in an allocator: write its rows' functions in its own file
 * (mm/slab.c's model in slab.c, mm/slob.c's in slob.c), define a
 * `const struct slab_allocator NAME_allocator`, and put its address in its
 * slot of slab_allocators[] in slab_alloc.c.  A NULL slot makes machine{}
 * refuse that name with slab_allocator_missing's message.
 */
#ifndef MM_SLAB_ALLOC_H
#define MM_SLAB_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct strbuf;
struct kobj;
struct kmem_cache_args;
struct layout;

/* mm_config.slab */
enum slab_allocator_id { SLAB_ALLOCATOR_SLUB, SLAB_ALLOCATOR_SLAB, SLAB_ALLOCATOR_SLOB, NR_SLAB_ALLOCATORS };

/* What a handle remembers of an object (obj_stamps fills it). */
struct obj_stamps {
	bool exists;           /* the slab record still describes live pages */
	uint32_t slab_born;    /* step the pages became this slab (a handle compares it) */
	uint32_t born, freed;  /* the object's last allocation and last free there */
};

struct slab_allocator {
	const char *name;   /* machine{slab=name} */
	const char *source; /* the kernel file and version modelled, for views and messages */
	/* After slab_common has made the arena and the root: the allocator's
	 * own records and its boot and kmalloc caches.  No journal: boot. */
	void (*init)(struct machine *m);
	/* kmem_cache_create: the geometry of objects of `size` bytes; 0, or -1
	 * when no block of the machine holds one (slab_common words it). */
	int (*layout)(struct machine *m, uint64_t size, const struct kmem_cache_args *a, struct layout *l);
	/* kmem_cache_alloc's path, inside an open operation: MM_OK with the
	 * object in (*slab, *index), or MM_NOMEM with m->reason and nothing
	 * changed. */
	int (*alloc)(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab, uint32_t *index);
	/* Before a free: MM_OK, or MM_EINVAL with m->error (double free, wrong
	 * cache) and nothing changed.  `what` names the caller. */
	int (*check_object)(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index, const char *what);
	/* kmem_cache_free's path, inside an open operation, object checked. */
	void (*free)(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index);
	/* kmem_cache_destroy, inside an open operation, the cache empty: its
	 * pages back to the buddy; returns how many slabs went. */
	uint32_t (*release)(struct machine *m, uint32_t cache);
	/* An address of a live object of the cache, for messages; 0: none. */
	uint64_t (*first_live)(const struct machine *m, uint32_t cache);
	/* The whole kmalloc operation (opens its own; size > 0, no zone
	 * modifier): MM_OK with *o, MM_NOMEM with m->reason. */
	int (*kmalloc)(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o);
	/* virt_to_slab: what addr is, 0 with *o; -1 with m->error. */
	int (*lookup)(struct machine *m, uint64_t addr, struct kobj *o);
	/* The whole kfree operation of what lookup found at addr (checks
	 * the object itself: MM_EINVAL with m->error, nothing changed). */
	int (*kfree)(struct machine *m, uint64_t addr, const struct kobj *o);
	uint64_t (*obj_addr)(const struct machine *m, uint32_t slab, uint32_t index);
	void (*obj_stamps)(const struct machine *m, uint32_t slab, uint32_t index, struct obj_stamps *st);
	/* Invariants (check.c runs them after every step in tests). */
	int (*check)(const struct machine *m, char *why, size_t whylen);
	/* /proc/slabinfo as this allocator printed it; NULL: it had none. */
	void (*slabinfo)(const struct machine *m, struct strbuf *out);
	/* Pages meminfo counts as Slab: SReclaimable (true) or SUnreclaim. */
	uint64_t (*slab_pages)(const struct machine *m, bool reclaimable);
};

/* By enum slab_allocator_id; NULL where an allocator is not modelled yet. */
extern const struct slab_allocator *const slab_allocators[NR_SLAB_ALLOCATORS];
extern const char *const slab_allocator_names[NR_SLAB_ALLOCATORS];
/* "slub" -> SLAB_ALLOCATOR_SLUB; -1 for no such name. */
int slab_allocator_by_name(const char *name);
/* 0 when id is plugged in; else -1 with why (machine_new's refusal). */
int slab_allocator_missing(unsigned id, char *why, size_t whylen);
/* The machine's allocator. */
const struct slab_allocator *slab_allocator(const struct machine *m);

extern const struct slab_allocator slub_allocator;

#endif
