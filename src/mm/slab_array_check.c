/*
 * SLAB's invariants and /proc/slabinfo (mm/slab.c, Linux 6.7).
 * Invariants, per cache: the three lists well linked and counted, each
 * slab on the list its active count names (full: num, partial: between,
 * free: 0), free_slabs and total_slabs and free_objects equal to what the
 * lists hold, the arrays within their limits, every object accounted for
 * once (active objects = the callers' + the arrays'), no array entry that
 * is also free in its slab or held by a caller or twice in the arrays,
 * every slab's index array a set of distinct free objects, its frame a
 * slab head of the cache's order, its colour below the cache's.
 * slabinfo: get_slabinfo's columns with SLAB's real tunables (limit,
 * batchcount, sharedfactor) and slabdata (active_slabs are the slabs not
 * on slabs_free, sharedavail the shared array's count); active_objs counts
 * the objects in the arrays too, as the kernel's does.
 */
#include "slab_array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "xalloc.h"

#define FAIL(...) (snprintf(why, whylen, __VA_ARGS__), -1)

static int cmp_pair(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] != y[1] ? (x[1] < y[1] ? -1 : 1) : 0;
}

static int check_slab(const struct machine *m, uint32_t cache, uint32_t off, unsigned list, uint8_t *mark,
		      char *why, size_t whylen)
{
	const char *name = cache_name(m, cache);
	const struct slab_cachep *cp = cachep_of(m, cache);
	struct slab *s = slab_at(m, off);
	if (s->cache != cache || s->objects != cp->num || s->order != cp->gfporder)
		return FAIL("slab: %s: slab record 0x%x does not match its cache", name, off);
	unsigned want = s->inuse == cp->num ? AL_FULL : s->inuse == 0 ? AL_FREE : AL_PARTIAL;
	if (s->inuse > cp->num || want != list)
		return FAIL("slab: %s: slab %u with %u/%u active is on %s", name, s->pfn, s->inuse, cp->num,
			    aslab_list_names[list]);
	const struct frame *f = &m->frames[s->pfn];
	if (frame_state(f) != FS_SLAB || frame_order(f) != cp->gfporder || m->slub->pfn_owner[s->pfn] != off)
		return FAIL("slab: %s: the frame of slab %u is not an order-%u slab head of it", name, s->pfn,
			    cp->gfporder);
	const struct aslab_tail *t = aslab_tail(s);
	uint32_t s_mem = t->s_mem;
	if (s_mem % cp->colour_off || s_mem / cp->colour_off > (cp->colour ? cp->colour - 1 : 0))
		return FAIL("slab: %s: slab %u's objects start at +%u, not a colour of %u x %u", name, s->pfn, s_mem,
			    cp->colour, cp->colour_off);
	if (cp->mgmt == MGMT_OFF_SLAB &&
	    (slab_at(m, t->fl_slab)->cache != cp->freelist_cache || !slab_obj_used(slab_at(m, t->fl_slab), t->fl_idx)))
		return FAIL("slab: %s: slab %u's off-slab freelist is no live object of %s", name, s->pfn,
			    cache_name(m, cp->freelist_cache));
	memset(mark, 0, cp->num);
	for (uint32_t k = s->inuse; k < cp->num; k++) {
		uint32_t i = slab_fp(s)[k];
		if (i >= cp->num || mark[i])
			return FAIL("slab: %s: slab %u's freelist holds object %u %s", name, s->pfn, i,
				    i >= cp->num ? "beyond the slab" : "twice");
		mark[i] = 1;
		if (slab_obj_used(s, i))
			return FAIL("slab: %s: object %u of slab %u is free in its slab and held by a caller", name, i,
				    s->pfn);
	}
	return 0;
}

static int check_array(const struct machine *m, uint32_t cache, const struct array_cache *ac, const char *what,
		       char *why, size_t whylen)
{
	const char *name = cache_name(m, cache);
	if (ac->avail > ac->limit)
		return FAIL("slab: %s: the %s holds %u of %u", name, what, ac->avail, ac->limit);
	const uint32_t *e = ac_entry(m, ac);
	for (uint32_t k = 0; k < ac->avail; k++) {
		struct slab *s = slab_at(m, e[2 * k]);
		uint32_t i = e[2 * k + 1];
		if (e[2 * k] >= m->slub->arena.used || s->cache != cache || s->list == AL_NONE || i >= s->objects)
			return FAIL("slab: %s: entry %u of the %s is no object of the cache's slabs", name, k, what);
		if (slab_obj_used(s, i))
			return FAIL("slab: %s: object %u of slab %u is in the %s and held by a caller", name, i, s->pfn,
				    what);
		for (uint32_t f = s->inuse; f < s->objects; f++)
			if (slab_fp(s)[f] == i)
				return FAIL("slab: %s: object %u of slab %u is in the %s and free in its slab", name, i,
					    s->pfn, what);
	}
	return 0;
}

