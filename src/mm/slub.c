/*
 * SLUB, modelled on mm/slub.c (Linux 6.8 and later):
 * - kmem_cache_create / __kmem_cache_create: calculate_sizes rounds the
 *   object to a word, puts the free pointer in the middle of the object
 *   (ALIGN_DOWN(object_size / 2, sizeof(void *))) and rounds the slot to the
 *   alignment (calculate_alignment: at least ARCH_SLAB_MINALIGN, 8);
 *   calculate_order / calc_slab_order choose the slab order: min_objects is
 *   4 * (fls(nr_cpus) + 1), capped by what fits in slub_max_order (3); the
 *   smallest order from get_order(min_objects * size) up to slub_max_order
 *   that wastes at most 1/16 of the slab, else 1/8, 1/4, 1/2; failing all,
 *   get_order(size).  min_partial is ilog2(size) / 2 clamped to 5..10
 *   (set_min_partial), unless the scenario asks for another.
 * - kmem_cache_alloc: slab_alloc_node takes the CPU slab's first free
 *   object; when it has none, ___slab_alloc drops it (it is full) and takes
 *   a slab off the node's partial list (get_partial), or a new slab from the
 *   buddy (new_slab / allocate_slab, falling back to the smallest order that
 *   holds one object when the buddy has no block of the cache's order).
 *   A new slab's freelist threads its objects in address order.
 * - kmem_cache_free: __slab_free pushes the object on its own slab's
 *   freelist; a full slab goes onto the partial list's tail; a slab left
 *   empty goes back to the buddy (discard_slab) when the node already has
 *   min_partial partial slabs, else stays on the partial list.
 * - kmem_cache_destroy: refuses while objects live; returns the slabs.
 * Simplified: one node, and every operation runs on CPU 0 (cpus only feeds
 * the order rule); no per-CPU partial lists (CONFIG_SLUB_CPU_PARTIAL), no
 * lockless second freelist on the CPU, no freelist randomisation, no
 * debugging metadata, no cache merging (each kmem_cache_create makes its own
 * cache); full slabs are kept on a list of their own (the kernel tracks them
 * only with slub_debug) so the views can show them.
 */
#include "slub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"
#include "page_alloc.h"
#include "xalloc.h"

/* "full" is slub_debug's list (SLAB_STORE_USER): SLUB proper keeps full
 * slabs on no list; the model keeps it so that views can show them. */
const char *const slab_list_names[] = {"none", "cpu", "partial", "full (debug)"};

/* ---- arch and names ---- */

/* PAGE_OFFSET: where each arch's direct map puts physical address 0. */
static uint64_t direct_map_base(const struct arch *a)
{
	static const struct {
		const char *name;
		uint64_t base;
	} bases[] = {
		{"x86_64", 0xffff888000000000ull}, {"x86_64_la57", 0xff11000000000000ull},
		{"x86", 0xc0000000ull},            {"x86_pae", 0xc0000000ull},
		{"arm64", 0xffffff8000000000ull},  {"arm64_48", 0xffff000000000000ull},
	};
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
		if (a->name && strcmp(a->name, bases[i].name) == 0)
			return bases[i].base;
	return 0xffff888000000000ull;
}

static unsigned pointer_size(const struct machine *m)
{
	const char *n = m->cfg.arch->name;
	return n && (strcmp(n, "x86") == 0 || strcmp(n, "x86_pae") == 0) ? 4 : 8;
}

static uint32_t intern(struct machine *m, const char *name)
{
	struct slub *s = m->slub;
	if (s->nnames == s->capnames) {
		s->capnames = s->capnames ? s->capnames * 2 : 32;
		s->names = xrealloc(s->names, s->capnames * sizeof *s->names);
	}
	size_t n = strlen(name) + 1;
	s->names[s->nnames] = xmalloc(n);
	memcpy(s->names[s->nnames], name, n);
	return s->nnames++;
}

