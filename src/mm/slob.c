/*
 * SLOB, the Simple List Of Blocks, modelled on mm/slob.c as Linux 6.3 had
 * it (its last version: 6.4 removed it; the algorithm is unchanged since
 * 5.4's align_offset):
 * - slob_alloc: the request's size picks one of three lists of partially
 *   free pages (free_slob_small below SLOB_BREAK1 = 256 bytes,
 *   free_slob_medium below SLOB_BREAK2 = 1024, free_slob_large); the first
 *   page on it with enough free units that slob_page_alloc can serve wins,
 *   and the list is rotated so the next search starts at that page
 *   (list_rotate_to_front, Knuth's next fit); with none, a new order-0
 *   page from the buddy goes on the list's head.
 * - slob_page_alloc: first fit over the page's free blocks (slob_t: a
 *   block of more than one unit keeps its size then the offset of the next
 *   free block, a one-unit block minus that offset), cutting a head off a
 *   block to align the result, splitting the rest; a page left with no
 *   free unit leaves its list.
 * - slob_free: a page that becomes entirely free goes back to the buddy; a
 *   full page gets its first free block and goes on the head of the list
 *   this block's size picks; otherwise the block goes into the address-
 *   ordered free list, merged with the free blocks either side.
 * - kmalloc (__do_kmalloc_node): below PAGE_SIZE - minalign, slob_alloc of
 *   size + minalign with the size in the header (power-of-two sizes
 *   naturally aligned); else pages straight from the buddy; kfree tells the
 *   two apart by PageSlab.  kmem_cache_alloc: slob_alloc of the cache's
 *   size and alignment (its constructor runs on every allocation), pages
 *   from the buddy for objects of a page or more.
 * No per-CPU anything, no kmalloc caches, no /proc/slabinfo (6.3 built it
 * only for SLAB and SLUB_DEBUG); meminfo's Slab counts every page, all
 * SUnreclaim.
 * Simplified: one node; the model keeps what SLOB cannot know, to refuse
 * what would corrupt it: per unit, the steps of the allocation and free
 * starting there and what it belongs to (a double free, a wrong cache);
 * each cache's live-object count (kmem_cache_destroy refuses while objects
 * live: SLOB's __kmem_cache_shutdown had no way to check); cache records
 * live outside the simulated memory (SLOB took each struct kmem_cache from
 * its own heap), as under SLUB.
 */
#include "slob.h"

#include <stdio.h>
#include <string.h>

#include "gfp.h"
#include "page_alloc.h"
#include "slab.h"
#include "slab_alloc.h"

const char *const slob_list_names[NR_SLOB_LISTS + 1] = {"free_slob_small", "free_slob_medium",
							"free_slob_large", "none (full)"};

uint32_t slob_minalign(const struct machine *m)
{
	/* arm64's ARCH_DMA_MINALIGN was 128 until 6.5; x86's is 8 */
	const char *a = m->cfg.arch->name;
	return a && strncmp(a, "arm64", 5) == 0 ? 128 : 8;
}

#define J(cell, v) jset32(&m->j, (uint32_t *)(cell), (uint32_t)(v))

static uint64_t slob_obj_addr(const struct machine *m, uint32_t slab, uint32_t index);

/* ---- pages and lists ---- */

/* set_slob: encode a free block's size and next offset. */
static void set_slob(struct machine *m, struct slob_page *p, uint32_t s, uint32_t size, uint32_t next)
{
	int32_t *mem = slob_mem(m, p);
	if (size > 1) {
		J(&mem[s], size);
		J(&mem[s + 1], next);
	} else {
		J(&mem[s], -(int32_t)next);
	}
}

/* set_slob_page_free: list_add, onto the list's head. */
static void list_push(struct machine *m, uint32_t off, unsigned list)
{
	struct slob_root *r = slob_root(m);
	struct slob_page *p = slob_page_at(m, off);
	uint32_t head = r->head[list];
	if (!head) {
		J(&p->prev, off);
		J(&p->next, off);
	} else {
		struct slob_page *h = slob_page_at(m, head);
		uint32_t tail = h->prev;
		J(&p->prev, tail);
		J(&p->next, head);
		J(&slob_page_at(m, tail)->next, off);
		J(&h->prev, off);
	}
	J(&r->head[list], off);
	J(&r->nr[list], r->nr[list] + 1);
	J(&p->list, list);
}

