/*
 * Invariants of the slab caches (check_slub), run after every step in tests:
 * - each list (CPU slab, partial, full) is well linked, its slabs belong to
 *   the cache and say they are on it; nr_partial and nr_full count them;
 *   full slabs have no free object, the CPU slab and partial slabs may;
 * - a slab's freelist visits distinct objects inside the slab, exactly the
 *   free ones (objects - inuse of them), and never an allocated one;
 * - the slab's head frame is in state slab with the slab's order;
 * - the cache's nr_slabs, total_objects and inuse are the sums over its
 *   slabs; a destroyed cache has none;
 * - a live large kmalloc's block is a slab-state head of its order.
 */
#include "slub.h"

#include <stdio.h>
#include <stdlib.h>

#define FAIL(...) return (snprintf(why, whylen, __VA_ARGS__), -1)

static int check_slab(const struct machine *m, uint32_t cache, uint32_t off, unsigned list, char *why,
		      size_t whylen)
{
	struct slab *s = slab_at(m, off);
	const char *name = cache_name(m, cache);
	if (s->cache != cache || s->list != list)
		FAIL("%s: slab 0x%x is on its %s list but records cache %s, list %s", name, s->pfn,
		     slab_list_names[list], cache_name(m, s->cache), slab_list_names[s->list]);
	if (s->pfn >= m->nr_frames || frame_state(&m->frames[s->pfn]) != FS_SLAB ||
	    frame_order(&m->frames[s->pfn]) != s->order)
		FAIL("%s: slab 0x%x: its head frame is not an order-%u slab frame", name, s->pfn, s->order);
	if (s->inuse > s->objects || (list == SL_FULL && s->inuse != s->objects))
		FAIL("%s: slab 0x%x on the %s list has %u of %u objects in use", name, s->pfn, slab_list_names[list],
		     s->inuse, s->objects);
	uint32_t n = 0;
	for (uint32_t i = s->freelist; i != OBJ_NONE; i = slab_fp(s)[i]) {
		if (i >= s->objects)
			FAIL("%s: slab 0x%x: the freelist points outside the slab (object %u)", name, s->pfn, i);
		if (slab_obj_used(s, i))
			FAIL("%s: slab 0x%x: allocated object %u is on the freelist", name, s->pfn, i);
		if (++n > s->objects - s->inuse)
			FAIL("%s: slab 0x%x: the freelist is longer than its %u free objects (a loop?)", name, s->pfn,
			     s->objects - s->inuse);
	}
	if (n != s->objects - s->inuse)
		FAIL("%s: slab 0x%x: %u objects on the freelist, %u free", name, s->pfn, n, s->objects - s->inuse);
	uint32_t used = 0;
	for (uint32_t i = 0; i < s->objects; i++)
		used += slab_obj_used(s, i);
	if (used != s->inuse)
		FAIL("%s: slab 0x%x: inuse %u but %u objects are allocated", name, s->pfn, s->inuse, used);
	return 0;
}

struct sums {
	uint32_t slabs, objects, inuse;
};

static int check_list(const struct machine *m, uint32_t cache, uint32_t head, uint32_t tail, uint32_t count,
		      unsigned list, struct sums *sum, char *why, size_t whylen)
{
	uint32_t prev = 0, n = 0;
	for (uint32_t s = head; s; s = slab_at(m, s)->next) {
		if (++n > count)
			FAIL("%s: the %s list is longer than its count %u", cache_name(m, cache), slab_list_names[list],
			     count);
		if (slab_at(m, s)->prev != prev)
			FAIL("%s: slab 0x%x has a wrong prev link", cache_name(m, cache), slab_at(m, s)->pfn);
		if (check_slab(m, cache, s, list, why, whylen))
			return -1;
		sum->slabs++;
		sum->objects += slab_at(m, s)->objects;
		sum->inuse += slab_at(m, s)->inuse;
		prev = s;
	}
	if (prev != tail || n != count)
		FAIL("%s: the %s list has %u slabs ending at 0x%x; count %u", cache_name(m, cache),
		     slab_list_names[list], n, prev, count);
	return 0;
}

int check_slub(const struct machine *m, char *why, size_t whylen)
{
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		struct sums sum = {0};
		if (!k->alive)
			FAIL("cache %s is on the cache list but destroyed", cache_name(m, c));
		if (k->cpu_slab) {
			if (check_slab(m, c, k->cpu_slab, SL_CPU, why, whylen))
				return -1;
			sum.slabs++;
			sum.objects += slab_at(m, k->cpu_slab)->objects;
			sum.inuse += slab_at(m, k->cpu_slab)->inuse;
		}
		if (check_list(m, c, k->partial, k->partial_tail, k->nr_partial, SL_PARTIAL, &sum, why, whylen) ||
		    check_list(m, c, k->full, k->full_tail, k->nr_full, SL_FULL, &sum, why, whylen))
			return -1;
		if (sum.slabs != k->nr_slabs || sum.objects != k->total_objects || sum.inuse != k->inuse)
			FAIL("%s: counters say %u slabs, %u objects, %u in use; the slabs hold %u, %u, %u",
			     cache_name(m, c), k->nr_slabs, k->total_objects, k->inuse, sum.slabs, sum.objects,
			     sum.inuse);
	}
	for (uint32_t o = slub_root(m)->large; o; o = ((struct kmalloc_large *)slub_ptr(m, o))->next) {
		const struct kmalloc_large *l = slub_ptr(m, o);
		if (!l->alive || l->pfn >= m->nr_frames || frame_state(&m->frames[l->pfn]) != FS_SLAB ||
		    frame_order(&m->frames[l->pfn]) != l->order)
			FAIL("large kmalloc at pfn 0x%x: not a live order-%u block", l->pfn, l->order);
	}
	return 0;
}
