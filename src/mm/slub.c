/*
 * SLUB's paths, modelled on mm/slub.c (Linux 6.18):
 * - kmem_cache_alloc: slab_alloc_node takes the CPU slab's first free
 *   object; when it has none, ___slab_alloc drops it from the CPU
 *   (c->slab = NULL: a full slab is on no list) and takes a slab off the
 *   node's partial list (get_partial), or a new slab from the buddy
 *   (new_slab / allocate_slab, falling back to the smallest order that holds
 *   one object when the buddy has no block of the cache's order).  A new
 *   slab's freelist threads its objects in address order.
 * - kmem_cache_free: __slab_free pushes the object on its own slab's
 *   freelist; a full slab that gets a free goes onto the head of the CPU's
 *   partial list (put_cpu_partial; when that list already holds
 *   cpu_partial_slabs, __put_partials first moves them all to the node's
 *   partial list, discarding empty ones beyond min_partial).  With
 *   cpu_partial 0, a slab left empty goes back to the buddy (discard_slab)
 *   when the node already has min_partial partial slabs (compared before
 *   the slab joins the list), else a full slab goes onto the node's
 *   partial list's tail.  Slabs on the CPU's lists take frees in place.
 * - refills: the CPU's partial list first (slub_percpu_partial), then the
 *   node's (get_partial_node, which also moves slabs onto the CPU's list
 *   until it holds more than half of cpu_partial_slabs).
 * - kfree: virt_to_slab finds the slab from the address's page (here a
 *   per-frame index), else the page is a large kmalloc (kmalloc_large, the
 *   large_kmalloc page type) whose block goes back to the buddy.
 * Simplified: one node, and every operation runs on CPU 0 (cpus only feeds
 * the order rule); no lockless second freelist on the CPU, no sheaves (6.18
 * has them for caches that ask), no freelist randomisation, no debugging
 * metadata; the full list is slub_debug's (SLAB_STORE_USER), kept so that
 * the views can show full slabs.
 */
#include "slab.h"
#include "slab_alloc.h"

#include <stdio.h>
#include <string.h>

#include "gfp.h"
#include "page_alloc.h"

/* "full" is slub_debug's list (SLAB_STORE_USER): SLUB proper keeps full
 * slabs on no list; the model keeps it so that views can show them. */
const char *const slab_list_names[] = {"none", "cpu", "partial", "full (debug)", "cpu partial"};

/* ---- slab lists ---- */

/* The cells of a node list (partial, or slub_debug's full). */
struct list_cells {
	uint32_t *head, *tail, *count;
};

static struct list_cells list_cells(struct kmem_cache *c, unsigned list)
{
	if (list == SL_PARTIAL)
		return (struct list_cells){&c->partial, &c->partial_tail, &c->nr_partial};
	if (list == SL_CPU_PARTIAL)
		return (struct list_cells){&c->cpu_partial, &c->cpu_partial_tail, &c->nr_cpu_partial};
	return (struct list_cells){&c->full, &c->full_tail, &c->nr_full};
}

/* put_cpu_partial pushes on the head: the CPU's partial list is LIFO */
static void list_add_head(struct machine *m, struct kmem_cache *c, unsigned list, uint32_t off)
{
	struct list_cells l = list_cells(c, list);
	struct slab *s = slab_at(m, off);
	jset32(&m->j, &s->prev, 0);
	jset32(&m->j, &s->next, *l.head);
	jset32(&m->j, *l.head ? &slab_at(m, *l.head)->prev : l.tail, off);
	jset32(&m->j, l.head, off);
	jset32(&m->j, l.count, *l.count + 1);
	jset32(&m->j, &s->list, list);
}