/* clear_slob_page_free: list_del. */
static void list_unlink(struct machine *m, uint32_t off)
{
	struct slob_root *r = slob_root(m);
	struct slob_page *p = slob_page_at(m, off);
	unsigned list = p->list;
	if (p->next == off) {
		J(&r->head[list], 0);
	} else {
		J(&slob_page_at(m, p->prev)->next, p->next);
		J(&slob_page_at(m, p->next)->prev, p->prev);
		if (r->head[list] == off)
			J(&r->head[list], p->next);
	}
	J(&r->nr[list], r->nr[list] - 1);
	J(&p->list, SLOB_NO_LIST);
	J(&p->prev, 0);
	J(&p->next, 0);
}

static uint32_t page_record(struct machine *m)
{
	struct slob_root *r = slob_root(m);
	uint32_t off = r->spare;
	if (off) {
		J(&r->spare, slob_page_at(m, off)->next);
		return off;
	}
	return arena_alloc(m, &m->slub->arena, (uint32_t)sizeof(struct slob_page) + 16 * slob_units_per_page(m));
}

/* slob_alloc's new page: one free block of every unit, on the list's head. */
static uint32_t new_page(struct machine *m, uint32_t pfn, unsigned list)
{
	uint32_t n = slob_units_per_page(m), off = page_record(m);
	struct slob_page *p = slob_page_at(m, off);
	J(&m->frames[pfn].info, frame_info(FS_SLAB, 0));
	J(&m->slub->pfn_owner[pfn], off);
	J(&p->pfn, pfn);
	J(&p->units, n);
	J(&p->freelist, 0);
	J(&p->born, mm_next_step(m));
	J(&p->freed, 0);
	set_slob(m, p, 0, n, n);
	J(&slob_root(m)->nr_pages, slob_root(m)->nr_pages + 1);
	list_push(m, off, list);
	EMIT(m, EV_SLOB_NEW_PAGE, pfn, list, n);
	return off;
}

/* slob_free's last unit: the page back to the buddy, bypassing the lists. */
static void free_page(struct machine *m, uint32_t off)
{
	struct slob_page *p = slob_page_at(m, off);
	struct slob_root *r = slob_root(m);
	uint32_t pfn = p->pfn;
	if (p->list != SLOB_NO_LIST)
		list_unlink(m, off);
	J(&p->freed, mm_next_step(m));
	J(&p->next, r->spare);
	J(&r->spare, off);
	J(&r->nr_pages, r->nr_pages - 1);
	J(&m->frames[pfn].info, frame_info(FS_ALLOC, 0));
	J(&m->slub->pfn_owner[pfn], 0);
	EMIT(m, EV_SLOB_PAGE_FREE, pfn);
	free_pages(m, pfn, -1);
}

/* ---- slob_page_alloc, slob_alloc ---- */

/*
 * First fit in one page: the unit of the block, or -1.  align_offset is
 * the byte in the block that must be aligned (kmalloc's, after its header).
 */
static int64_t page_alloc(struct machine *m, uint32_t off, uint32_t units, uint32_t align, uint32_t align_offset,
			  uint32_t *delta_out)
{
	struct slob_page *p = slob_page_at(m, off);
	uint32_t n = slob_units_per_page(m), unit = slob_unit(m);
	uint32_t prev = n, cur = p->freelist;
	for (;;) {
		uint32_t avail = slob_block_units(m, p, cur), delta = 0;
		if (align) {
			uint64_t b = (uint64_t)cur * unit + align_offset;
			delta = (uint32_t)(((b + align - 1) / align * align - b) / unit);
		}
		if (avail >= units + delta) {
			uint32_t next;
			if (delta) { /* cut a head off to align */
				next = slob_block_next(m, p, cur);
				set_slob(m, p, cur + delta, avail - delta, next);
				set_slob(m, p, cur, delta, cur + delta);
				prev = cur;
				cur += delta;
				avail = slob_block_units(m, p, cur);
			}
			next = slob_block_next(m, p, cur);
			uint32_t rest = avail == units ? next : cur + units;
			if (prev != n)
				set_slob(m, p, prev, slob_block_units(m, p, prev), rest);
			else
				J(&p->freelist, rest);
			if (avail != units)
				set_slob(m, p, cur + units, avail - units, next);
			J(&p->units, p->units - units);
			*delta_out = delta;
			return cur;
		}
		uint32_t next = slob_block_next(m, p, cur);
		if (next >= n) /* slob_last */
			return -1;
		prev = cur;
		cur = next;
	}
}

