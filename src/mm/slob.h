/*
 * SLOB's records (slob.c, slob_check.c and the views share
 * them): pages of SLOB_UNITs on three lists of partially free pages, and the
 * page-or-larger blocks straight from the buddy.  All in m->slub->arena;
 * the root's offset is m->slub->alloc_root.
 */
#ifndef MM_SLOB_H
#define MM_SLOB_H

#include "slub.h"

/* SLOB_BREAK1 and SLOB_BREAK2: a request's size picks its list. */
#define SLOB_BREAK1 256u
#define SLOB_BREAK2 1024u
enum slob_list_id { SLOB_SMALL, SLOB_MEDIUM, SLOB_LARGE, NR_SLOB_LISTS, SLOB_NO_LIST = NR_SLOB_LISTS };
extern const char *const slob_list_names[NR_SLOB_LISTS + 1];

/* owner[] of a block's first unit: a cache's offset, or this for kmalloc */
#define SLOB_KMALLOC 1u

struct slob_root {
	uint32_t head[NR_SLOB_LISTS]; /* first page of each circular list (0: empty) */
	uint32_t nr[NR_SLOB_LISTS];   /* pages on each */
	uint32_t nr_pages;            /* slob pages (PageSlab), listed or full */
	uint32_t big_pages;           /* pages of live big blocks */
	uint32_t spare, big_spare;    /* records to reuse */
	uint32_t kmalloc_name;        /* "kmalloc", for events */
};

/*
 * A slob page (struct slab's units and freelist fields in 6.3) followed by
 * four arrays of units_per_page cells:
 * - mem: what the page holds where SLOB writes: a free block's slob_t words
 *   (set_slob: size then next offset, or -next for a one-unit block), and
 *   kmalloc's size header at a block's first unit;
 * - born, freed: the steps of the last allocation and free starting there;
 * - owner: what the allocation starting there belongs to.
 */
struct slob_page {
	uint32_t pfn;
	uint32_t units;    /* free units (sp->units) */
	uint32_t freelist; /* first free block's unit; units_per_page when none */
	uint32_t list;     /* enum slob_list_id; SLOB_NO_LIST when full */
	uint32_t prev, next; /* the circular list; next also links spares */
	uint32_t born, freed;
};

/* A block of a page or more (kmalloc of PAGE_SIZE - minalign or more, or
 * a cache of objects of a page or more): not PageSlab. */
struct slob_big {
	uint32_t pfn, order, size;
	uint32_t cache; /* SLOB_KMALLOC or the cache */
	uint32_t born, freed;
	uint32_t next;  /* the spare list */
};

static inline struct slob_root *slob_root(const struct machine *m)
{
	return slub_ptr(m, m->slub->alloc_root);
}
static inline struct slob_page *slob_page_at(const struct machine *m, uint32_t off)
{
	return slub_ptr(m, off);
}
static inline struct slob_big *slob_big_at(const struct machine *m, uint32_t off)
{
	return slub_ptr(m, off);
}
/* SLOB_UNIT: sizeof(slob_t), an s16 unless pages are bigger than 64K - 2 */
static inline uint32_t slob_unit(const struct machine *m)
{
	return m->cfg.page_size <= 32767u * 2 ? 2 : 4;
}
static inline uint32_t slob_units_per_page(const struct machine *m)
{
	return m->cfg.page_size / slob_unit(m);
}
static inline uint32_t slob_units(const struct machine *m, uint64_t bytes)
{
	return (uint32_t)((bytes + slob_unit(m) - 1) / slob_unit(m));
}
static inline int32_t *slob_mem(const struct machine *m, struct slob_page *p)
{
	(void)m;
	return (int32_t *)(p + 1);
}
static inline uint32_t *slob_born(const struct machine *m, struct slob_page *p)
{
	return (uint32_t *)(p + 1) + slob_units_per_page(m);
}
static inline uint32_t *slob_freed(const struct machine *m, struct slob_page *p)
{
	return (uint32_t *)(p + 1) + 2 * slob_units_per_page(m);
}
static inline uint32_t *slob_owner(const struct machine *m, struct slob_page *p)
{
	return (uint32_t *)(p + 1) + 3 * slob_units_per_page(m);
}
/* slob_units() and slob_next() of the free block at unit u */
static inline uint32_t slob_block_units(const struct machine *m, struct slob_page *p, uint32_t u)
{
	int32_t v = slob_mem(m, p)[u];
	return v > 0 ? (uint32_t)v : 1;
}
static inline uint32_t slob_block_next(const struct machine *m, struct slob_page *p, uint32_t u)
{
	int32_t v = slob_mem(m, p)[u];
	return v < 0 ? (uint32_t)-v : (uint32_t)slob_mem(m, p)[u + 1];
}
/* ARCH_KMALLOC_MINALIGN (= arch_slab_minalign) in 6.3: kmalloc's header */
uint32_t slob_minalign(const struct machine *m);
/* The list a request of `size` bytes searches. */
static inline unsigned slob_list_for(uint64_t size)
{
	return size < SLOB_BREAK1 ? SLOB_SMALL : size < SLOB_BREAK2 ? SLOB_MEDIUM : SLOB_LARGE;
}

/* slob_check.c */
int check_slob(const struct machine *m, char *why, size_t whylen);

extern const struct slab_allocator slob_allocator;

#endif
