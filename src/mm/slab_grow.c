/*
 * SLAB's cache geometry and its slabs' lives, modelled on mm/slab.c of
 * Linux 6.7 (the last version before SLAB's removal in 6.8):
 * - __kmem_cache_create: the slot rounded to a word and to the alignment
 *   (at least SLAB_OBJ_MIN_SIZE with one-byte indices), colour_off the
 *   cache line (or the alignment if larger); then where the freelist lives:
 *   set_objfreelist_slab_cache (in a free object, when there is no
 *   constructor, no SLAB_TYPESAFE_BY_RCU and the index array fits in an
 *   object), else set_off_slab_cache (in a kmalloc object, when the slab's
 *   leftover cannot hold it and the kmalloc slot is at most half an
 *   object), else on the slab (its end).  calculate_slab_order and
 *   cache_estimate pick the order (stopping at slab_max_order, 1 above
 *   32 MiB of RAM, or when the waste is at most 1/8); colour is
 *   leftover / colour_off.
 * - enable_cpucache's tunables: limit 1, 8, 24, 54 or 120 by slot size,
 *   batchcount (limit + 1) / 2, shared 8 on machines of several CPUs for
 *   slots up to a page (the node's shared array holds shared * batchcount);
 *   free_limit (1 + CPUs) * batchcount + num (init_cache_node).
 * - cache_grow_begin / cache_grow_end: pages from the buddy, the colour
 *   offset colour_next * colour_off (colour_next cycling below colour),
 *   the freelist (alloc_slabmgmt), the index array in address order
 *   (cache_init_objs, no randomisation); slab_destroy.
 * - slab_get_obj / slab_put_obj: the index array as a stack of the free
 *   objects' indices above `active`.
 * Simplified: one node; the model's slab joins slabs_free as cache_grow
 *   ends before alloc_block takes its objects (the kernel takes them first
 *   and lists it once), which ends in the same lists.
 */
#include "slab_array.h"

#include <stdio.h>
#include <string.h>

#include "gfp.h"
#include "page_alloc.h"
#include "slab_alloc.h"

const char *const aslab_list_names[NR_ALISTS] = {"none", "full", "partial", "free"};
const char *const aslab_mgmt_names[3] = {"on-slab", "off-slab", "objfreelist"};

/* freelist_idx_t: one byte when a page holds at most 256 objects of
 * SLAB_OBJ_MIN_SIZE (FREELIST_BYTE_INDEX), else two. */
static uint32_t idx_size(const struct machine *m)
{
	return (m->cfg.page_size >> 8) <= SLAB_OBJ_MIN_SIZE ? 1 : 2;
}

static uint32_t slab_max_order(const struct machine *m)
{
	uint64_t bytes = (uint64_t)m->nr_frames * m->cfg.page_size;
	return bytes > (32ull << 20) ? SLAB_MAX_ORDER_HI : 0;
}

struct geometry {
	uint32_t size, align, mgmt, num, gfporder, left, colour_off, freelist_cache;
};

/* cache_estimate: objects per slab of `order` and what is left over. */
static uint32_t cache_estimate(const struct machine *m, unsigned order, uint32_t size, unsigned mgmt,
			       uint32_t *left)
{
	uint64_t bytes = (uint64_t)m->cfg.page_size << order;
	uint64_t per = mgmt == MGMT_ON_SLAB ? size + idx_size(m) : size;
	*left = (uint32_t)(bytes % per);
	return (uint32_t)(bytes / per);
}

/* kmalloc_slab(bytes): the kmalloc cache that would serve it, 0 if none yet. */
static uint32_t kmalloc_slab(const struct machine *m, uint32_t bytes)
{
	if (bytes > m->slub->kmalloc_max)
		return 0;
	return slub_root(m)->kmalloc[kmalloc_index(bytes < SLAB_KMALLOC_MIN ? SLAB_KMALLOC_MIN : bytes)];
}