/* add_partial(…, DEACTIVATE_TO_TAIL) and add_full */
static void list_add_tail(struct machine *m, struct kmem_cache *c, unsigned list, uint32_t off)
{
	struct list_cells l = list_cells(c, list);
	struct slab *s = slab_at(m, off);
	jset32(&m->j, &s->prev, *l.tail);
	jset32(&m->j, &s->next, 0);
	jset32(&m->j, *l.tail ? &slab_at(m, *l.tail)->next : l.head, off);
	jset32(&m->j, l.tail, off);
	jset32(&m->j, l.count, *l.count + 1);
	jset32(&m->j, &s->list, list);
}

/* Off whichever list holds it (the CPU slab, remove_partial, remove_full). */
static void slab_unlist(struct machine *m, struct kmem_cache *c, uint32_t off)
{
	struct slab *s = slab_at(m, off);
	if (s->list == SL_CPU) {
		jset32(&m->j, &c->cpu_slab, 0);
	} else if (s->list != SL_NONE) {
		struct list_cells l = list_cells(c, s->list);
		uint32_t prev = s->prev, next = s->next;
		jset32(&m->j, prev ? &slab_at(m, prev)->next : l.head, next);
		jset32(&m->j, next ? &slab_at(m, next)->prev : l.tail, prev);
		jset32(&m->j, &s->prev, 0);
		jset32(&m->j, &s->next, 0);
		jset32(&m->j, l.count, *l.count - 1);
	}
	jset32(&m->j, &s->list, SL_NONE);
}

uint32_t cache_next_slab(const struct machine *m, uint32_t cache, uint32_t slab)
{
	unsigned list = SL_CPU;
	if (slab) {
		const struct slab *s = slab_at(m, slab);
		if (s->list != SL_CPU && s->next)
			return s->next;
		list = s->list + 1;
	}
	for (; list <= SL_CPU_PARTIAL; list++) {
		uint32_t head = cache_slab_list(cache_at(m, cache), list).head;
		if (head)
			return head;
	}
	return 0;
}

/* ---- new and discarded slabs ---- */

static uint32_t slab_record(struct machine *m, uint32_t cache, uint32_t objects)
{
	struct kmem_cache *c = cache_at(m, cache);
	/* a spare record of the cache's own order has room for `objects` */
	for (uint32_t *link = &c->spare; *link; link = &slab_at(m, *link)->next) {
		struct slab *s = slab_at(m, *link);
		if (s->objects != objects)
			continue;
		uint32_t off = *link;
		jset32(&m->j, link, s->next);
		jset32(&m->j, &s->next, 0);
		for (uint32_t i = 0; i < 3 * objects; i++)
			jset32(&m->j, &slab_fp(s)[i], 0);
		return off;
	}
	uint32_t off = arena_alloc(m, &m->slub->arena, (uint32_t)sizeof(struct slab) + 12 * objects);
	jset32(&m->j, &slab_at(m, off)->objects, objects);
	return off;
}

/* allocate_slab, first half: pages from the buddy at the cache's order,
 * else at the smallest order that holds one object. */
static int slab_pages(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *pfn, uint32_t *order)
{
	struct kmem_cache *c = cache_at(m, cache);
	*order = c->order;
	int rc = alloc_pages(m, *order, gfp, -1, pfn);
	unsigned min_order = slub_get_order(c->size, m->cfg.page_size);
	if (rc == MM_NOMEM && min_order < *order) {
		*order = min_order;
		rc = alloc_pages(m, *order, gfp, -1, pfn);
	}
	return rc;
}

/* allocate_slab, second half: the slab with its freelist in address order,
 * made the CPU slab. */
