/*
 * What every slab allocator shares, modelled on mm/slab_common.c (Linux
 * 6.18): kmem_cache_create and kmem_cache_destroy (which refuses while
 * objects live), the kmalloc size classes (kmalloc_index, kmalloc_info's
 * names) and their caches (create_kmalloc_caches), kmalloc's choice of a
 * class or of the page allocator.  Simplified: no cache merging (each
 * kmem_cache_create makes its own cache), no DMA or cgroup kmalloc caches.
 */
#include "slab.h"
#include "slab_alloc.h"

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
	return slab_allocator(m)->obj_addr(m, slab, i);
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
			  const struct kmem_cache_args *args, unsigned kind)
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
	jset32(j, &c->cpu_partial_objects, l->cpu_partial_objects);
	jset32(j, &c->cpu_partial_slabs, l->cpu_partial_slabs);
	jset32(j, &c->kmalloc, kind);
	jset32(j, &c->flags, args->flags);
	jset32(j, &c->ctor, args->ctor);
	jset32(j, &c->alive, 1);
	jset32(j, &c->born, mm_next_step(m));
	jset32(j, &c->next, r->caches);
	jset32(j, &r->caches, off);
	return off;
}

/* create_boot_cache: kmalloc caches are aligned to at least the largest
 * power of two dividing their size (96: 32, 192: 64) since 6.11. */
static void create_kmalloc_cache(struct machine *m, unsigned i, unsigned high)
{
	uint32_t sz = kmalloc_class_size(i);
	struct layout l;
	struct kmem_cache_args args = {.align = sz & -sz, .min_partial = -1, .cpu_partial = -1};
	if (sz > (1u << high) || slab_allocator(m)->layout(m, sz, &args, &l) != 0)
		return;
	char name[32];
	kmalloc_class_name(i, name, sizeof name);
	slub_root(m)->kmalloc[i] = new_cache(m, name, sz, &l, &args, CACHE_KMALLOC);
	if (sz > m->slub->kmalloc_max)
		m->slub->kmalloc_max = sz;
}

/* create_boot_cache: a SLAB_HWCACHE_ALIGN cache made before slab_state
 * is UP (the allocator's geometry). */
void create_boot_cache(struct machine *m, const char *name, uint32_t size)
{
	struct layout l;
	struct kmem_cache_args args = {.flags = SLAB_HWCACHE_ALIGN, .min_partial = -1, .cpu_partial = -1};
	if (slab_allocator(m)->layout(m, size, &args, &l) == 0)
		new_cache(m, name, size, &l, &args, CACHE_BOOT);
}

/* create_kmalloc_caches: the two that are not powers of two first, then 8
 * up to KMALLOC_SHIFT_HIGH (PAGE_SHIFT + 1); the cache list is newest
 * first, so slabinfo shows kmalloc-8k ... kmalloc-8, -192, -96. */
void create_kmalloc_caches(struct machine *m)
{
	unsigned high = m->page_shift + 1 < KMALLOC_SHIFT_MAX ? m->page_shift + 1 : KMALLOC_SHIFT_MAX;
	create_kmalloc_cache(m, 1, high);
	create_kmalloc_cache(m, 2, high);
	for (unsigned i = KMALLOC_SHIFT_LOW; i <= high; i++)
		create_kmalloc_cache(m, i, high);
}