const char *slub_name(const struct machine *m, uint32_t id)
{
	return id < m->slub->nnames ? m->slub->names[id] : "?";
}

const char *cache_name(const struct machine *m, uint32_t cache)
{
	return slub_name(m, cache_at(m, cache)->name);
}

uint64_t slab_addr(const struct machine *m, uint32_t slab)
{
	return m->slub->direct_map + ((uint64_t)slab_at(m, slab)->pfn << m->page_shift);
}

uint64_t slab_obj_addr(const struct machine *m, uint32_t slab, uint32_t i)
{
	return slab_addr(m, slab) + (uint64_t)i * cache_at(m, slab_at(m, slab)->cache)->size;
}

/* ---- sizes and orders ---- */

static unsigned fls32(uint32_t x) { return x ? 32 - (unsigned)__builtin_clz(x) : 0; }

static unsigned get_order(uint64_t bytes, uint32_t page_size)
{
	unsigned order = 0;
	while (((uint64_t)page_size << order) < bytes)
		order++;
	return order;
}

unsigned slub_min_objects(unsigned cpus)
{
	/* num_present_cpus, or nr_cpu_ids when that says 1: the same here */
	return 4 * (fls32(cpus ? cpus : 1) + 1);
}

static unsigned calc_slab_order(uint32_t size, uint32_t page_size, unsigned min_order, unsigned max_order,
				unsigned fract)
{
	unsigned order;
	for (order = min_order; order <= max_order; order++) {
		uint64_t slab = (uint64_t)page_size << order;
		if (slab % size <= slab / fract)
			break;
	}
	return order;
}

int slub_calculate_order(uint32_t size, uint32_t page_size, unsigned cpus, unsigned max_order)
{
	unsigned top = max_order - 1; /* MAX_PAGE_ORDER */
	unsigned slub_max = SLUB_MAX_ORDER < top ? SLUB_MAX_ORDER : top;
	uint64_t max_objects = ((uint64_t)page_size << slub_max) / size;
	if (max_objects < 1)
		max_objects = 1;
	uint64_t min_objects = slub_min_objects(cpus);
	if (min_objects > max_objects)
		min_objects = max_objects;
	unsigned min_order = get_order(min_objects * size, page_size);
	if (((uint64_t)page_size << min_order) / size > MAX_OBJS_PER_PAGE)
		return (int)get_order((uint64_t)size * MAX_OBJS_PER_PAGE, page_size) - 1;
	for (unsigned fract = 16; fract > 1; fract /= 2) {
		unsigned order = calc_slab_order(size, page_size, min_order, slub_max, fract);
		if (order <= slub_max)
			return (int)order;
	}
	unsigned order = get_order(size, page_size);
	return order <= top ? (int)order : -1;
}

static unsigned ilog2_32(uint32_t x) { return fls32(x) - 1; }

/* ---- kmalloc classes (slab_common.c) ---- */

unsigned kmalloc_index(uint64_t size)
{
	if (size <= 8)
		return KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	unsigned i = KMALLOC_SHIFT_LOW;
	while ((1ull << i) < size)
		i++;
	return i;
}

uint32_t kmalloc_class_size(unsigned index)
{
	return index == 1 ? 96 : index == 2 ? 192 : 1u << index;
}

void kmalloc_class_name(unsigned index, char *buf, unsigned n)
{
	uint32_t sz = kmalloc_class_size(index);
	if (sz < 1024)
		snprintf(buf, n, "kmalloc-%u", sz);
	else if (sz < 1024 * 1024)
		snprintf(buf, n, "kmalloc-%uk", sz >> 10);
	else
		snprintf(buf, n, "kmalloc-%uM", sz >> 20);
}

/* ---- caches ---- */

struct layout {
	uint32_t size, align, offset, order, objects, min_partial;
};