static uint32_t new_slab(struct machine *m, uint32_t cache, uint32_t pfn, uint32_t order)
{
	struct kmem_cache *c = cache_at(m, cache);
	uint32_t objects = (uint32_t)(((uint64_t)m->cfg.page_size << order) / c->size);
	uint32_t off = slab_record(m, cache, objects);
	struct slab *s = slab_at(m, off);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_SLAB, order));
	jset32(&m->j, &m->slub->pfn_owner[pfn], off);
	jset32(&m->j, &s->cache, cache);
	jset32(&m->j, &s->pfn, pfn);
	jset32(&m->j, &s->order, order);
	jset32(&m->j, &s->inuse, 0);
	jset32(&m->j, &s->born, mm_next_step(m));
	jset32(&m->j, &s->freed, 0);
	for (uint32_t i = 0; i < objects; i++)
		jset32(&m->j, &slab_fp(s)[i], i + 1 < objects ? i + 1 : OBJ_NONE);
	jset32(&m->j, &s->freelist, 0);
	jset32(&m->j, &c->nr_slabs, c->nr_slabs + 1);
	jset32(&m->j, &c->total_objects, c->total_objects + objects);
	jset32(&m->j, &c->cpu_slab, off);
	jset32(&m->j, &s->list, SL_CPU);
	EMIT(m, EV_NEW_SLAB, c->name, pfn, order, objects);
	return off;
}

/* discard_slab: off every list, pages back to the buddy. */
void discard_slab(struct machine *m, uint32_t cache, uint32_t off)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct slab *s = slab_at(m, off);
	slab_unlist(m, c, off);
	jset32(&m->j, &c->nr_slabs, c->nr_slabs - 1);
	jset32(&m->j, &c->total_objects, c->total_objects - s->objects);
	jset32(&m->j, &s->freed, mm_next_step(m));
	jset32(&m->j, &s->next, c->spare);
	jset32(&m->j, &c->spare, off);
	uint32_t pfn = s->pfn;
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, s->order));
	jset32(&m->j, &m->slub->pfn_owner[pfn], 0);
	EMIT(m, EV_SLAB_DISCARD, c->name, pfn, s->order, s->objects);
	free_pages(m, pfn, -1);
}

/* ---- allocation ---- */

static void take_object(struct machine *m, uint32_t cache, uint32_t off, uint32_t *index)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct slab *s = slab_at(m, off);
	uint32_t i = s->freelist;
	jset32(&m->j, &s->freelist, slab_fp(s)[i]);
	jset32(&m->j, &slab_fp(s)[i], 0);
	jset32(&m->j, &slab_obj_born(s)[i], mm_next_step(m));
	jset32(&m->j, &s->inuse, s->inuse + 1);
	jset32(&m->j, &c->inuse, c->inuse + 1);
	EMIT(m, EV_SLAB_ALLOC, c->name, (int64_t)slab_obj_addr(m, off, i), s->pfn, i, s->inuse, s->objects);
	*index = i;
}

/* A slab off its list becomes the CPU slab. */
static struct slab *make_cpu_slab(struct machine *m, struct kmem_cache *c, uint32_t off)
{
	struct slab *s = slab_at(m, off);
	slab_unlist(m, c, off);
	jset32(&m->j, &c->cpu_slab, off);
	jset32(&m->j, &s->list, SL_CPU);
	return s;
}