struct slob_req {
	uint64_t size;       /* what slob_alloc is asked for (kmalloc: with the header) */
	uint32_t align, align_offset;
	uint32_t owner;      /* cache or SLOB_KMALLOC */
	uint32_t name;       /* for events */
};

/* slob_alloc: MM_OK with the page record and the unit, or MM_NOMEM. */
static int slob_alloc(struct machine *m, const struct slob_req *q, uint32_t gfp, uint32_t *page, uint32_t *unit)
{
	struct slob_root *r = slob_root(m);
	unsigned list = slob_list_for(q->size);
	uint32_t units = slob_units(m, q->size), delta = 0;
	int64_t got = -1;
	uint32_t off = r->head[list], scanned = 0;
	for (uint32_t k = 0; off && k < r->nr[list]; k++, off = slob_page_at(m, off)->next) {
		if (slob_page_at(m, off)->units < units)
			continue;
		scanned++;
		if ((got = page_alloc(m, off, units, q->align, q->align_offset, &delta)) >= 0)
			break;
	}
	if (got < 0) {
		uint32_t pfn;
		int rc = alloc_pages(m, 0, gfp, -1, &pfn);
		if (rc != MM_OK) {
			char why[sizeof m->reason];
			memcpy(why, m->reason, sizeof why);
			snprintf(m->reason, sizeof m->reason, "slob: no page on %s has room and the buddy has none: %.150s",
				 slob_list_names[list], why);
			return rc;
		}
		off = new_page(m, pfn, list);
		got = page_alloc(m, off, units, q->align, q->align_offset, &delta);
	}
	struct slob_page *p = slob_page_at(m, off);
	uint32_t u = (uint32_t)got;
	J(&slob_born(m, p)[u], mm_next_step(m));
	J(&slob_owner(m, p)[u], q->owner);
	if (q->owner == SLOB_KMALLOC)
		J(&slob_mem(m, p)[u], q->size - q->align_offset); /* *m = size */
	else
		J(&cache_at(m, q->owner)->inuse, cache_at(m, q->owner)->inuse + 1);
	uint64_t addr = m->slub->direct_map + ((uint64_t)p->pfn << m->page_shift) + (uint64_t)u * slob_unit(m) +
			(q->owner == SLOB_KMALLOC ? q->align_offset : 0);
	EMIT(m, EV_SLOB_ALLOC, q->name, (int64_t)addr, p->pfn, u, units, delta, p->units, list);
	if (!p->units) {
		list_unlink(m, off);
		EMIT(m, EV_SLOB_PAGE_FULL, p->pfn, list);
	} else if (r->head[list] != off) {
		J(&r->head[list], off);
		EMIT(m, EV_SLOB_ROTATE, list, p->pfn, scanned);
	}
	*page = off;
	*unit = u;
	return MM_OK;
}

/* ---- slob_free ---- */