static int cache_layout(struct machine *m, uint64_t object_size, uint64_t align, int min_partial,
			struct layout *l)
{
	unsigned word = pointer_size(m);
	if (align < 8)
		align = 8; /* ARCH_SLAB_MINALIGN */
	align = (align + word - 1) / word * word;
	uint64_t size = (object_size + word - 1) / word * word;
	size = (size + align - 1) / align * align;
	uint64_t biggest = (uint64_t)m->cfg.page_size << (m->max_order - 1);
	if (size > biggest)
		return -1;
	int order = slub_calculate_order((uint32_t)size, m->cfg.page_size, m->cfg.cpus, m->max_order);
	if (order < 0)
		return -1;
	l->size = (uint32_t)size;
	l->align = (uint32_t)align;
	l->offset = (uint32_t)(object_size / 2 / word * word);
	l->order = (uint32_t)order;
	l->objects = (uint32_t)(((uint64_t)m->cfg.page_size << order) / size);
	if (min_partial >= 0) {
		l->min_partial = (uint32_t)min_partial;
	} else {
		unsigned mp = ilog2_32(l->size) / 2;
		l->min_partial = mp < 5 ? 5 : mp > 10 ? 10 : mp;
	}
	return 0;
}

static uint32_t new_cache(struct machine *m, const char *name, uint32_t object_size, const struct layout *l,
			  bool kmalloc)
{
	struct arena *a = &m->slub->arena;
	uint32_t off = arena_alloc(m, a, sizeof(struct kmem_cache));
	struct kmem_cache *c = cache_at(m, off);
	struct slub_root *r = slub_root(m);
	struct journal *j = &m->j;
	jset32(j, &c->name, intern(m, name));
	jset32(j, &c->object_size, object_size);
	jset32(j, &c->size, l->size);
	jset32(j, &c->align, l->align);
	jset32(j, &c->offset, l->offset);
	jset32(j, &c->order, l->order);
	jset32(j, &c->objects, l->objects);
	jset32(j, &c->min_partial, l->min_partial);
	jset32(j, &c->kmalloc, kmalloc);
	jset32(j, &c->alive, 1);
	jset32(j, &c->born, mm_next_step(m));
	jset32(j, &c->next, r->caches);
	jset32(j, &r->caches, off);
	return off;
}

static void create_kmalloc_cache(struct machine *m, unsigned i, unsigned high)
{
	uint32_t sz = kmalloc_class_size(i);
	struct layout l;
	if (sz > (1u << high) || cache_layout(m, sz, sz & (sz - 1) ? 8 : sz, -1, &l) != 0)
		return;
	char name[32];
	kmalloc_class_name(i, name, sizeof name);
	slub_root(m)->kmalloc[i] = new_cache(m, name, sz, &l, true);
	if (sz > m->slub->kmalloc_max)
		m->slub->kmalloc_max = sz;
}

void slub_init(struct machine *m)
{
	struct slub *s = xcalloc(1, sizeof *s);
	m->slub = s;
	arena_init(m, &s->arena);
	s->direct_map = direct_map_base(m->cfg.arch);
	s->pfn_owner = xcalloc(m->nr_frames, sizeof *s->pfn_owner);
	uint32_t root = arena_alloc(m, &s->arena, sizeof(struct slub_root));
	(void)root; /* offset 0 */
	/* create_kmalloc_caches: KMALLOC_SHIFT_HIGH is PAGE_SHIFT + 1 */
	unsigned high = m->page_shift + 1 < KMALLOC_SHIFT_MAX ? m->page_shift + 1 : KMALLOC_SHIFT_MAX;
	/* in kmalloc_index order, 96 after 64 and 192 after 128, as
	 * create_kmalloc_caches makes them */
	for (unsigned i = KMALLOC_SHIFT_LOW; i <= high; i++) {
		create_kmalloc_cache(m, i, high);
		if (i == 6)
			create_kmalloc_cache(m, 1, high);
		if (i == 7)
			create_kmalloc_cache(m, 2, high);
	}
}