int slab_alloc(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab, uint32_t *index)
{
	struct kmem_cache *c = cache_at(m, cache);
	uint32_t cpu = c->cpu_slab;
	if (cpu && slab_at(m, cpu)->freelist == OBJ_NONE) {
		/* ___slab_alloc: the CPU slab is exhausted; it leaves the CPU
		 * (c->slab = NULL) before a partial or new slab is sought, so a
		 * failing buddy leaves the CPU with no slab.  Full slabs are on
		 * no list; the model keeps slub_debug's full list to show them. */
		slab_unlist(m, c, cpu);
		list_add_tail(m, c, SL_FULL, cpu);
		EMIT(m, EV_SLAB_FULL, c->name, slab_at(m, cpu)->pfn, c->nr_full);
		cpu = 0;
	}
	if (!cpu) {
		uint32_t pfn = 0, order = 0;
		if (!c->cpu_partial && !c->partial) {
			int rc = slab_pages(m, cache, gfp, &pfn, &order);
			if (rc != MM_OK) {
				char why[sizeof m->reason];
				memcpy(why, m->reason, sizeof why);
				snprintf(m->reason, sizeof m->reason, "%s: no slab has room and the buddy has none: %s",
					 cache_name(m, cache), why);
				return rc;
			}
		}
		if (c->cpu_partial) {
			/* slub_percpu_partial: the CPU's own partial slabs first */
			struct slab *s = make_cpu_slab(m, c, cpu = c->cpu_partial);
			EMIT(m, EV_CPU_PARTIAL_ALLOC, c->name, s->pfn, s->objects - s->inuse, c->nr_cpu_partial);
		} else if (c->partial) {
			struct slab *s = make_cpu_slab(m, c, cpu = c->partial);
			EMIT(m, EV_GET_PARTIAL, c->name, s->pfn, s->objects - s->inuse, c->nr_partial);
			/* get_partial_node goes on filling the CPU's partial list
			 * until it holds more than half of cpu_partial_slabs */
			for (uint32_t n = 0; c->cpu_partial_slabs && c->partial;) {
				uint32_t next = c->partial;
				slab_unlist(m, c, next);
				list_add_head(m, c, SL_CPU_PARTIAL, next);
				EMIT(m, EV_CPU_PARTIAL_PUT, c->name, slab_at(m, next)->pfn, c->nr_cpu_partial,
				     c->cpu_partial_slabs);
				if (++n > c->cpu_partial_slabs / 2)
					break;
			}
		} else {
			cpu = new_slab(m, cache, pfn, order);
		}
	}
	*slab = cpu;
	take_object(m, cache, cpu, index);
	return MM_OK;
}

/* ---- freeing ---- */

static int check_object(struct machine *m, uint32_t cache, uint32_t slab, uint32_t i, const char *what)
{
	struct slab *s = slab_at(m, slab);
	uint64_t addr = slab_obj_addr(m, slab, i);
	if (s->cache != cache)
		return mm_error(m, "%s: object 0x%llx belongs to cache %s, not to cache %s", what,
				(unsigned long long)addr, cache_name(m, s->cache), cache_name(m, cache));
	if (!slab_obj_used(s, i)) {
		uint32_t freed = slab_obj_freed(s)[i];
		if (freed)
			return mm_error(m, "%s: double free: object 0x%llx of cache %s was freed at step %u", what,
					(unsigned long long)addr, cache_name(m, cache), freed);
		return mm_error(m, "%s: object 0x%llx of cache %s is free: it was never allocated", what,
				(unsigned long long)addr, cache_name(m, cache));
	}
	return MM_OK;
}

/*
 * __put_partials: every slab of the CPU's partial list goes to the node's
 * partial list (newest first, to its tail), an empty one marked for
 * discard_slab instead when the node already has min_partial.  The moves
 * are records of the caller's step; the caller emits put_partials and
 * discards the marked slabs after it.
 */
static uint32_t put_partials(struct machine *m, struct kmem_cache *c, uint32_t *discard, uint32_t *nd)
{
	uint32_t moved = 0, np = c->nr_partial;
	*nd = 0;
	for (uint32_t s; (s = c->cpu_partial); moved++) {
		if (!slab_at(m, s)->inuse && np >= c->min_partial)
			discard[(*nd)++] = s;
		else
			np++;
		slab_unlist(m, c, s);
		list_add_tail(m, c, SL_PARTIAL, s);
	}
	return moved;
}

