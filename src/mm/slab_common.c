/*
 * What every slab allocator shares, modelled on mm/slab_common.c (Linux
 * 6.18): kmem_cache_create and kmem_cache_destroy (which refuses while
 * objects live), the kmalloc size classes (kmalloc_index, kmalloc_info's
 * names) and their caches (create_kmalloc_caches), kmalloc's choice of a
 * class or of the page allocator.  Simplified: no cache merging (each
 * kmem_cache_create makes its own cache), no DMA or cgroup kmalloc caches.
 */
#include "slab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"
#include "xalloc.h"

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

unsigned slub_pointer_size(const struct machine *m)
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
	if (sz > (1u << high) || slub_calculate_sizes(m, sz, sz & (sz - 1) ? 8 : sz, -1, &l) != 0)
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
	if (size > UINT32_MAX / 2 || slub_calculate_sizes(m, size, align, min_partial, &l) != 0)
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
	if (cache_check_alive(m, cache, "kmem_cache_destroy") != MM_OK)
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
	int rc = slab_alloc(m, cache, gfp, &o->slab, &o->index);
	mm_op_end(m);
	return rc;
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