static void slob_free(struct machine *m, uint32_t off, uint32_t b, uint64_t size, uint32_t name)
{
	struct slob_page *p = slob_page_at(m, off);
	uint32_t n = slob_units_per_page(m), units = slob_units(m, size);
	uint64_t addr = slob_obj_addr(m, off, b); /* the caller's address, after kmalloc's header */
	J(&slob_freed(m, p)[b], mm_next_step(m));
	if (p->units + units == n) {
		EMIT(m, EV_SLOB_FREE, name, (int64_t)addr, p->pfn, b, units, n, 0);
		free_page(m, off);
		return;
	}
	if (p->list == SLOB_NO_LIST) {
		unsigned list = slob_list_for(size);
		J(&p->units, units);
		J(&p->freelist, b);
		set_slob(m, p, b, units, n);
		list_push(m, off, list);
		EMIT(m, EV_SLOB_FREE, name, (int64_t)addr, p->pfn, b, units, p->units, 0);
		EMIT(m, EV_SLOB_PAGE_PARTIAL, p->pfn, list);
		return;
	}
	unsigned merged = 0; /* 1: with the next free block, 2: with the previous */
	J(&p->units, p->units + units);
	if (b < p->freelist) {
		uint32_t head = p->freelist;
		if (b + units == head) {
			units += slob_block_units(m, p, head);
			head = slob_block_next(m, p, head);
			merged |= 1;
		}
		set_slob(m, p, b, units, head);
		J(&p->freelist, b);
	} else {
		uint32_t prev = p->freelist, next = slob_block_next(m, p, prev);
		while (b > next) {
			prev = next;
			next = slob_block_next(m, p, prev);
		}
		if (next < n && b + units == next) {
			units += slob_block_units(m, p, next);
			set_slob(m, p, b, units, slob_block_next(m, p, next));
			merged |= 1;
		} else {
			set_slob(m, p, b, units, next);
		}
		if (prev + slob_block_units(m, p, prev) == b) {
			set_slob(m, p, prev, slob_block_units(m, p, b) + slob_block_units(m, p, prev),
				 slob_block_next(m, p, b));
			merged |= 2;
		} else {
			set_slob(m, p, prev, slob_block_units(m, p, prev), b);
		}
	}
	EMIT(m, EV_SLOB_FREE, name, (int64_t)addr, p->pfn, b, slob_units(m, size), p->units, merged);
}

/* ---- big blocks: a page or more, straight from the buddy ---- */

static int big_alloc(struct machine *m, uint64_t size, uint32_t owner, uint32_t name, uint32_t gfp, uint32_t *rec)
{
	unsigned order = slub_get_order(size, m->cfg.page_size);
	if (order >= m->max_order) {
		snprintf(m->reason, sizeof m->reason, "%llu bytes are more than the largest block (order %u) holds",
			 (unsigned long long)size, m->max_order - 1);
		return MM_NOMEM;
	}
	uint32_t pfn;
	int rc = alloc_pages(m, order, gfp, -1, &pfn);
	if (rc != MM_OK)
		return rc;
	struct slob_root *r = slob_root(m);
	uint32_t off = r->big_spare;
	if (off)
		J(&r->big_spare, slob_big_at(m, off)->next);
	else
		off = arena_alloc(m, &m->slub->arena, sizeof(struct slob_big));
	struct slob_big *g = slob_big_at(m, off);
	J(&m->frames[pfn].info, frame_info(FS_KMALLOC, order));
	J(&m->slub->pfn_owner[pfn], off | OWNER_LARGE);
	J(&g->pfn, pfn);
	J(&g->order, order);
	J(&g->size, size);
	J(&g->cache, owner);
	J(&g->born, mm_next_step(m));
	J(&g->freed, 0);
	J(&g->next, 0);
	J(&r->big_pages, r->big_pages + (1u << order));
	if (owner != SLOB_KMALLOC)
		J(&cache_at(m, owner)->inuse, cache_at(m, owner)->inuse + 1);
	EMIT(m, EV_SLOB_BIG, name, (int64_t)size, order, pfn, (int64_t)((uint64_t)m->cfg.page_size << order) - (int64_t)size);
	*rec = off;
	return MM_OK;
}

static void big_free(struct machine *m, uint32_t off)
{
	struct slob_big *g = slob_big_at(m, off);
	struct slob_root *r = slob_root(m);
	J(&g->freed, mm_next_step(m));
	J(&g->next, r->big_spare);
	J(&r->big_spare, off);
	J(&r->big_pages, r->big_pages - (1u << g->order));
	J(&m->frames[g->pfn].info, frame_info(FS_ALLOC, g->order));
	EMIT(m, EV_KFREE_LARGE, (int64_t)(m->slub->direct_map + ((uint64_t)g->pfn << m->page_shift)), g->pfn,
	     g->order);
	free_pages(m, g->pfn, -1);
}

