/*
 * SLAB's per-CPU array caches, modelled on mm/slab.c of Linux 6.7 (the
 * last version before SLAB's removal in 6.8):
 * - ____cache_alloc pops the top of the CPU's array (LIFO: the most
 *   recently freed, cache-hot object); an empty array is refilled by
 *   cache_alloc_refill with batchcount objects (at most BATCHREFILL_LIMIT,
 *   16, while the array is untouched since the last reap): from the node's
 *   shared array (transfer_objects), else from slabs_partial then
 *   slabs_free (alloc_block; fixup_slab_list puts each slab at the head of
 *   slabs_full or slabs_partial), else a new slab (cache_grow).
 * - ___cache_free pushes on the array; a full array first loses its
 *   batchcount oldest entries (cache_flusharray) to the shared array while
 *   it has room, else to their slabs (free_block: an emptied slab goes to
 *   the head of slabs_free, another to the tail of slabs_partial; then
 *   slabs_free shrinks from its tail while free_objects > free_limit).
 * - cache_reap (every 2 s per CPU in the kernel, `slab_cache_reap` here):
 *   drain_array frees (limit + 4) / 5 entries of an array not touched
 *   since the last pass (half of it when it holds fewer), else only clears
 *   touched; then, if slabs_free was not touched, drain_freelist destroys
 *   up to (free_limit + 5 * num - 1) / (5 * num) free slabs.
 * - kmem_cache_destroy: __kmem_cache_shrink drains both arrays and every
 *   free slab.
 * Simplified: one node, no alien caches; every operation runs on CPU 0
 * (the other CPUs' arrays stay empty, but count in free_limit); the node's
 * reap runs on every pass (the kernel spaces it by REAPTIMEOUT_NODE); no
 * SLAB debugging (red zones, poisoning, STATS).  free_objects is lowered
 * by each alloc_block (the kernel lowers it once after its loop).
 */
#include "slab_array.h"

#include <stdio.h>
#include <string.h>

#include "slab_alloc.h"

/* ---- array entries ---- */

static void ac_set(struct machine *m, const struct array_cache *ac, uint32_t k, uint32_t slab, uint32_t idx)
{
	uint32_t *e = ac_entry(m, ac);
	jset32(&m->j, &e[2 * k], slab);
	jset32(&m->j, &e[2 * k + 1], idx);
}

/* entries [0, n) leave the array: the rest slides down (the kernel's memmove) */
static void ac_drop_bottom(struct machine *m, struct array_cache *ac, uint32_t n)
{
	uint32_t *e = ac_entry(m, ac);
	for (uint32_t k = n; k < ac->avail; k++) {
		jset32(&m->j, &e[2 * (k - n)], e[2 * k]);
		jset32(&m->j, &e[2 * (k - n) + 1], e[2 * k + 1]);
	}
	jset32(&m->j, &ac->avail, ac->avail - n);
}

/* transfer_objects: the top `max` of `from` onto the top of `to`. */
static uint32_t transfer_objects(struct machine *m, struct array_cache *to, struct array_cache *from, uint32_t max)
{
	uint32_t nr = from->avail < max ? from->avail : max;
	if (nr > to->limit - to->avail)
		nr = to->limit - to->avail;
	const uint32_t *e = ac_entry(m, from);
	for (uint32_t k = 0; k < nr; k++) {
		uint32_t src = from->avail - nr + k;
		ac_set(m, to, to->avail + k, e[2 * src], e[2 * src + 1]);
	}
	jset32(&m->j, &from->avail, from->avail - nr);
	jset32(&m->j, &to->avail, to->avail + nr);
	return nr;
}

/* ---- allocation ---- */

/* alloc_block + fixup_slab_list: up to `batch` objects of a listed slab
 * onto the CPU's array; returns how many it took. */