static void cache_free(struct machine *m, uint32_t cache, uint32_t slab, uint32_t i)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct slab *s = slab_at(m, slab);
	bool was_full = s->list == SL_FULL;
	uint32_t nr_partial = c->nr_partial; /* what __slab_free compares, before any move */
	jset32(&m->j, &slab_fp(s)[i], s->freelist);
	jset32(&m->j, &s->freelist, i);
	jset32(&m->j, &slab_obj_freed(s)[i], mm_next_step(m));
	jset32(&m->j, &s->inuse, s->inuse - 1);
	jset32(&m->j, &c->inuse, c->inuse - 1);
	if (s->list == SL_CPU || s->list == SL_CPU_PARTIAL) {
		/* the CPU's slabs take frees without list moves, even empty */
		EMIT(m, EV_SLAB_FREE, c->name, (int64_t)slab_obj_addr(m, slab, i), s->pfn, i, s->inuse, s->objects);
		return;
	}
	if (was_full && c->cpu_partial_slabs) {
		/* put_cpu_partial: a full slab that gets a free goes onto the
		 * CPU's partial list; a full list first drains to the node */
		uint32_t discard[CPU_PARTIAL_SLABS_MAX], nd = 0, moved = 0;
		slab_unlist(m, c, slab);
		if (c->nr_cpu_partial >= c->cpu_partial_slabs)
			moved = put_partials(m, c, discard, &nd);
		list_add_head(m, c, SL_CPU_PARTIAL, slab);
		EMIT(m, EV_SLAB_FREE, c->name, (int64_t)slab_obj_addr(m, slab, i), s->pfn, i, s->inuse, s->objects);
		EMIT(m, EV_CPU_PARTIAL_PUT, c->name, s->pfn, c->nr_cpu_partial, c->cpu_partial_slabs);
		if (moved)
			EMIT(m, EV_CPU_PARTIAL_DRAIN, c->name, moved, nd, c->nr_partial - nd);
		for (uint32_t k = 0; k < nd; k++)
			discard_slab(m, cache, discard[k]);
		return;
	}
	/* decided before a full slab joins the partial list, as __slab_free does */
	bool discard = s->inuse == 0 && nr_partial >= c->min_partial;
	if (was_full) {
		/* A full slab with a free object is not full from this step on:
		 * it joins the partial list (cpu_partial is 0), or, when it is
		 * to be discarded, waits there for discard_slab, so that no
		 * step shows a full slab with a free object. */
		slab_unlist(m, c, slab);
		list_add_tail(m, c, SL_PARTIAL, slab);
	}
	EMIT(m, EV_SLAB_FREE, c->name, (int64_t)slab_obj_addr(m, slab, i), s->pfn, i, s->inuse, s->objects);
	if (was_full && !discard)
		EMIT(m, EV_SLAB_PARTIAL, c->name, s->pfn, s->objects - s->inuse, c->nr_partial);
	if (s->inuse == 0)
		EMIT(m, EV_SLAB_EMPTY, c->name, s->pfn, nr_partial, c->min_partial, discard);
	if (discard)
		discard_slab(m, cache, slab);
}

/* ---- kmalloc ---- */

static uint32_t large_record(struct machine *m)
{
	struct slub_root *r = slub_root(m);
	uint32_t off = r->large_spare;
	if (off) {
		struct kmalloc_large *k = large_at(m, off);
		jset32(&m->j, &r->large_spare, k->next);
		return off;
	}
	return arena_alloc(m, &m->slub->arena, sizeof(struct kmalloc_large));
}

int kmalloc_large(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o)
{
	unsigned order = slub_get_order(size, m->cfg.page_size);
	uint64_t bytes = (uint64_t)m->cfg.page_size << order;
	if (order >= m->max_order) {
		snprintf(m->reason, sizeof m->reason,
			 "kmalloc(%llu) is more than the largest block (order %u) can hold",
			 (unsigned long long)size, m->max_order - 1);
		return MM_NOMEM;
	}
	mm_op_begin(m);
	uint32_t pfn;
	int rc = alloc_pages(m, order, gfp, -1, &pfn);
	if (rc == MM_OK) {
		/* the large_kmalloc page type: not a slab page (kfree tests
		 * folio_test_slab first), and not the buddy's to free */
		jset32(&m->j, &m->frames[pfn].info, frame_info(FS_KMALLOC, order));
		uint32_t off = large_record(m);
		struct kmalloc_large *k = large_at(m, off);
		struct slub_root *r = slub_root(m);
		jset32(&m->j, &k->pfn, pfn);
		jset32(&m->j, &k->order, order);
		jset32(&m->j, &k->size, (uint32_t)size);
		jset32(&m->j, &k->alive, 1);
		jset32(&m->j, &k->born, mm_next_step(m));
		jset32(&m->j, &k->freed, 0);
		jset32(&m->j, &k->next, r->large);
		jset32(&m->j, &r->large, off);
		jset32(&m->j, &m->slub->pfn_owner[pfn], off | OWNER_LARGE);
		/* last, so that every record above belongs to this step */
		EMIT(m, EV_KMALLOC_LARGE, (int64_t)size, order, pfn, (int64_t)(bytes - size));
		*o = (struct kobj){.large = true, .rec = off};
	}
	mm_op_end(m);
	return rc;
}