/* ---- the allocator's row ---- */

static void slob_boot(struct machine *m)
{
	struct slub *s = m->slub;
	s->alloc_root = arena_alloc(m, &s->arena, sizeof(struct slob_root));
	slob_root(m)->kmalloc_name = slab_intern(m, "kmalloc");
	s->kmalloc_max = 0; /* no kmalloc caches */
}

/* __kmem_cache_create: the object's size (an RCU footer after it for
 * SLAB_TYPESAFE_BY_RCU), calculate_alignment's alignment. */
static int slob_layout(struct machine *m, uint64_t size, const struct kmem_cache_args *a, struct layout *l)
{
	/* struct slob_rcu: an rcu_head (two pointers) and an int, padded */
	unsigned word = slub_pointer_size(m);
	uint64_t sz = size + (a->flags & SLAB_TYPESAFE_BY_RCU ? (2 * word + 4 + word - 1) / word * word : 0);
	uint64_t biggest = (uint64_t)m->cfg.page_size << (m->max_order - 1);
	if (sz > biggest)
		return -1;
	*l = (struct layout){.size = (uint32_t)sz, .align = slub_calculate_alignment(m, a->flags, a->align, size)};
	return 0;
}

static void slob_created(struct machine *m, uint32_t cache)
{
	const struct kmem_cache *c = cache_at(m, cache);
	EMIT(m, EV_SLOB_CACHE_CREATE, c->name, c->object_size, c->size, c->align,
	     c->size < m->cfg.page_size ? slob_list_for(c->size) : NR_SLOB_LISTS);
}

static int slob_cache_alloc(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab, uint32_t *index)
{
	struct kmem_cache *c = cache_at(m, cache);
	int rc;
	if (c->size < m->cfg.page_size) {
		struct slob_req q = {.size = c->size, .align = c->align, .owner = cache, .name = c->name};
		rc = slob_alloc(m, &q, gfp, slab, index);
	} else {
		*index = KOBJ_LARGE;
		rc = big_alloc(m, c->size, cache, c->name, gfp, slab);
	}
	return rc;
}

/* What (slab, index) is, for messages: 0 if a live allocation starts there. */
static int live_at(const struct machine *m, uint32_t slab, uint32_t index, uint32_t *owner, uint32_t *freed)
{
	if (index == KOBJ_LARGE) {
		const struct slob_big *g = slob_big_at(m, slab);
		*owner = g->cache;
		*freed = g->freed;
		return g->born > g->freed ? 0 : -1;
	}
	struct slob_page *p = slob_page_at(m, slab);
	*owner = slob_owner(m, p)[index];
	*freed = slob_freed(m, p)[index];
	return slob_born(m, p)[index] > *freed ? 0 : -1;
}

static uint64_t slob_obj_addr(const struct machine *m, uint32_t slab, uint32_t index)
{
	if (index == KOBJ_LARGE)
		return m->slub->direct_map + ((uint64_t)slob_big_at(m, slab)->pfn << m->page_shift);
	struct slob_page *p = slob_page_at(m, slab);
	return m->slub->direct_map + ((uint64_t)p->pfn << m->page_shift) + (uint64_t)index * slob_unit(m) +
	       (slob_owner(m, p)[index] == SLOB_KMALLOC ? slob_minalign(m) : 0);
}

static const char *owner_name(const struct machine *m, uint32_t owner)
{
	return owner == SLOB_KMALLOC ? "kmalloc" : cache_name(m, owner);
}

static int slob_check_object(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index, const char *what)
{
	uint32_t owner, freed;
	unsigned long long addr = (unsigned long long)slob_obj_addr(m, slab, index);
	int live = live_at(m, slab, index, &owner, &freed);
	if (live == 0 && owner != cache)
		return mm_error(m, "%s: object 0x%llx belongs to %s, not to cache %s", what, addr,
				owner_name(m, owner), cache_name(m, cache));
	if (live != 0)
		return mm_error(m, "%s: double free: object 0x%llx of cache %s was freed at step %u", what, addr,
				cache_name(m, cache), freed);
	return MM_OK;
}