static uint32_t alloc_block(struct machine *m, uint32_t cache, uint32_t off, uint32_t batch)
{
	struct slab_cachep *cp = cachep_of(m, cache);
	struct slab *s = slab_at(m, off);
	uint32_t n = 0;
	for (; s->inuse < cp->num && n < batch; n++) {
		uint32_t i = aslab_get_obj(m, s);
		ac_set(m, &cp->cpu, cp->cpu.avail + n, off, i);
	}
	if (s->list == AL_FREE)
		jset32(&m->j, &cp->free_slabs, cp->free_slabs - 1);
	aslab_unlist(m, cp, off);
	aslab_list_add(m, cp, off, s->inuse == cp->num ? AL_FULL : AL_PARTIAL, false);
	jset32(&m->j, &cp->cpu.avail, cp->cpu.avail + n);
	jset32(&m->j, &cp->free_objects, cp->free_objects - n);
	EMIT(m, EV_ALLOC_BLOCK, cache_at(m, cache)->name, s->pfn, n, s->inuse, cp->num, s->list, cp->cpu.avail);
	return n;
}

/* cache_alloc_refill: MM_OK with objects in the CPU's array, or MM_NOMEM
 * with nothing changed (the grow is tried only when nothing was found). */
static int cache_alloc_refill(struct machine *m, uint32_t cache, uint32_t gfp)
{
	struct slab_cachep *cp = cachep_of(m, cache);
	uint32_t batch = cp->cpu.batchcount;
	if (!cp->cpu.touched && batch > BATCHREFILL_LIMIT)
		batch = BATCHREFILL_LIMIT;
	if (cp->free_objects || cp->sh.avail) {
		uint32_t n = cp->sh.limit ? transfer_objects(m, &cp->cpu, &cp->sh, batch) : 0;
		if (n) {
			jset32(&m->j, &cp->sh.touched, 1);
			EMIT(m, EV_AC_TRANSFER, cache_at(m, cache)->name, n, cp->cpu.avail, cp->sh.avail);
			return MM_OK;
		}
		/* get_first_slab: slabs_partial, then slabs_free */
		while (batch > 0) {
			uint32_t off = cp->head[AL_PARTIAL];
			if (!off) {
				jset32(&m->j, &cp->free_touched, 1);
				off = cp->head[AL_FREE];
			}
			if (!off)
				break;
			batch -= alloc_block(m, cache, off, batch);
		}
		if (cp->cpu.avail)
			return MM_OK;
	}
	uint32_t off;
	int rc = cache_grow(m, cache, gfp, &off);
	if (rc != MM_OK) {
		char why[sizeof m->reason];
		memcpy(why, m->reason, sizeof why);
		snprintf(m->reason, sizeof m->reason, "%s: no array, shared array or slab has a free object and the "
			 "buddy has no order-%u block: %s", cache_name(m, cache), cp->gfporder, why);
		return rc;
	}
	alloc_block(m, cache, off, batch);
	return MM_OK;
}

int aslab_alloc(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab, uint32_t *index)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct slab_cachep *cp = cachep_of(m, cache);
	if (!cp->cpu.avail) {
		int rc = cache_alloc_refill(m, cache, gfp);
		if (rc != MM_OK)
			return rc;
	}
	const uint32_t *e = ac_entry(m, &cp->cpu);
	uint32_t k = cp->cpu.avail - 1;
	*slab = e[2 * k];
	*index = e[2 * k + 1];
	jset32(&m->j, &cp->cpu.avail, k);
	jset32(&m->j, &cp->cpu.touched, 1);
	struct slab *s = slab_at(m, *slab);
	jset32(&m->j, &slab_obj_born(s)[*index], mm_next_step(m));
	jset32(&m->j, &c->inuse, c->inuse + 1);
	EMIT(m, EV_AC_ALLOC, c->name, (int64_t)slab_obj_addr(m, *slab, *index), s->pfn, cp->cpu.avail,
	     cp->cpu.limit);
	return MM_OK;
}

/* ---- freeing ---- */

/* free_block: `n` objects (copied out of an array already) back to their
 * slabs; then slabs_free shrinks to free_limit. */