static int check_cache(const struct machine *m, uint32_t cache, uint8_t *mark, char *why, size_t whylen)
{
	const struct kmem_cache *c = cache_at(m, cache);
	const struct slab_cachep *cp = cachep_of(m, cache);
	const char *name = cache_name(m, cache);
	uint64_t active = 0, free_objects = 0, total = 0;
	for (unsigned l = AL_FULL; l < NR_ALISTS; l++) {
		uint32_t n = 0, prev = 0;
		for (uint32_t off = cp->head[l]; off; prev = off, off = slab_at(m, off)->next) {
			struct slab *s = slab_at(m, off);
			if (s->prev != prev || s->list != l || ++n > cp->count[l])
				return FAIL("slab: %s: %s is not well linked at slab %u", name, aslab_list_names[l], s->pfn);
			if (check_slab(m, cache, off, l, mark, why, whylen))
				return -1;
			active += s->inuse;
			free_objects += cp->num - s->inuse;
		}
		if (n != cp->count[l] || cp->tail[l] != prev)
			return FAIL("slab: %s: %s counts %u slabs, links %u", name, aslab_list_names[l], cp->count[l], n);
		total += n;
	}
	if (cp->free_slabs != cp->count[AL_FREE] || cp->total_slabs != total || c->nr_slabs != total ||
	    c->total_objects != total * cp->num)
		return FAIL("slab: %s: total_slabs %u, free_slabs %u, nr_slabs %u, but the lists hold %llu (%u free)",
			    name, cp->total_slabs, cp->free_slabs, c->nr_slabs, (unsigned long long)total,
			    cp->count[AL_FREE]);
	if (cp->free_objects != free_objects)
		return FAIL("slab: %s: free_objects is %u, the slabs have %llu free", name, cp->free_objects,
			    (unsigned long long)free_objects);
	if (check_array(m, cache, &cp->cpu, "CPU array", why, whylen) ||
	    check_array(m, cache, &cp->sh, "shared array", why, whylen))
		return -1;
	if (active != (uint64_t)c->inuse + cp->cpu.avail + cp->sh.avail)
		return FAIL("slab: %s: %llu objects active in slabs, but %u held + %u in the CPU array + %u shared",
			    name, (unsigned long long)active, c->inuse, cp->cpu.avail, cp->sh.avail);
	/* no object twice in the arrays */
	uint32_t n = cp->cpu.avail + cp->sh.avail;
	uint32_t *all = xmalloc(8 * (size_t)(n ? n : 1));
	memcpy(all, ac_entry(m, &cp->cpu), 8 * (size_t)cp->cpu.avail);
	if (cp->sh.avail)
		memcpy(all + 2 * cp->cpu.avail, ac_entry(m, &cp->sh), 8 * (size_t)cp->sh.avail);
	qsort(all, n, 8, cmp_pair);
	int dup = -1;
	for (uint32_t k = 1; k < n && dup < 0; k++)
		if (!cmp_pair(all + 2 * k, all + 2 * (k - 1)))
			dup = (int)k;
	uint32_t dslab = dup >= 0 ? all[2 * dup] : 0, didx = dup >= 0 ? all[2 * dup + 1] : 0;
	free(all);
	if (dup >= 0)
		return FAIL("slab: %s: object %u of slab %u is in the arrays twice", name, didx, slab_at(m, dslab)->pfn);
	if (cp->colour_next >= (cp->colour ? cp->colour : 1))
		return FAIL("slab: %s: colour_next %u, but the cache has %u colour(s)", name, cp->colour_next, cp->colour);
	return 0;
}

int check_aslab_caches(const struct machine *m, char *why, size_t whylen)
{
	uint8_t *mark = xmalloc(65536);
	int rc = 0;
	for (uint32_t c = slub_root(m)->caches; c && !rc; c = cache_at(m, c)->next)
		rc = check_cache(m, c, mark, why, whylen);
	free(mark);
	return rc;
}

void proc_slabinfo_slab(const struct machine *m, struct strbuf *out)
{
	slabinfo_header(out);
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		const struct slab_cachep *cp = cachep_of(m, c);
		uint32_t num_objs = cp->total_slabs * cp->num;
		slabinfo_line(out, cache_name(m, c),
			      (const uint32_t[11]){num_objs - cp->free_objects, num_objs, k->size, cp->num,
						   1u << cp->gfporder, cp->limit, cp->batchcount, cp->shared,
						   cp->total_slabs - cp->free_slabs, cp->total_slabs, cp->sh.avail});
	}
}