static void slob_cache_free(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index)
{
	struct kmem_cache *c = cache_at(m, cache);
	J(&c->inuse, c->inuse - 1);
	if (index == KOBJ_LARGE)
		big_free(m, slab);
	else
		slob_free(m, slab, index, c->size, c->name);
}

/* The pages are every cache's: a destroyed cache leaves none behind. */
static uint32_t slob_release(struct machine *m, uint32_t cache)
{
	(void)m, (void)cache;
	return 0;
}

/* Messages only: the caches share pages, so this scans them all. */
static uint64_t slob_first_live(const struct machine *m, uint32_t cache)
{
	for (uint32_t pfn = 0; pfn < m->nr_frames; pfn++) {
		uint32_t e = m->slub->pfn_owner[pfn], owner, freed;
		if (!e)
			continue;
		if (e & OWNER_LARGE) {
			uint32_t g = e & ~OWNER_LARGE;
			if (slob_big_at(m, g)->pfn == pfn && live_at(m, g, KOBJ_LARGE, &owner, &freed) == 0 &&
			    owner == cache)
				return slob_obj_addr(m, g, KOBJ_LARGE);
			continue;
		}
		for (uint32_t u = 0; u < slob_units_per_page(m); u++)
			if (live_at(m, e, u, &owner, &freed) == 0 && owner == cache)
				return slob_obj_addr(m, e, u);
	}
	return 0;
}

static int slob_kmalloc(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o)
{
	uint32_t minalign = slob_minalign(m), name = slob_root(m)->kmalloc_name;
	mm_op_begin(m);
	int rc;
	if (size < m->cfg.page_size - minalign) {
		/* power-of-two sizes come naturally aligned */
		uint32_t align = (size & (size - 1)) == 0 && size > minalign ? (uint32_t)size : minalign;
		struct slob_req q = {.size = size + minalign, .align = align, .align_offset = minalign,
				     .owner = SLOB_KMALLOC, .name = name};
		*o = (struct kobj){.cache = 0};
		rc = slob_alloc(m, &q, gfp, &o->slab, &o->index);
	} else {
		*o = (struct kobj){.large = true};
		rc = big_alloc(m, size, SLOB_KMALLOC, name, gfp, &o->rec);
	}
	mm_op_end(m);
	return rc;
}

static int slob_lookup(struct machine *m, uint64_t addr, struct kobj *o)
{
	unsigned long long a = (unsigned long long)addr;
	uint64_t base = m->slub->direct_map;
	uint32_t pfn;
	if (direct_map_pfn(m, addr, &pfn) != 0)
		return -1;
	uint32_t head = block_head(m, pfn);
	uint32_t e = head == PFN_NONE ? 0 : m->slub->pfn_owner[head], owner, freed;
	uint64_t page = base + ((uint64_t)head << m->page_shift);
	if (e & OWNER_LARGE) {
		uint32_t g = e & ~OWNER_LARGE;
		if (slob_big_at(m, g)->pfn != head)
			e = 0;
		else if (addr != page)
			return mm_error(m, "0x%llx is inside the block at 0x%llx, not its start", a,
					(unsigned long long)page);
		else if (live_at(m, g, KOBJ_LARGE, &owner, &freed) != 0)
			return mm_error(m, "double free: the block 0x%llx was freed at step %u", a, freed);
		else {
			*o = (struct kobj){.large = true, .rec = g, .cache = owner};
			return 0;
		}
	}
	if (e) {
		/* kfree's header: the block starts minalign bytes before */
		uint64_t off = addr - page;
		uint32_t minalign = slob_minalign(m), unit = slob_unit(m);
		uint32_t u = off >= minalign && (off - minalign) % unit == 0 ? (uint32_t)((off - minalign) / unit)
									       : UINT32_MAX;
		struct slob_page *p = slob_page_at(m, e);
		if (u != UINT32_MAX && live_at(m, e, u, &owner, &freed) == 0 && owner == SLOB_KMALLOC) {
			*o = (struct kobj){.slab = e, .index = u};
			return 0;
		}
		if (u != UINT32_MAX && slob_owner(m, p)[u] == SLOB_KMALLOC && slob_born(m, p)[u])
			return mm_error(m, "double free: kmalloc'ed 0x%llx was freed at step %u", a,
					slob_freed(m, p)[u]);
		uint32_t cu = (uint32_t)(off / unit);
		if (off % unit == 0 && live_at(m, e, cu, &owner, &freed) == 0)
			return mm_error(m, "0x%llx is an object of cache %s, which kmalloc did not return: "
					"free it with kmem_cache_free", a, owner_name(m, owner));
		return mm_error(m, "0x%llx is not the start of a kmalloc'ed block in slob page 0x%x", a, head);
	}
	return mm_error(m, "0x%llx is not an address kmalloc returned (pfn 0x%x is %s memory)", a, pfn,
			head == PFN_NONE ? "no" : frame_state_names[frame_state(&m->frames[head])]);
}