/* calculate_slab_order: 0 when no order gives an acceptable slab. */
static uint32_t calculate_slab_order(const struct machine *m, struct geometry *g, unsigned mgmt, uint32_t flags)
{
	uint32_t max_num = (1u << (8 * idx_size(m))) - 1; /* SLAB_OBJ_MAX_NUM */
	g->num = 0;
	for (unsigned order = 0; order < m->max_order; order++) {
		uint32_t left, num = cache_estimate(m, order, g->size, mgmt, &left);
		if (!num)
			continue;
		if (num > max_num)
			break;
		uint32_t flc = 0;
		if (mgmt == MGMT_OFF_SLAB) {
			uint32_t fsize = num * idx_size(m), flc_size;
			if (fsize > m->slub->kmalloc_max) {
				flc_size = m->cfg.page_size << slub_get_order(fsize, m->cfg.page_size);
			} else {
				flc = kmalloc_slab(m, fsize);
				/* a freelist cache that is itself off-slab could loop in cache_grow */
				if (!flc || cachep_of(m, flc)->mgmt == MGMT_OFF_SLAB)
					continue;
				flc_size = cache_at(m, flc)->size;
			}
			if (flc_size > g->size / 2) /* not worth it */
				continue;
		}
		g->num = num;
		g->gfporder = order;
		g->left = left;
		g->freelist_cache = flc;
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;
		if (order >= slab_max_order(m))
			break;
		if ((uint64_t)left * 8 <= ((uint64_t)m->cfg.page_size << order))
			break;
	}
	return g->num;
}

static int geometry(const struct machine *m, uint64_t object_size, uint32_t flags, bool ctor, uint64_t align,
		    struct geometry *g)
{
	unsigned word = slub_pointer_size(m);
	g->align = slub_calculate_alignment(m, flags, align, object_size);
	g->colour_off = CACHE_LINE_SIZE > g->align ? CACHE_LINE_SIZE : g->align;
	uint64_t size = (object_size + word - 1) / word * word;
	size = (size + g->align - 1) / g->align * g->align;
	if (idx_size(m) == 1 && size < SLAB_OBJ_MIN_SIZE)
		size = (SLAB_OBJ_MIN_SIZE + g->align - 1) / g->align * g->align;
	if (size > ((uint64_t)m->cfg.page_size << (m->max_order - 1)))
		return -1;
	g->size = (uint32_t)size;
	/* set_objfreelist_slab_cache */
	if (!ctor && !(flags & SLAB_TYPESAFE_BY_RCU) && calculate_slab_order(m, g, MGMT_OBJFREELIST, flags) &&
	    g->num * idx_size(m) <= object_size) {
		g->mgmt = MGMT_OBJFREELIST;
		return 0;
	}
	/* set_off_slab_cache: off-slab only when the leftover cannot hold
	 * the index array (else it goes on-slab at the cost of a colour) */
	if (calculate_slab_order(m, g, MGMT_OFF_SLAB, flags) && g->left < g->num * idx_size(m)) {
		g->mgmt = MGMT_OFF_SLAB;
		return 0;
	}
	if (calculate_slab_order(m, g, MGMT_ON_SLAB, flags)) {
		g->mgmt = MGMT_ON_SLAB;
		g->freelist_cache = 0;
		return 0;
	}
	return -1;
}

int aslab_layout(struct machine *m, uint64_t size, const struct kmem_cache_args *a, struct layout *l)
{
	struct geometry g;
	if (geometry(m, size, a->flags, a->ctor, a->align, &g) != 0)
		return -1;
	*l = (struct layout){.size = g.size, .align = g.align, .order = g.gfporder, .objects = g.num};
	return 0;
}

/* enable_cpucache */
static uint32_t cpucache_limit(const struct machine *m, uint32_t size)
{
	if (size > 131072)
		return 1;
	if (size > m->cfg.page_size)
		return 8;
	if (size > 1024)
		return 24;
	if (size > 256)
		return 54;
	return 120;
}