/* The arena with the root at offset 0, then the allocator's boot. */
void slub_init(struct machine *m)
{
	struct slub *s = xcalloc(1, sizeof *s);
	m->slub = s;
	s->ops = slab_allocators[m->cfg.slab];
	arena_init(m, &s->arena);
	s->direct_map = direct_map_base(m->cfg.arch);
	s->pfn_owner = xcalloc(m->nr_frames, sizeof *s->pfn_owner);
	uint32_t root = arena_alloc(m, &s->arena, sizeof(struct slub_root));
	(void)root; /* offset 0 */
	s->ops->init(m);
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

/* The flags' names, in SLAB_FLAGS order. */
static const char *const flag_names[] = {
#define SLAB_FLAG_NAME(name, bit) #name,
	SLAB_FLAGS(SLAB_FLAG_NAME)
#undef SLAB_FLAG_NAME
};
#define NR_SLAB_FLAGS (sizeof flag_names / sizeof flag_names[0])

/* Flags the kernel has and the model refuses, with why. */
static const struct {
	const char *name, *why;
} refused_flags[] = {
	{"SLAB_CACHE_DMA", "DMA caches are not modelled"},
	{"SLAB_CACHE_DMA32", "DMA32 caches are not modelled"},
	{"SLAB_RED_ZONE", "slub_debug's metadata is not modelled"},
	{"SLAB_POISON", "slub_debug's metadata is not modelled"},
	{"SLAB_STORE_USER", "slub_debug's metadata is not modelled"},
	{"SLAB_CONSISTENCY_CHECKS", "slub_debug's metadata is not modelled"},
};

int slab_flags_parse(const char *s, uint32_t *flags, char *bad, size_t n)
{
	*flags = 0;
	while (*s) {
		while (*s == ' ' || *s == '|')
			s++;
		size_t len = strcspn(s, " |");
		if (!len)
			break;
		unsigned i = 0;
		while (i < NR_SLAB_FLAGS && !(strlen(flag_names[i]) == len && strncmp(s, flag_names[i], len) == 0))
			i++;
		if (i == NR_SLAB_FLAGS) {
			const char *why = "not a slab flag";
			for (size_t r = 0; r < sizeof refused_flags / sizeof refused_flags[0]; r++)
				if (strlen(refused_flags[r].name) == len && strncmp(s, refused_flags[r].name, len) == 0)
					why = refused_flags[r].why;
			snprintf(bad, n, "%.*s: %s", (int)len, s, why);
			return -1;
		}
		*flags |= 1u << i;
		s += len;
	}
	return 0;
}

void slab_flags_format(uint32_t flags, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < NR_SLAB_FLAGS && used < n; i++)
		if (flags & (1u << i))
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "|" : "", flag_names[i]);
}

int kmem_cache_create_args(struct machine *m, const char *name, uint64_t size, const struct kmem_cache_args *a,
			   uint32_t *cache)
{
	/* SLAB_PANIC: where the kernel would panic, the model says so */
	const char *panic = a->flags & SLAB_PANIC ? "SLAB_PANIC: the kernel panics here: " : "";
	if (!*name)
		return mm_error(m, "%sa cache needs a name", panic);
	if (size == 0)
		return mm_error(m, "%scache %s: object size 0 (objects need at least 1 byte)", panic, name);
	if (a->align && (a->align & (a->align - 1)))
		return mm_error(m, "%scache %s: align %llu is not a power of two", panic, name,
				(unsigned long long)a->align);
	if (a->align > m->cfg.page_size)
		return mm_error(m, "%scache %s: align %llu is more than a page (%u bytes)", panic, name,
				(unsigned long long)a->align, m->cfg.page_size);
	if (a->use_freeptr_offset &&
	    (!(a->flags & SLAB_TYPESAFE_BY_RCU) || a->freeptr_offset % slub_pointer_size(m) ||
	     a->freeptr_offset + slub_pointer_size(m) > size))
		return mm_error(m, "%scache %s: freeptr_offset %u needs SLAB_TYPESAFE_BY_RCU and a word-aligned "
				"place inside the %llu-byte object", panic, name, a->freeptr_offset,
				(unsigned long long)size);
	if (a->cpu_partial > (int)CPU_PARTIAL_OBJECTS_MAX)
		return mm_error(m, "%scache %s: cpu_partial %d is more than the model's %u objects", panic, name,
				a->cpu_partial, CPU_PARTIAL_OBJECTS_MAX);
	struct layout l;
	if (size > UINT32_MAX / 2 || slab_allocator(m)->layout(m, size, a, &l) != 0)
		return mm_error(m, "%scache %s: objects of %llu bytes do not fit in the largest block (order %u)", panic,
				name, (unsigned long long)size, m->max_order - 1);
	mm_op_begin(m);
	uint32_t off = new_cache(m, name, (uint32_t)size, &l, a, CACHE_CREATED);
	struct kmem_cache *c = cache_at(m, off);
	EMIT(m, EV_CACHE_CREATE, c->name, c->object_size, c->size, c->align, c->objects, c->order,
	     c->min_partial, c->offset);
	mm_op_end(m);
	*cache = off;
	return MM_OK;
}

int kmem_cache_create(struct machine *m, const char *name, uint64_t size, uint64_t align, int min_partial,
		      uint32_t *cache)
{
	struct kmem_cache_args a = {.align = align, .min_partial = min_partial, .cpu_partial = -1};
	return kmem_cache_create_args(m, name, size, &a, cache);
}

uint32_t cache_live_objects(const struct machine *m, uint32_t cache)
{
	return cache_at(m, cache)->inuse;
}