void slub_free(struct machine *m)
{
	struct slub *s = m->slub;
	if (!s)
		return;
	for (uint32_t i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	free(s->pfn_owner);
	free(s);
	m->slub = NULL;
}

int kmem_cache_create(struct machine *m, const char *name, uint64_t size, uint64_t align, int min_partial,
		      uint32_t *cache)
{
	if (!*name)
		return mm_error(m, "a cache needs a name");
	if (size == 0)
		return mm_error(m, "cache %s: object size 0 (objects need at least 1 byte)", name);
	if (align && (align & (align - 1)))
		return mm_error(m, "cache %s: align %llu is not a power of two", name, (unsigned long long)align);
	if (align > m->cfg.page_size)
		return mm_error(m, "cache %s: align %llu is more than a page (%u bytes)", name,
				(unsigned long long)align, m->cfg.page_size);
	struct layout l;
	if (size > UINT32_MAX / 2 || cache_layout(m, size, align, min_partial, &l) != 0)
		return mm_error(m, "cache %s: objects of %llu bytes do not fit in the largest block (order %u)", name,
				(unsigned long long)size, m->max_order - 1);
	mm_op_begin(m);
	uint32_t off = new_cache(m, name, (uint32_t)size, &l, false);
	struct kmem_cache *c = cache_at(m, off);
	EMIT(m, EV_CACHE_CREATE, c->name, c->object_size, c->size, c->align, c->objects, c->order,
	     c->min_partial);
	mm_op_end(m);
	*cache = off;
	return MM_OK;
}

/* ---- slab lists ---- */

static void list_add_tail(struct machine *m, uint32_t *head, uint32_t *tail, uint32_t *count, uint32_t off,
			  unsigned list)
{
	struct slab *s = slab_at(m, off);
	jset32(&m->j, &s->prev, *tail);
	jset32(&m->j, &s->next, 0);
	jset32(&m->j, *tail ? &slab_at(m, *tail)->next : head, off);
	jset32(&m->j, tail, off);
	jset32(&m->j, count, *count + 1);
	jset32(&m->j, &s->list, list);
}

static void list_del(struct machine *m, uint32_t *head, uint32_t *tail, uint32_t *count, uint32_t off)
{
	struct slab *s = slab_at(m, off);
	uint32_t prev = s->prev, next = s->next;
	jset32(&m->j, prev ? &slab_at(m, prev)->next : head, next);
	jset32(&m->j, next ? &slab_at(m, next)->prev : tail, prev);
	jset32(&m->j, &s->prev, 0);
	jset32(&m->j, &s->next, 0);
	jset32(&m->j, count, *count - 1);
	jset32(&m->j, &s->list, SL_NONE);
}

static void slab_unlist(struct machine *m, struct kmem_cache *c, uint32_t off)
{
	switch (slab_at(m, off)->list) {
	case SL_CPU:
		jset32(&m->j, &c->cpu_slab, 0);
		jset32(&m->j, &slab_at(m, off)->list, SL_NONE);
		break;
	case SL_PARTIAL:
		list_del(m, &c->partial, &c->partial_tail, &c->nr_partial, off);
		break;
	case SL_FULL:
		list_del(m, &c->full, &c->full_tail, &c->nr_full, off);
		break;
	}
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
	for (; list <= SL_FULL; list++) {
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
	unsigned min_order = get_order(c->size, m->cfg.page_size);
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
static void discard_slab(struct machine *m, uint32_t cache, uint32_t off)
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

static int check_cache(struct machine *m, uint32_t cache, const char *what)
{
	const struct kmem_cache *c = cache_at(m, cache);
	if (!c->alive)
		return mm_error(m, "%s: cache %s was destroyed at step %u", what, cache_name(m, cache), c->freed);
	return MM_OK;
}

static int cache_alloc(struct machine *m, uint32_t cache, uint32_t gfp, uint32_t *slab, uint32_t *index)
{
	struct kmem_cache *c = cache_at(m, cache);
	uint32_t cpu = c->cpu_slab;
	if (cpu && slab_at(m, cpu)->freelist == OBJ_NONE) {
		/* ___slab_alloc: the CPU slab is exhausted; it leaves the CPU
		 * (c->slab = NULL) before a partial or new slab is sought, so a
		 * failing buddy leaves the CPU with no slab.  Full slabs are on
		 * no list; the model keeps slub_debug's full list to show them. */
		slab_unlist(m, c, cpu);
		list_add_tail(m, &c->full, &c->full_tail, &c->nr_full, cpu, SL_FULL);
		EMIT(m, EV_SLAB_FULL, c->name, slab_at(m, cpu)->pfn, c->nr_full);
		cpu = 0;
	}
	if (!cpu) {
		uint32_t pfn = 0, order = 0;
		if (!c->partial) {
			int rc = slab_pages(m, cache, gfp, &pfn, &order);
			if (rc != MM_OK) {
				char why[sizeof m->reason];
				memcpy(why, m->reason, sizeof why);
				snprintf(m->reason, sizeof m->reason, "%s: no slab has room and the buddy has none: %s",
					 cache_name(m, cache), why);
				return rc;
			}
		}
		if (c->partial) {
			cpu = c->partial;
			struct slab *s = slab_at(m, cpu);
			list_del(m, &c->partial, &c->partial_tail, &c->nr_partial, cpu);
			jset32(&m->j, &c->cpu_slab, cpu);
			jset32(&m->j, &s->list, SL_CPU);
			EMIT(m, EV_GET_PARTIAL, c->name, s->pfn, s->objects - s->inuse, c->nr_partial);
		} else {
			cpu = new_slab(m, cache, pfn, order);
		}
	}
	*slab = cpu;
	take_object(m, cache, cpu, index);
	return MM_OK;
}

int kmem_cache_alloc(struct machine *m, uint32_t cache, uint32_t *slab, uint32_t *index)
{
	if (check_cache(m, cache, "kmem_cache_alloc") != MM_OK)
		return MM_EINVAL;
	mm_op_begin(m);
	int rc = cache_alloc(m, cache, GFP_KERNEL, slab, index);
	mm_op_end(m);
	return rc;
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
	if (s->list == SL_CPU) {
		EMIT(m, EV_SLAB_FREE, c->name, (int64_t)slab_obj_addr(m, slab, i), s->pfn, i, s->inuse, s->objects);
		return;
	}
	/* decided before a full slab joins the partial list, as __slab_free does */
	bool discard = s->inuse == 0 && nr_partial >= c->min_partial;
	if (was_full) {
		/* a full slab with a free object is partial from this step on */
		list_del(m, &c->full, &c->full_tail, &c->nr_full, slab);
		list_add_tail(m, &c->partial, &c->partial_tail, &c->nr_partial, slab, SL_PARTIAL);
	}
	EMIT(m, EV_SLAB_FREE, c->name, (int64_t)slab_obj_addr(m, slab, i), s->pfn, i, s->inuse, s->objects);
	if (was_full && !discard)
		EMIT(m, EV_SLAB_PARTIAL, c->name, s->pfn, s->objects - s->inuse, c->nr_partial);
	if (s->inuse == 0)
		EMIT(m, EV_SLAB_EMPTY, c->name, s->pfn, nr_partial, c->min_partial, discard);
	if (discard)
		discard_slab(m, cache, slab);
}

int kmem_cache_free(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index)
{
	if (check_cache(m, cache, "kmem_cache_free") != MM_OK ||
	    check_object(m, cache, slab, index, "kmem_cache_free") != MM_OK)
		return MM_EINVAL;
	mm_op_begin(m);
	cache_free(m, cache, slab, index);
	mm_op_end(m);
	return MM_OK;
}

uint32_t cache_live_objects(const struct machine *m, uint32_t cache)
{
	return cache_at(m, cache)->inuse;
}

static uint64_t first_live(const struct machine *m, uint32_t cache)
{
	for_each_cache_slab(m, cache, off)
		for (uint32_t i = 0; i < slab_at(m, off)->objects; i++)
			if (slab_obj_used(slab_at(m, off), i))
				return slab_obj_addr(m, off, i);
	return 0;
}

int kmem_cache_destroy(struct machine *m, uint32_t cache)
{
	if (check_cache(m, cache, "kmem_cache_destroy") != MM_OK)
		return MM_EINVAL;
	struct kmem_cache *c = cache_at(m, cache);
	if (c->kmalloc)
		return mm_error(m, "kmem_cache_destroy: %s is a kmalloc cache: it lives as long as the kernel",
				cache_name(m, cache));
	if (c->inuse)
		return mm_error(m, "kmem_cache_destroy: cache %s still has %u live object(s), 0x%llx among them: "
				"free them first", cache_name(m, cache), c->inuse,
				(unsigned long long)first_live(m, cache));
	mm_op_begin(m);
	uint32_t slabs = c->nr_slabs;
	for (uint32_t s; (s = cache_next_slab(m, cache, 0));)
		discard_slab(m, cache, s);
	struct slub_root *r = slub_root(m);
	for (uint32_t *link = &r->caches; *link; link = &cache_at(m, *link)->next)
		if (*link == cache) {
			jset32(&m->j, link, c->next);
			break;
		}
	jset32(&m->j, &c->next, 0);
	jset32(&m->j, &c->alive, 0);
	jset32(&m->j, &c->freed, mm_next_step(m));
	EMIT(m, EV_CACHE_DESTROY, c->name, slabs);
	mm_op_end(m);
	return MM_OK;
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

static int kmalloc_large(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o)
{
	unsigned order = get_order(size, m->cfg.page_size);
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

int kmalloc(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o)
{
	char buf[96];
	if (size == 0)
		return mm_error(m, "kmalloc(0) returns ZERO_SIZE_PTR in the kernel: ask for at least one byte");
	if (gfp & GFP_ZONEMASK)
		return mm_error(m, "kmalloc: %s: the DMA kmalloc caches are not modelled; kmalloc serves ZONE_NORMAL",
				gfp_format(gfp, buf, sizeof buf));
	unsigned idx = size > m->slub->kmalloc_max ? 0 : kmalloc_index(size);
	uint32_t cache = slub_root(m)->kmalloc[idx];
	if (!cache)
		return kmalloc_large(m, size, gfp, o);
	struct kmem_cache *c = cache_at(m, cache);
	mm_op_begin(m);
	EMIT(m, EV_KMALLOC, (int64_t)size, c->name, c->object_size, (int64_t)(c->object_size - size));
	*o = (struct kobj){.cache = cache};
	int rc = cache_alloc(m, cache, gfp, &o->slab, &o->index);
	mm_op_end(m);
	return rc;
}

int slub_lookup(struct machine *m, uint64_t addr, struct kobj *o)
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

int kfree(struct machine *m, uint64_t addr)
{
	struct kobj o;
	if (slub_lookup(m, addr, &o) != 0)
		return MM_EINVAL;
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
	if (!cache_at(m, o.cache)->kmalloc)
		return mm_error(m, "0x%llx is an object of cache %s, which kmalloc did not return: "
				"free it with kmem_cache_free", (unsigned long long)addr, cache_name(m, o.cache));
	if (check_object(m, o.cache, o.slab, o.index, "kfree") != MM_OK)
		return MM_EINVAL;
	mm_op_begin(m);
	cache_free(m, o.cache, o.slab, o.index);
	mm_op_end(m);
	return MM_OK;
}

uint64_t slub_unreclaimable_pages(const struct machine *m)
{
	uint64_t pages = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		for_each_cache_slab(m, c, s)
			pages += 1u << slab_at(m, s)->order;
	for (uint32_t k = slub_root(m)->large; k; k = large_at(m, k)->next)
		pages += 1u << large_at(m, k)->order;
	return pages;
}
