/* Shared by the glibc heap's files (malloc.c, malloc_arena.c,
 * malloc_check.c): words, bin links, the system calls. */
#ifndef MM_TEXTBOOK_MALLOC_INT_H
#define MM_TEXTBOOK_MALLOC_INT_H

#include "malloc.h"

void ma_set_word(struct machine *m, struct malloc_heap *h, uint64_t addr, uint64_t v);
void ma_set_tcache_count(struct machine *m, struct malloc_heap *h, unsigned idx, unsigned n);
void ma_set_fd(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t v);
void ma_set_bk(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t v);
void ma_count_bin(struct machine *m, struct malloc_heap *h, uint64_t size, int dir);
void ma_mark_bin(struct machine *m, struct malloc_heap *h, unsigned i);
bool ma_unlink(struct machine *m, struct malloc_heap *h, uint64_t p);
/* malloc_printerr or a fault: the heap dies (a step); returns false. */
bool ma_die(struct machine *m, struct malloc_heap *h, enum ma_death how, enum ma_message msg, uint64_t addr);
bool ma_sbrk(struct machine *m, struct malloc_heap *h, int64_t incr);
uint64_t ma_sys_mmap(struct machine *m, struct malloc_heap *h, uint64_t nb);
bool ma_munmap_chunk(struct machine *m, struct malloc_heap *h, uint64_t p);
uint64_t ma_sysmalloc(struct machine *m, struct malloc_heap *h, uint64_t nb);
uint64_t ma_split_top(struct machine *m, struct malloc_heap *h, uint64_t nb);
int ma_systrim(struct machine *m, struct malloc_heap *h, uint64_t pad);
int64_t ma_find_map(const struct machine *m, const struct malloc_heap *h, uint64_t addr);
uint64_t ma_map_addr(const struct machine *m, const struct malloc_heap *h, uint32_t i);
uint64_t ma_map_len(const struct machine *m, const struct malloc_heap *h, uint32_t i);

/* malloc.c */
uint64_t ma_int_malloc(struct machine *m, struct malloc_heap *h, uint64_t nb, bool use_tcache);
void ma_int_free(struct machine *m, struct malloc_heap *h, uint64_t p);
void ma_tcache_init(struct machine *m, struct malloc_heap *h);
uint64_t ma_tcache_get(struct machine *m, struct malloc_heap *h, unsigned idx);
bool ma_malloc_consolidate(struct machine *m, struct malloc_heap *h);

static inline bool ma_prev_inuse(const struct machine *m, const struct malloc_heap *h, uint64_t p)
{
	return ma_word(m, h, p + 8) & MA_PREV_INUSE;
}
static inline bool ma_is_mmapped(const struct machine *m, const struct malloc_heap *h, uint64_t p)
{
	return ma_word(m, h, p + 8) & MA_IS_MMAPPED;
}
/* The PREV_INUSE bit of the chunk off bytes after p (p's own in-use bit). */
static inline void ma_set_inuse_at(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t off)
{
	ma_set_word(m, h, p + off + 8, ma_word(m, h, p + off + 8) | MA_PREV_INUSE);
}
static inline void ma_clear_inuse_at(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t off)
{
	ma_set_word(m, h, p + off + 8, ma_word(m, h, p + off + 8) & ~(uint64_t)MA_PREV_INUSE);
}
/* set_head keeps nothing; set_foot writes the next chunk's prev_size. */
static inline void ma_set_head(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t v)
{
	ma_set_word(m, h, p + 8, v);
}
static inline void ma_set_foot(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t size)
{
	ma_set_word(m, h, p + size, size);
}

#endif