static int slub_virt_to_slab(struct machine *m, uint64_t addr, struct kobj *o)
{
	unsigned long long a = (unsigned long long)addr;
	uint64_t base = m->slub->direct_map;
	if (addr < base || ((addr - base) >> m->page_shift) >= m->nr_frames)
		return mm_error(m, "0x%llx is not an address kmalloc returned (not in the direct map)", a);
	uint32_t pfn = (uint32_t)((addr - base) >> m->page_shift);
	uint32_t head = block_head(m, pfn);
	uint32_t slab = head == PFN_NONE ? 0 : slab_of_pfn(m, head);
	if (slab) {
		struct slab *s = slab_at(m, slab);
		struct kmem_cache *c = cache_at(m, s->cache);
		uint64_t off = addr - slab_addr(m, slab);
		uint32_t i = (uint32_t)(off / c->size);
		if (i >= s->objects)
			return mm_error(m, "0x%llx is in the unused tail of a slab of cache %s, not an object", a,
					cache_name(m, s->cache));
		if (off % c->size)
			return mm_error(m, "0x%llx is inside object 0x%llx of cache %s, not its start", a,
					(unsigned long long)slab_obj_addr(m, slab, i), cache_name(m, s->cache));
		*o = (struct kobj){.cache = s->cache, .slab = slab, .index = i};
		return 0;
	}
	uint32_t k = head == PFN_NONE ? 0 : large_of_pfn(m, head);
	const struct kmalloc_large *l = k ? large_at(m, k) : NULL;
	bool live = l && l->alive && l->pfn == head;
	if (live && addr == base + ((uint64_t)head << m->page_shift)) {
		*o = (struct kobj){.large = true, .rec = k};
		return 0;
	}
	if (live)
		return mm_error(m, "0x%llx is inside the large kmalloc block at 0x%llx, not its start", a,
				(unsigned long long)(base + ((uint64_t)head << m->page_shift)));
	/* a freed record stays in the index until its pages serve a slab */
	if (l && !l->alive && l->pfn == head && addr == base + ((uint64_t)head << m->page_shift))
		return mm_error(m, "double free: the large kmalloc block 0x%llx was freed at step %u", a, l->freed);
	return mm_error(m, "0x%llx is not an address kmalloc returned (pfn 0x%x is %s memory)", a, pfn,
			head == PFN_NONE ? "no" : frame_state_names[frame_state(&m->frames[head])]);
}

