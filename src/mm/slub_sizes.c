/*
 * A cache's geometry, modelled on mm/slub.c (Linux 6.18): calculate_sizes
 * rounds the object to a word; puts the free pointer after the object when
 * the cache has a constructor or is SLAB_TYPESAFE_BY_RCU without a
 * freeptr_offset (8 more bytes before alignment), at that offset when it
 * has one, else in the middle of the object (ALIGN_DOWN(object_size / 2,
 * sizeof(void *))); rounds the slot to the alignment (calculate_alignment
 * in slab_common.c: SLAB_HWCACHE_ALIGN's cache-line rule, at least
 * ARCH_SLAB_MINALIGN, 8; the cache line is 64 bytes on every arch here);
 * calculate_order / calc_slab_order choose the slab order: min_objects is
 * 4 * (fls(nr_cpus) + 1), capped by what fits in slub_max_order (3); the
 * smallest order from get_order(min_objects * size) up to slub_max_order
 * that wastes at most 1/16 of the slab, else 1/8, 1/4, 1/2; failing all,
 * get_order(size).  min_partial is ilog2(size) / 2 clamped to 5..10
 * (set_min_partial), unless the scenario asks for another; the per-CPU
 * partial list's limits are set_cpu_partial's (6, 24, 52 or 120 objects by
 * slot size, as /sys/kernel/slab/NAME/cpu_partial reads), or the
 * scenario's cpu_partial (0 switches the list off).
 */
#include "slab.h"

/* ---- sizes and orders ---- */

static unsigned fls32(uint32_t x) { return x ? 32 - (unsigned)__builtin_clz(x) : 0; }

unsigned slub_get_order(uint64_t bytes, uint32_t page_size)
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
	unsigned min_order = slub_get_order(min_objects * size, page_size);
	if (((uint64_t)page_size << min_order) / size > MAX_OBJS_PER_PAGE)
		return (int)slub_get_order((uint64_t)size * MAX_OBJS_PER_PAGE, page_size) - 1;
	for (unsigned fract = 16; fract > 1; fract /= 2) {
		unsigned order = calc_slab_order(size, page_size, min_order, slub_max, fract);
		if (order <= slub_max)
			return (int)order;
	}
	unsigned order = slub_get_order(size, page_size);
	return order <= top ? (int)order : -1;
}

static unsigned ilog2_32(uint32_t x) { return fls32(x) - 1; }

/* calculate_alignment (slab_common.c): SLAB_HWCACHE_ALIGN aligns to the
 * cache line, or to the smallest power-of-two fraction of it that still
 * holds the object; never below ARCH_SLAB_MINALIGN (8), always to a word. */
uint32_t slub_calculate_alignment(const struct machine *m, uint32_t flags, uint64_t align, uint64_t size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		uint64_t ralign = CACHE_LINE_SIZE;
		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)
		align = 8;
	unsigned word = slub_pointer_size(m);
	return (uint32_t)((align + word - 1) / word * word);
}

int slub_calculate_sizes(struct machine *m, uint64_t object_size, const struct kmem_cache_args *args,
			 struct layout *l)
{
	unsigned word = slub_pointer_size(m);
	uint64_t align = slub_calculate_alignment(m, args->flags, args->align, object_size);
	uint64_t size = (object_size + word - 1) / word * word;
	/* An object that must stay intact while free (a constructor's state,
	 * or readers under SLAB_TYPESAFE_BY_RCU) keeps the free pointer after
	 * it, unless the cache names a free pointer offset inside it. */
	if (args->ctor || ((args->flags & SLAB_TYPESAFE_BY_RCU) && !args->use_freeptr_offset)) {
		l->offset = (uint32_t)size;
		size += word;
	} else if (args->flags & SLAB_TYPESAFE_BY_RCU) {
		l->offset = args->freeptr_offset;
	} else {
		l->offset = (uint32_t)(object_size / 2 / word * word);
	}
	size = (size + align - 1) / align * align;
	uint64_t biggest = (uint64_t)m->cfg.page_size << (m->max_order - 1);
	if (size > biggest)
		return -1;
	int order = slub_calculate_order((uint32_t)size, m->cfg.page_size, m->cfg.cpus, m->max_order);
	if (order < 0)
		return -1;
	l->size = (uint32_t)size;
	l->align = (uint32_t)align;
	l->order = (uint32_t)order;
	l->objects = (uint32_t)(((uint64_t)m->cfg.page_size << order) / size);
	/* set_cpu_partial: how many objects the CPU's partial list may hold,
	 * by slot size; slub_set_cpu_partial turns that into slabs at about
	 * half full: DIV_ROUND_UP(objects * 2, objects per slab) */
	uint32_t cpo = l->size >= m->cfg.page_size ? 6 : l->size >= 1024 ? 24 : l->size >= 256 ? 52 : 120;
	if (args->cpu_partial >= 0)
		cpo = (uint32_t)args->cpu_partial;
	l->cpu_partial_objects = cpo;
	l->cpu_partial_slabs = (cpo * 2 + l->objects - 1) / l->objects;
	if (args->min_partial >= 0) {
		l->min_partial = (uint32_t)args->min_partial;
	} else {
		unsigned mp = ilog2_32(l->size) / 2;
		l->min_partial = mp < 5 ? 5 : mp > 10 ? 10 : mp;
	}
	return 0;
}