/* __kmem_cache_create's record and setup_cpu_cache / enable_cpucache. */
void aslab_setup(struct machine *m, uint32_t cache)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct geometry g;
	geometry(m, c->object_size, c->flags, c->ctor, c->align, &g);
	uint32_t off = arena_alloc(m, &m->slub->arena, sizeof(struct slab_cachep));
	struct slab_cachep *cp = slub_ptr(m, off);
	struct journal *j = &m->j;
	jset32(j, &c->priv, off);
	uint32_t limit = cpucache_limit(m, c->size), batch = (limit + 1) / 2;
	uint32_t shared = c->size <= m->cfg.page_size && m->cfg.cpus > 1 ? 8 : 0;
	jset32(j, &cp->mgmt, g.mgmt);
	jset32(j, &cp->num, g.num);
	jset32(j, &cp->gfporder, g.gfporder);
	jset32(j, &cp->colour_off, g.colour_off);
	jset32(j, &cp->colour, g.left / g.colour_off);
	jset32(j, &cp->idx_size, idx_size(m));
	jset32(j, &cp->freelist_size, g.num * idx_size(m));
	jset32(j, &cp->freelist_cache, g.mgmt == MGMT_OFF_SLAB ? g.freelist_cache : 0);
	jset32(j, &cp->limit, limit);
	jset32(j, &cp->batchcount, batch);
	jset32(j, &cp->shared, shared);
	jset32(j, &cp->cpu.limit, limit);
	jset32(j, &cp->cpu.batchcount, batch);
	jset32(j, &cp->cpu.entry, arena_alloc(m, &m->slub->arena, 8 * limit));
	if (shared) {
		jset32(j, &cp->sh.limit, shared * batch);
		jset32(j, &cp->sh.batchcount, 0xbaadf00d); /* alloc_arraycache's, never used */
		jset32(j, &cp->sh.entry, arena_alloc(m, &m->slub->arena, 8 * shared * batch));
	}
	jset32(j, &cp->free_limit, (1 + m->cfg.cpus) * batch + g.num);
	if (m->op_depth)
		EMIT(m, EV_ASLAB_TUNE, c->name, cp->limit, cp->batchcount, cp->shared, cp->free_limit, cp->mgmt,
		     cp->colour, cp->colour_off);
}

/* ---- kmem_cache_node's lists ---- */

void aslab_list_add(struct machine *m, struct slab_cachep *cp, uint32_t off, unsigned list, bool tail)
{
	struct slab *s = slab_at(m, off);
	uint32_t *head = &cp->head[list], *end = &cp->tail[list];
	if (tail) {
		jset32(&m->j, &s->prev, *end);
		jset32(&m->j, &s->next, 0);
		jset32(&m->j, *end ? &slab_at(m, *end)->next : head, off);
		jset32(&m->j, end, off);
	} else {
		jset32(&m->j, &s->prev, 0);
		jset32(&m->j, &s->next, *head);
		jset32(&m->j, *head ? &slab_at(m, *head)->prev : end, off);
		jset32(&m->j, head, off);
	}
	jset32(&m->j, &cp->count[list], cp->count[list] + 1);
	jset32(&m->j, &s->list, list);
}

void aslab_unlist(struct machine *m, struct slab_cachep *cp, uint32_t off)
{
	struct slab *s = slab_at(m, off);
	unsigned list = s->list;
	if (list == AL_NONE)
		return;
	uint32_t prev = s->prev, next = s->next;
	jset32(&m->j, prev ? &slab_at(m, prev)->next : &cp->head[list], next);
	jset32(&m->j, next ? &slab_at(m, next)->prev : &cp->tail[list], prev);
	jset32(&m->j, &s->prev, 0);
	jset32(&m->j, &s->next, 0);
	jset32(&m->j, &cp->count[list], cp->count[list] - 1);
	jset32(&m->j, &s->list, AL_NONE);
}

/* ---- the index array ---- */

uint32_t aslab_get_obj(struct machine *m, struct slab *s)
{
	uint32_t i = slab_fp(s)[s->inuse];
	jset32(&m->j, &s->inuse, s->inuse + 1);
	return i;
}

void aslab_put_obj(struct machine *m, struct slab *s, uint32_t i)
{
	jset32(&m->j, &s->inuse, s->inuse - 1);
	jset32(&m->j, &slab_fp(s)[s->inuse], i);
}

/* ---- new and destroyed slabs ---- */

static uint32_t aslab_record(struct machine *m, struct slab_cachep *cp)
{
	uint32_t off = cp->spare;
	if (off) {
		struct slab *s = slab_at(m, off);
		jset32(&m->j, &cp->spare, s->next);
		jset32(&m->j, &s->next, 0);
		for (uint32_t i = 0; i < 3 * cp->num; i++)
			jset32(&m->j, &slab_fp(s)[i], 0);
		return off;
	}
	off = arena_alloc(m, &m->slub->arena,
			  (uint32_t)(sizeof(struct slab) + 12 * cp->num + sizeof(struct aslab_tail)));
	jset32(&m->j, &slab_at(m, off)->objects, cp->num);
	return off;
}