static int slub_kfree(struct machine *m, uint64_t addr, const struct kobj *op)
{
	struct kobj o = *op;
	if (o.large) {
		struct kmalloc_large *k = large_at(m, o.rec);
		struct slub_root *r = slub_root(m);
		mm_op_begin(m);
		for (uint32_t *link = &r->large; *link; link = &large_at(m, *link)->next)
			if (*link == o.rec) {
				jset32(&m->j, link, k->next);
				break;
			}
		jset32(&m->j, &k->alive, 0);
		jset32(&m->j, &k->freed, mm_next_step(m));
		jset32(&m->j, &k->next, r->large_spare);
		jset32(&m->j, &r->large_spare, o.rec);
		jset32(&m->j, &m->frames[k->pfn].info, frame_info(FS_ALLOC, k->order));
		EMIT(m, EV_KFREE_LARGE, (int64_t)addr, k->pfn, k->order);
		free_pages(m, k->pfn, -1);
		mm_op_end(m);
		return MM_OK;
	}
	if (cache_at(m, o.cache)->kmalloc != CACHE_KMALLOC)
		return mm_error(m, "0x%llx is an object of cache %s, which kmalloc did not return: "
				"free it with kmem_cache_free", (unsigned long long)addr, cache_name(m, o.cache));
	if (check_object(m, o.cache, o.slab, o.index, "kfree") != MM_OK)
		return MM_EINVAL;
	mm_op_begin(m);
	cache_free(m, o.cache, o.slab, o.index);
	mm_op_end(m);
	return MM_OK;
}

/* kmem_cache_destroy: every slab of the (empty) cache back to the buddy. */
static uint32_t slub_release(struct machine *m, uint32_t cache)
{
	uint32_t slabs = cache_at(m, cache)->nr_slabs;
	for (uint32_t s; (s = cache_next_slab(m, cache, 0));)
		discard_slab(m, cache, s);
	return slabs;
}

static uint64_t slub_obj_addr(const struct machine *m, uint32_t slab, uint32_t i)
{
	return slab_addr(m, slab) + (uint64_t)i * cache_at(m, slab_at(m, slab)->cache)->size;
}

static void slub_obj_stamps(const struct machine *m, uint32_t slab, uint32_t i, struct obj_stamps *st)
{
	struct slab *s = slab_at(m, slab);
	*st = (struct obj_stamps){.exists = slab < m->slub->arena.used, .slab_born = s->born};
	if (st->exists && i < s->objects) {
		st->born = slab_obj_born(s)[i];
		st->freed = slab_obj_freed(s)[i];
	}
}

static uint64_t slub_first_live(const struct machine *m, uint32_t cache)
{
	for_each_cache_slab(m, cache, off)
		for (uint32_t i = 0; i < slab_at(m, off)->objects; i++)
			if (slab_obj_used(slab_at(m, off), i))
				return slub_obj_addr(m, off, i);
	return 0;
}

/*
 * kmem_cache_init's boot caches, then create_kmalloc_caches.  The boot
 * caches have the sizes of a 6.18 x86_64 kernel on one node (232 and 72
 * bytes) on every arch, SLAB_HWCACHE_ALIGN: 256- and 128-byte slots, as
 * /sys/kernel/slab shows.  Simplified: the model's cache records live
 * outside the simulated memory, so these caches hold no objects (a kernel
 * allocates each cache's struct kmem_cache from the first and its per-node
 * structs from the second).
 */
static void slub_boot(struct machine *m)
{
	/* bootstrap() makes kmem_cache, then kmem_cache_node */
	create_boot_cache(m, "kmem_cache", 232);
	create_boot_cache(m, "kmem_cache_node", 72);
	create_kmalloc_caches(m);
}

static int slub_layout(struct machine *m, uint64_t size, const struct kmem_cache_args *a, struct layout *l)
{
	return slub_calculate_sizes(m, size, a, l);
}

const struct slab_allocator slub_allocator = {
	.name = "slub",
	.source = "mm/slub.c, Linux 6.18",
	.init = slub_boot,
	.layout = slub_layout,
	.alloc = slab_alloc,
	.check_object = check_object,
	.free = cache_free,
	.release = slub_release,
	.first_live = slub_first_live,
	.kmalloc = kmalloc_caches,
	.lookup = slub_virt_to_slab,
	.kfree = slub_kfree,
	.obj_addr = slub_obj_addr,
	.obj_stamps = slub_obj_stamps,
	.check = check_slub_caches,
	.slabinfo = proc_slabinfo_slub,
	.slab_pages = slub_pages,
};