static void free_block(struct machine *m, uint32_t cache, const uint32_t *objs, uint32_t n, unsigned why)
{
	struct slab_cachep *cp = cachep_of(m, cache);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t off = objs[2 * k];
		struct slab *s = slab_at(m, off);
		aslab_unlist(m, cp, off);
		aslab_put_obj(m, s, objs[2 * k + 1]);
		if (s->inuse == 0) {
			aslab_list_add(m, cp, off, AL_FREE, false);
			jset32(&m->j, &cp->free_slabs, cp->free_slabs + 1);
		} else {
			/* the tail: the longest wait for its other objects' frees */
			aslab_list_add(m, cp, off, AL_PARTIAL, true);
		}
	}
	jset32(&m->j, &cp->free_objects, cp->free_objects + n);
	EMIT(m, EV_FREE_BLOCK, cache_at(m, cache)->name, n, why, cp->free_objects, cp->free_limit, cp->free_slabs);
	while (cp->free_objects > cp->free_limit && cp->tail[AL_FREE])
		aslab_destroy(m, cache, cp->tail[AL_FREE], DESTROY_FREE_LIMIT);
}

/* The bottom `n` entries of an array go to free_block. */
static void drain_bottom(struct machine *m, uint32_t cache, struct array_cache *ac, uint32_t n, unsigned why)
{
	uint32_t objs[2 * 1024];
	while (n) {
		uint32_t chunk = n < 1024 ? n : 1024;
		memcpy(objs, ac_entry(m, ac), 8 * chunk);
		ac_drop_bottom(m, ac, chunk);
		free_block(m, cache, objs, chunk, why);
		n -= chunk;
	}
}

enum { FB_FLUSHARRAY, FB_DRAIN_ARRAY, FB_SHRINK };

/* cache_flusharray: the batchcount oldest entries to the shared array
 * while it has room, else to their slabs. */
static void cache_flusharray(struct machine *m, uint32_t cache)
{
	struct slab_cachep *cp = cachep_of(m, cache);
	uint32_t batch = cp->cpu.batchcount;
	if (cp->sh.limit && cp->sh.avail < cp->sh.limit) {
		uint32_t room = cp->sh.limit - cp->sh.avail;
		if (batch > room)
			batch = room;
		const uint32_t *e = ac_entry(m, &cp->cpu);
		for (uint32_t k = 0; k < batch; k++)
			ac_set(m, &cp->sh, cp->sh.avail + k, e[2 * k], e[2 * k + 1]);
		jset32(&m->j, &cp->sh.avail, cp->sh.avail + batch);
		ac_drop_bottom(m, &cp->cpu, batch);
		EMIT(m, EV_FLUSH_SHARED, cache_at(m, cache)->name, batch, cp->cpu.avail, cp->sh.avail, cp->sh.limit);
		return;
	}
	drain_bottom(m, cache, &cp->cpu, batch, FB_FLUSHARRAY);
}

void aslab_free(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct slab_cachep *cp = cachep_of(m, cache);
	if (cp->cpu.avail >= cp->cpu.limit)
		cache_flusharray(m, cache);
	struct slab *s = slab_at(m, slab);
	ac_set(m, &cp->cpu, cp->cpu.avail, slab, index);
	jset32(&m->j, &cp->cpu.avail, cp->cpu.avail + 1);
	jset32(&m->j, &slab_obj_freed(s)[index], mm_next_step(m));
	jset32(&m->j, &c->inuse, c->inuse - 1);
	EMIT(m, EV_AC_FREE, c->name, (int64_t)slab_obj_addr(m, slab, index), s->pfn, cp->cpu.avail, cp->cpu.limit);
}

/* ---- cache_reap ---- */

/* drain_array: an array touched since the last pass only loses the mark. */
static void drain_array(struct machine *m, uint32_t cache, struct array_cache *ac, unsigned which)
{
	if (!ac->limit || !ac->avail)
		return;
	if (ac->touched) {
		jset32(&m->j, &ac->touched, 0);
		EMIT(m, EV_AC_UNTOUCH, cache_at(m, cache)->name, which, ac->avail);
		return;
	}
	uint32_t tofree = (ac->limit + 4) / 5;
	if (tofree > ac->avail)
		tofree = (ac->avail + 1) / 2;
	drain_bottom(m, cache, ac, tofree, FB_DRAIN_ARRAY);
}