static int slob_kfree(struct machine *m, uint64_t addr, const struct kobj *o)
{
	if (o->large && o->cache != SLOB_KMALLOC)
		return mm_error(m, "0x%llx is an object of cache %s, which kmalloc did not return: "
				"free it with kmem_cache_free", (unsigned long long)addr, cache_name(m, o->cache));
	mm_op_begin(m);
	if (o->large) {
		big_free(m, o->rec);
	} else {
		struct slob_page *p = slob_page_at(m, o->slab);
		uint32_t size = (uint32_t)slob_mem(m, p)[o->index]; /* slob_free(m, *m + align) */
		slob_free(m, o->slab, o->index, (uint64_t)size + slob_minalign(m), slob_root(m)->kmalloc_name);
	}
	mm_op_end(m);
	return MM_OK;
}

static void slob_obj_stamps(const struct machine *m, uint32_t slab, uint32_t index, struct obj_stamps *st)
{
	*st = (struct obj_stamps){.exists = false};
	if (slab >= m->slub->arena.used)
		return;
	if (index == KOBJ_LARGE) {
		const struct slob_big *g = slob_big_at(m, slab);
		*st = (struct obj_stamps){.exists = true, .slab_born = g->born, .pfn = g->pfn, .order = g->order,
					  .born = g->born, .freed = g->freed, .objects = 1};
		return;
	}
	struct slob_page *p = slob_page_at(m, slab);
	*st = (struct obj_stamps){.exists = true, .slab_born = p->born, .pfn = p->pfn};
	if (index < slob_units_per_page(m)) {
		st->born = slob_born(m, p)[index];
		st->freed = slob_freed(m, p)[index];
	}
}

/* 6.3's slob_new_pages counted every page in NR_SLAB_UNRECLAIMABLE_B:
 * nothing under SLOB is SReclaimable. */
static uint64_t slob_slab_pages(const struct machine *m, bool reclaimable)
{
	const struct slob_root *r = slob_root(m);
	return reclaimable ? 0 : (uint64_t)r->nr_pages + r->big_pages;
}

const struct slab_allocator slob_allocator = {
	.name = "slob",
	.source = "mm/slob.c, Linux 6.3",
	.ctor_each_alloc = true,
	.init = slob_boot,
	.layout = slob_layout,
	.created = slob_created,
	.alloc = slob_cache_alloc,
	.check_object = slob_check_object,
	.free = slob_cache_free,
	.release = slob_release,
	.first_live = slob_first_live,
	.kmalloc = slob_kmalloc,
	.lookup = slob_lookup,
	.kfree = slob_kfree,
	.obj_addr = slob_obj_addr,
	.obj_stamps = slob_obj_stamps,
	.check = check_slob,
	.slabinfo = NULL,
	.no_slabinfo = "SLOB kept no per-cache counts: 6.3's mm/slab_common.c makes /proc/slabinfo only with "
		       "CONFIG_SLAB or CONFIG_SLUB_DEBUG (meminfo's Slab and SUnreclaim still count SLOB's pages)",
	.slab_pages = slob_slab_pages,
};