int cache_grow(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct slab_cachep *cp = cachep_of(m, cache);
	uint32_t pfn;
	int rc = alloc_pages(m, cp->gfporder, gfp, -1, &pfn);
	if (rc != MM_OK)
		return rc;
	struct kobj fl = {0};
	if (cp->mgmt == MGMT_OFF_SLAB) {
		/* alloc_slabmgmt: the index array is a kmalloc object */
		fl.cache = cp->freelist_cache;
		if (aslab_alloc(m, fl.cache, gfp, &fl.slab, &fl.index) != MM_OK) {
			free_pages(m, pfn, -1);
			return MM_NOMEM;
		}
	}
	uint32_t off = aslab_record(m, cp);
	struct slab *s = slab_at(m, off);
	struct aslab_tail *t = aslab_tail(s);
	uint32_t colour = cp->colour_next;
	jset32(&m->j, &cp->colour_next, colour + 1 >= cp->colour ? 0 : colour + 1);
	jset32(&m->j, &t->s_mem, colour * cp->colour_off);
	jset32(&m->j, &t->fl_slab, fl.slab);
	jset32(&m->j, &t->fl_idx, fl.index);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_SLAB, cp->gfporder));
	jset32(&m->j, &m->slub->pfn_owner[pfn], off);
	jset32(&m->j, &s->cache, cache);
	jset32(&m->j, &s->pfn, pfn);
	jset32(&m->j, &s->order, cp->gfporder);
	jset32(&m->j, &s->inuse, 0);
	jset32(&m->j, &s->born, mm_next_step(m));
	jset32(&m->j, &s->freed, 0);
	for (uint32_t i = 0; i < cp->num; i++)
		jset32(&m->j, &slab_fp(s)[i], i);
	/* cache_grow_end */
	aslab_list_add(m, cp, off, AL_FREE, true);
	jset32(&m->j, &cp->free_slabs, cp->free_slabs + 1);
	jset32(&m->j, &cp->total_slabs, cp->total_slabs + 1);
	jset32(&m->j, &cp->free_objects, cp->free_objects + cp->num);
	jset32(&m->j, &c->nr_slabs, c->nr_slabs + 1);
	jset32(&m->j, &c->total_objects, c->total_objects + cp->num);
	EMIT(m, EV_CACHE_GROW, c->name, pfn, cp->gfporder, cp->num, t->s_mem, colour, cp->colour, cp->mgmt);
	*slab = off;
	return MM_OK;
}

void aslab_destroy(struct machine *m, uint32_t cache, uint32_t off, unsigned reason)
{
	struct kmem_cache *c = cache_at(m, cache);
	struct slab_cachep *cp = cachep_of(m, cache);
	struct slab *s = slab_at(m, off);
	struct aslab_tail *t = aslab_tail(s);
	aslab_unlist(m, cp, off);
	jset32(&m->j, &cp->free_slabs, cp->free_slabs - 1);
	jset32(&m->j, &cp->total_slabs, cp->total_slabs - 1);
	jset32(&m->j, &cp->free_objects, cp->free_objects - cp->num);
	jset32(&m->j, &c->nr_slabs, c->nr_slabs - 1);
	jset32(&m->j, &c->total_objects, c->total_objects - cp->num);
	jset32(&m->j, &s->freed, mm_next_step(m));
	jset32(&m->j, &s->next, cp->spare);
	jset32(&m->j, &cp->spare, off);
	uint32_t pfn = s->pfn;
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, s->order));
	jset32(&m->j, &m->slub->pfn_owner[pfn], 0);
	EMIT(m, EV_ASLAB_DESTROY, c->name, pfn, s->order, reason, cp->free_objects, cp->free_limit);
	free_pages(m, pfn, -1);
	if (cp->mgmt == MGMT_OFF_SLAB) /* the index array back to its kmalloc cache */
		aslab_free(m, cp->freelist_cache, t->fl_slab, t->fl_idx);
}