int slab_cache_reap(struct machine *m)
{
	if (slab_allocator(m) != &slab_allocator_6_7)
		return mm_error(m, "cache_reap is SLAB's (mm/slab.c): this machine runs %s (machine{slab=\"slab\"})",
				slab_allocator(m)->source);
	mm_op_begin(m);
	for (uint32_t cache = slub_root(m)->caches; cache; cache = cache_at(m, cache)->next) {
		struct slab_cachep *cp = cachep_of(m, cache);
		drain_array(m, cache, &cp->cpu, 0);
		drain_array(m, cache, &cp->sh, 1);
		if (cp->free_touched) {
			jset32(&m->j, &cp->free_touched, 0);
			EMIT(m, EV_FREE_UNTOUCH, cache_at(m, cache)->name, cp->free_slabs);
			continue;
		}
		uint32_t tofree = (cp->free_limit + 5 * cp->num - 1) / (5 * cp->num);
		for (uint32_t n = 0; n < tofree && cp->tail[AL_FREE]; n++)
			aslab_destroy(m, cache, cp->tail[AL_FREE], DESTROY_REAP);
	}
	mm_op_end(m);
	return MM_OK;
}

/* ---- the row ---- */

static void aslab_boot(struct machine *m)
{
	m->slub->kmalloc_min = SLAB_KMALLOC_MIN;
	/* kmem_cache_init: the kmem_cache cache, then the kmalloc caches
	 * (SLAB's kmem_cache_node structs come from a kmalloc cache).  The
	 * size is the model's estimate of 6.7's struct kmem_cache with SLAB
	 * and one node pointer: a 256-byte slot either way. */
	create_boot_cache(m, "kmem_cache", 208);
	create_kmalloc_caches(m);
}

static int aslab_check_object(struct machine *m, uint32_t cache, uint32_t slab, uint32_t i, const char *what)
{
	if (slab_check_object(m, cache, slab, i, what) == MM_OK)
		return MM_OK;
	/* ___cache_free checks nothing without debugging (only
	 * CONFIG_SLAB_FREELIST_HARDENED warns when the object is still on
	 * top of the array): the object would be handed out twice */
	if (slab_obj_freed(slab_at(m, slab))[i] && strstr(m->error, "double free")) {
		size_t n = strlen(m->error);
		snprintf(m->error + n, sizeof m->error - n, " (SLAB would not notice: in the array twice, it "
			 "would be handed out twice)");
	}
	return MM_EINVAL;
}

static uint32_t aslab_release(struct machine *m, uint32_t cache)
{
	struct slab_cachep *cp = cachep_of(m, cache);
	uint32_t slabs = cp->total_slabs;
	if (cp->cpu.avail)
		drain_bottom(m, cache, &cp->cpu, cp->cpu.avail, FB_SHRINK);
	if (cp->sh.avail)
		drain_bottom(m, cache, &cp->sh, cp->sh.avail, FB_SHRINK);
	while (cp->tail[AL_FREE])
		aslab_destroy(m, cache, cp->tail[AL_FREE], DESTROY_SHRINK);
	return slabs;
}

static uint64_t aslab_obj_addr(const struct machine *m, uint32_t slab, uint32_t i)
{
	struct slab *s = slab_at(m, slab);
	return slab_addr(m, slab) + aslab_tail(s)->s_mem + (uint64_t)i * cache_at(m, s->cache)->size;
}

static void aslab_obj_stamps(const struct machine *m, uint32_t slab, uint32_t i, struct obj_stamps *st)
{
	struct slab *s = slab_at(m, slab);
	*st = (struct obj_stamps){.exists = slab < m->slub->arena.used, .slab_born = s->born};
	if (st->exists && i < s->objects) {
		st->born = slab_obj_born(s)[i];
		st->freed = slab_obj_freed(s)[i];
	}
}