int cache_check_alive(struct machine *m, uint32_t cache, const char *what)
{
	const struct kmem_cache *c = cache_at(m, cache);
	if (!c->alive)
		return mm_error(m, "%s: cache %s was destroyed at step %u", what, cache_name(m, cache), c->freed);
	return MM_OK;
}

int kmem_cache_alloc(struct machine *m, uint32_t cache, uint32_t *slab, uint32_t *index)
{
	if (cache_check_alive(m, cache, "kmem_cache_alloc") != MM_OK)
		return MM_EINVAL;
	mm_op_begin(m);
	int rc = slab_allocator(m)->alloc(m, cache, GFP_KERNEL, slab, index);
	mm_op_end(m);
	return rc;
}

int kmem_cache_free(struct machine *m, uint32_t cache, uint32_t slab, uint32_t index)
{
	const struct slab_allocator *ops = slab_allocator(m);
	if (cache_check_alive(m, cache, "kmem_cache_free") != MM_OK ||
	    ops->check_object(m, cache, slab, index, "kmem_cache_free") != MM_OK)
		return MM_EINVAL;
	mm_op_begin(m);
	ops->free(m, cache, slab, index);
	mm_op_end(m);
	return MM_OK;
}

int kmem_cache_destroy(struct machine *m, uint32_t cache)
{
	if (cache_check_alive(m, cache, "kmem_cache_destroy") != MM_OK)
		return MM_EINVAL;
	struct kmem_cache *c = cache_at(m, cache);
	if (c->kmalloc)
		return mm_error(m, "kmem_cache_destroy: %s is a %s cache: it lives as long as the kernel",
				cache_name(m, cache), c->kmalloc == CACHE_BOOT ? "boot (kmem_cache_init)" : "kmalloc");
	if (c->inuse)
		return mm_error(m, "kmem_cache_destroy: cache %s still has %u live object(s), 0x%llx among them: "
				"free them first", cache_name(m, cache), c->inuse,
				(unsigned long long)slab_allocator(m)->first_live(m, cache));
	mm_op_begin(m);
	uint32_t slabs = slab_allocator(m)->release(m, cache);
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
	return slab_allocator(m)->kmalloc(m, size, gfp, o);
}

int slub_lookup(struct machine *m, uint64_t addr, struct kobj *o)
{
	return slab_allocator(m)->lookup(m, addr, o);
}

int kfree(struct machine *m, uint64_t addr)
{
	struct kobj o;
	if (slub_lookup(m, addr, &o) != 0)
		return MM_EINVAL;
	return slab_allocator(m)->kfree(m, addr, &o);
}

/* kmalloc through the size classes' caches (SLUB and SLAB): the class
 * kmalloc_index picks, or the buddy above the largest. */
int kmalloc_caches(struct machine *m, uint64_t size, uint32_t gfp, struct kobj *o)
{
	unsigned idx = size > m->slub->kmalloc_max ? 0 : kmalloc_index(size);
	uint32_t cache = slub_root(m)->kmalloc[idx];
	if (!cache)
		return kmalloc_large(m, size, gfp, o);
	struct kmem_cache *c = cache_at(m, cache);
	mm_op_begin(m);
	EMIT(m, EV_KMALLOC, (int64_t)size, c->name, c->object_size, (int64_t)(c->object_size - size));
	*o = (struct kobj){.cache = cache};
	int rc = slab_allocator(m)->alloc(m, cache, gfp, &o->slab, &o->index);
	mm_op_end(m);
	return rc;
}

uint64_t slub_slab_pages(const struct machine *m, bool reclaimable)
{
	return slab_allocator(m)->slab_pages(m, reclaimable);
}

int check_slub(const struct machine *m, char *why, size_t whylen)
{
	return slab_allocator(m)->check(m, why, whylen);
}

/* Pages in slabs of caches with (or without) SLAB_RECLAIM_ACCOUNT; large
 * kmallocs count as unreclaimable (NR_SLAB_UNRECLAIMABLE_B in the kernel). */
uint64_t slub_pages(const struct machine *m, bool reclaimable)
{
	uint64_t pages = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		if (!(cache_at(m, c)->flags & SLAB_RECLAIM_ACCOUNT) == !reclaimable)
			for_each_cache_slab(m, c, s)
				pages += 1u << slab_at(m, s)->order;
	if (!reclaimable)
		for (uint32_t k = slub_root(m)->large; k; k = large_at(m, k)->next)
			pages += 1u << large_at(m, k)->order;
	return pages;
}
