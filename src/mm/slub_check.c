/*
 * Invariants of SLUB's caches (check_slub_caches, its check row), run after every step in tests:
 * - each list (CPU slab, node partial, full, the CPU's partial list) is
 *   well linked, its slabs belong to the cache and say they are on it; the
 *   counts count them; full slabs have no free object, slabs on the CPU's
 *   partial list at least one, and there are at most cpu_partial_slabs;
 * - a slab's freelist visits distinct objects inside the slab, exactly the
 *   free ones (objects - inuse of them), and never an allocated one;
 * - the slab's head frame is in state slab with the slab's order, and the
 *   pfn index names the slab there (so no two slabs share a pfn);
 * - the cache's nr_slabs, total_objects and inuse are the sums over its
 *   slabs; a destroyed cache is on no list;
 * - a live large kmalloc's block is a kmalloc-state head of its order that
 *   the pfn index names (large-kmalloc pages are not slab pages);
 * - the reverse: every frame in state slab is a listed slab's head, every
 *   frame in state kmalloc a live large kmalloc's, and the
 *   index holds exactly the listed slabs and the live large kmallocs (plus
 *   freed large records, kept to name a double free).
 */
#include "slab.h"

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
	if (slab_of_pfn(m, s->pfn) != off)
		FAIL("%s: slab 0x%x: the pfn index names another slab there (two slabs on one pfn?)", name, s->pfn);
	if (s->inuse > s->objects || (list == SL_FULL && s->inuse != s->objects) ||
	    (list == SL_CPU_PARTIAL && s->inuse == s->objects))
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

static int check_list(const struct machine *m, uint32_t cache, unsigned list, struct sums *sum, char *why,
		      size_t whylen)
{
	const struct kmem_cache *k = cache_at(m, cache);
	struct slab_chain l = cache_slab_list(k, list);
	uint32_t prev = 0, n = 0;
	for (uint32_t s = l.head; s; s = list == SL_CPU ? 0 : slab_at(m, s)->next) {
		if (++n > l.count)
			FAIL("%s: the %s list is longer than its count %u", cache_name(m, cache), slab_list_names[list],
			     l.count);
		if (list != SL_CPU && slab_at(m, s)->prev != prev)
			FAIL("%s: slab 0x%x has a wrong prev link", cache_name(m, cache), slab_at(m, s)->pfn);
		if (check_slab(m, cache, s, list, why, whylen))
			return -1;
		sum->slabs++;
		sum->objects += slab_at(m, s)->objects;
		sum->inuse += slab_at(m, s)->inuse;
		prev = s;
	}
	if (prev != l.tail || n != l.count)
		FAIL("%s: the %s list has %u slabs ending at 0x%x; count %u", cache_name(m, cache),
		     slab_list_names[list], n, prev, l.count);
	return 0;
}

static int check_large(const struct machine *m, uint32_t *live, char *why, size_t whylen)
{
	for (uint32_t o = slub_root(m)->large; o; o = large_at(m, o)->next) {
		const struct kmalloc_large *l = large_at(m, o);
		if (++*live > m->nr_frames)
			FAIL("the large kmalloc list loops");
		if (!l->alive || l->pfn >= m->nr_frames || frame_state(&m->frames[l->pfn]) != FS_KMALLOC ||
		    frame_order(&m->frames[l->pfn]) != l->order)
			FAIL("large kmalloc at pfn 0x%x: not a live order-%u kmalloc block", l->pfn, l->order);
		if (large_of_pfn(m, l->pfn) != o)
			FAIL("large kmalloc at pfn 0x%x: the pfn index does not name it", l->pfn);
	}
	return 0;
}

/* The reverse direction: frames and index entries back to the lists. */
static int check_frames(const struct machine *m, uint32_t slabs, uint32_t large, char *why, size_t whylen)
{
	uint32_t nslab = 0, nlarge = 0;
	for (uint32_t p = 0; p < m->nr_frames; p++) {
		uint32_t e = m->slub->pfn_owner[p];
		if (frame_state(&m->frames[p]) == FS_SLAB && !(e && !(e & OWNER_LARGE)))
			FAIL("pfn 0x%x is a slab frame but no slab starts there (a slab dropped without its pages?)", p);
		if (frame_state(&m->frames[p]) == FS_KMALLOC &&
		    !(e & OWNER_LARGE && large_at(m, e & ~OWNER_LARGE)->alive && large_at(m, e & ~OWNER_LARGE)->pfn == p))
			FAIL("pfn 0x%x is a kmalloc frame but no live large kmalloc starts there", p);
		if (!e)
			continue;
		if (e >= m->slub->arena.used)
			FAIL("pfn 0x%x: the pfn index points outside the slab records", p);
		if (e & OWNER_LARGE) {
			const struct kmalloc_large *l = large_at(m, e & ~OWNER_LARGE);
			nlarge += l->alive && l->pfn == p;
			continue;
		}
		const struct slab *s = slab_at(m, e);
		if (s->pfn != p || s->list == SL_NONE || frame_state(&m->frames[p]) != FS_SLAB)
			FAIL("pfn 0x%x: the pfn index names slab 0x%x, which is not a listed slab there", p, s->pfn);
		nslab++;
	}
	if (nslab != slabs || nlarge != large)
		FAIL("the pfn index holds %u slabs and %u large kmallocs; the lists %u and %u", nslab, nlarge, slabs,
		     large);
	return 0;
}

int check_slub_caches(const struct machine *m, char *why, size_t whylen)
{
	uint32_t slabs = 0, large = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		struct sums sum = {0};
		if (!k->alive)
			FAIL("cache %s is on the cache list but destroyed", cache_name(m, c));
		for (unsigned list = SL_CPU; list <= SL_CPU_PARTIAL; list++)
			if (check_list(m, c, list, &sum, why, whylen))
				return -1;
		if (k->nr_cpu_partial > k->cpu_partial_slabs)
			FAIL("%s: %u slabs on the CPU's partial list, more than cpu_partial_slabs %u", cache_name(m, c),
			     k->nr_cpu_partial, k->cpu_partial_slabs);
		if (sum.slabs != k->nr_slabs || sum.objects != k->total_objects || sum.inuse != k->inuse)
			FAIL("%s: counters say %u slabs, %u objects, %u in use; the slabs hold %u, %u, %u",
			     cache_name(m, c), k->nr_slabs, k->total_objects, k->inuse, sum.slabs, sum.objects,
			     sum.inuse);
		slabs += sum.slabs;
	}
	if (check_large(m, &large, why, whylen))
		return -1;
	return check_frames(m, slabs, large, why, whylen);
}