static uint64_t aslab_first_live(const struct machine *m, uint32_t cache)
{
	const struct slab_cachep *cp = cachep_of(m, cache);
	for (unsigned l = AL_FULL; l <= AL_PARTIAL; l++)
		for (uint32_t off = cp->head[l]; off; off = slab_at(m, off)->next)
			for (uint32_t i = 0; i < cp->num; i++)
				if (slab_obj_used(slab_at(m, off), i))
					return aslab_obj_addr(m, off, i);
	return 0;
}

/* virt_to_slab, then obj_to_index past the colour offset */
static int aslab_lookup(struct machine *m, uint64_t addr, struct kobj *o)
{
	uint64_t base = m->slub->direct_map;
	if (addr >= base && ((addr - base) >> m->page_shift) < m->nr_frames) {
		uint32_t head = block_head(m, (uint32_t)((addr - base) >> m->page_shift));
		uint32_t slab = head == PFN_NONE ? 0 : slab_of_pfn(m, head);
		if (slab) {
			struct slab *s = slab_at(m, slab);
			const struct kmem_cache *c = cache_at(m, s->cache);
			uint64_t first = slab_addr(m, slab) + aslab_tail(s)->s_mem;
			uint64_t i = addr >= first ? (addr - first) / c->size : UINT32_MAX;
			if (i >= s->objects)
				return mm_error(m, "0x%llx is in the colour or the unused tail of a slab of cache %s, "
						"not an object", (unsigned long long)addr, cache_name(m, s->cache));
			if ((addr - first) % c->size)
				return mm_error(m, "0x%llx is inside object 0x%llx of cache %s, not its start",
						(unsigned long long)addr,
						(unsigned long long)aslab_obj_addr(m, slab, (uint32_t)i),
						cache_name(m, s->cache));
			*o = (struct kobj){.cache = s->cache, .slab = slab, .index = (uint32_t)i};
			return 0;
		}
	}
	return kmalloc_large_lookup(m, addr, o);
}

static int aslab_kfree(struct machine *m, uint64_t addr, const struct kobj *o)
{
	if (o->large)
		return kfree_large(m, addr, o);
	if (cache_at(m, o->cache)->kmalloc != CACHE_KMALLOC)
		return mm_error(m, "0x%llx is an object of cache %s, which kmalloc did not return: "
				"free it with kmem_cache_free", (unsigned long long)addr, cache_name(m, o->cache));
	if (aslab_check_object(m, o->cache, o->slab, o->index, "kfree") != MM_OK)
		return MM_EINVAL;
	mm_op_begin(m);
	aslab_free(m, o->cache, o->slab, o->index);
	mm_op_end(m);
	return MM_OK;
}

/* Slab pages by the caches' counters, and large kmallocs. */
static uint64_t aslab_pages(const struct machine *m, bool reclaimable)
{
	uint64_t pages = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		if (!(cache_at(m, c)->flags & SLAB_RECLAIM_ACCOUNT) == !reclaimable)
			pages += (uint64_t)cachep_of(m, c)->total_slabs << cachep_of(m, c)->gfporder;
	if (!reclaimable)
		for (uint32_t k = slub_root(m)->large; k; k = large_at(m, k)->next)
			pages += 1u << large_at(m, k)->order;
	return pages;
}

const struct slab_allocator slab_allocator_6_7 = {
	.name = "slab",
	.source = "mm/slab.c, Linux 6.7",
	.init = aslab_boot,
	.layout = aslab_layout,
	.setup = aslab_setup,
	.alloc = aslab_alloc,
	.check_object = aslab_check_object,
	.free = aslab_free,
	.release = aslab_release,
	.first_live = aslab_first_live,
	.kmalloc = kmalloc_caches,
	.lookup = aslab_lookup,
	.kfree = aslab_kfree,
	.obj_addr = aslab_obj_addr,
	.obj_stamps = aslab_obj_stamps,
	.check = check_aslab_caches,
	.slabinfo = proc_slabinfo_slab,
	.slab_pages = aslab_pages,
};
