/*
 * The glibc heap's memory and bookkeeping (malloc.h): the heap's words,
 * the mmapped chunks, bin links (glibc's unlink_chunk, mark_bin), sbrk
 * and mmap (sysmalloc's main-arena path, sysmalloc_mmap, munmap_chunk),
 * systrim, mallinfo2 and malloc_stats, after glibc 2.36 malloc/malloc.c.
 * The checker walks the heap as do_check_malloc_state would.
 */
#include "malloc_int.h"

#include <stdio.h>
#include <stdlib.h>

const char *const ma_message_text[NR_MA_MESSAGES + 1] = {
#define MA_MSG_TEXT(id, text) text,
	MA_MESSAGES(MA_MSG_TEXT)
#undef MA_MSG_TEXT
	NULL};
const char *const ma_call_names[NR_MA_CALLS + 1] = {"malloc", "free", "calloc", "realloc", "malloc_trim", "poke", NULL};
const char *const ma_place_names[NR_MA_PLACES + 1] = {"top", "unsorted", "small bin", "large bin", "last remainder",
						      "fastbin", "tcache", "mmap", "chunk being resized", NULL};

unsigned ma_largebin_index(uint64_t sz)
{
	if ((sz >> 6) <= 48)
		return 48 + (unsigned)(sz >> 6);
	if ((sz >> 9) <= 20)
		return 91 + (unsigned)(sz >> 9);
	if ((sz >> 12) <= 10)
		return 110 + (unsigned)(sz >> 12);
	if ((sz >> 15) <= 4)
		return 119 + (unsigned)(sz >> 15);
	if ((sz >> 18) <= 2)
		return 124 + (unsigned)(sz >> 18);
	return 126;
}

/* ---- memory ---- */

/* An mmapped chunk: 6 cells, its address, its length and its size word
 * (the chunk header's; the rest of its memory is the program's). */
#define MAP_CELLS 6u
static uint64_t cell64(const struct machine *m, const struct tbvec *v, uint64_t i)
{
	const uint32_t *c = tbv_cell(textbook_arena(m), v, i);
	return c[0] | (uint64_t)c[1] << 32;
}
static void set_cell64(struct machine *m, const struct tbvec *v, uint64_t i, uint64_t x)
{
	tbv_set(m, textbook_arena(m), v, i, (uint32_t)x);
	tbv_set(m, textbook_arena(m), v, i + 1, (uint32_t)(x >> 32));
}
uint64_t ma_map_addr(const struct machine *m, const struct malloc_heap *h, uint32_t i)
{
	return cell64(m, &h->maps, MAP_CELLS * (uint64_t)i);
}
uint64_t ma_map_len(const struct machine *m, const struct malloc_heap *h, uint32_t i)
{
	return cell64(m, &h->maps, MAP_CELLS * (uint64_t)i + 2);
}

/* The live mapping holding addr (maps are by address descending), or -1. */
int64_t ma_find_map(const struct machine *m, const struct malloc_heap *h, uint64_t addr)
{
	uint32_t lo = 0, hi = h->nmaps;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (ma_map_addr(m, h, mid) > addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->nmaps && addr - ma_map_addr(m, h, lo) < ma_map_len(m, h, lo))
		return lo;
	return -1;
}

static bool in_heap(const struct malloc_heap *h, uint64_t addr)
{
	return addr >= h->sbrk_base && addr < h->brk;
}

bool ma_readable(const struct machine *m, const struct malloc_heap *h, uint64_t addr)
{
	return in_heap(h, addr) || ma_find_map(m, h, addr) >= 0;
}

/* main_arena's words from top on: top, last_remainder, then bins[] (fd
 * and bk of bin 1, of bin 2, …).  A bin's fake chunk overlaps the next
 * bin's pair, so its fd_nextsize is bin i+1's fd, as in glibc. */
static uint64_t *arena_word(struct malloc_heap *h, uint64_t addr)
{
	uint64_t at = MA_ARENA_ADDR + 0x60;
	if (addr < at || addr >= at + 16 + 16 * (MA_NBINS - 1))
		return NULL;
	uint64_t k = (addr - at) / 8;
	if (k == 0)
		return &h->top;
	if (k == 1)
		return &h->last_remainder;
	k -= 2;
	return k % 2 ? &h->bin_bk[k / 2 + 1] : &h->bin_fd[k / 2 + 1];
}

/* An mmapped chunk keeps its size word in its map record (the rest of its
 * memory is the program's, read as zero). */
uint64_t ma_word(const struct machine *m, const struct malloc_heap *h, uint64_t addr)
{
	addr &= ~7ull;
	const uint64_t *aw = arena_word((struct malloc_heap *)h, addr);
	if (aw)
		return *aw;
	if (in_heap(h, addr))
		return cell64(m, &h->mem, (addr - h->sbrk_base) / 8 * 2);
	int64_t i = ma_find_map(m, h, addr);
	if (i >= 0 && ma_map_addr(m, h, (uint32_t)i) + 8 == addr)
		return cell64(m, &h->maps, MAP_CELLS * (uint64_t)i + 4);
	return 0;
}

void ma_set_word(struct machine *m, struct malloc_heap *h, uint64_t addr, uint64_t v)
{
	addr &= ~7ull;
	uint64_t *aw = arena_word(h, addr);
	if (aw) {
		jset64(&m->j, aw, v);
		return;
	}
	if (in_heap(h, addr)) {
		set_cell64(m, &h->mem, (addr - h->sbrk_base) / 8 * 2, v);
		return;
	}
	int64_t i = ma_find_map(m, h, addr);
	if (i >= 0 && ma_map_addr(m, h, (uint32_t)i) + 8 == addr)
		set_cell64(m, &h->maps, MAP_CELLS * (uint64_t)i + 4, v);
	/* else the program's data: not modelled */
}

uint64_t ma_top_size(const struct machine *m, const struct malloc_heap *h)
{
	return h->top ? ma_chunksize(m, h, h->top) : 0;
}

unsigned ma_tcache_count(const struct machine *m, const struct malloc_heap *h, unsigned idx)
{
	if (!h->tcache)
		return 0;
	return (unsigned)(ma_word(m, h, h->tcache + idx / 4 * 8) >> (idx % 4 * 16)) & 0xffff;
}

void ma_set_tcache_count(struct machine *m, struct malloc_heap *h, unsigned idx, unsigned n)
{
	uint64_t at = h->tcache + idx / 4 * 8, w = ma_word(m, h, at);
	unsigned sh = idx % 4 * 16;
	ma_set_word(m, h, at, (w & ~(0xffffull << sh)) | (uint64_t)(n & 0xffff) << sh);
}

uint64_t ma_tcache_entry(const struct machine *m, const struct malloc_heap *h, unsigned idx)
{
	return h->tcache ? ma_word(m, h, h->tcache + 128 + 8 * (uint64_t)idx) : 0;
}

/* ---- bins: fd/bk of a chunk, or of a bin's fake chunk in main_arena ---- */

/* fd and bk: the words after the header, for a bin's fake chunk too. */
uint64_t ma_fd(const struct machine *m, const struct malloc_heap *h, uint64_t p) { return ma_word(m, h, p + 16); }
uint64_t ma_bk(const struct machine *m, const struct malloc_heap *h, uint64_t p) { return ma_word(m, h, p + 24); }
void ma_set_fd(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t v) { ma_set_word(m, h, p + 16, v); }
void ma_set_bk(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t v) { ma_set_word(m, h, p + 24, v); }

const char *ma_chunk_state(const struct machine *m, const struct malloc_heap *h, uint64_t p)
{
	if (p == h->top)
		return "top";
	uint64_t size = ma_chunksize(m, h, p);
	if (!(ma_word(m, h, p + size + 8) & MA_PREV_INUSE))
		return "free";
	/* glibc's own mark of a tcache chunk: the key beside its next */
	if (h->tcache && ma_word(m, h, p + 24) == MA_TCACHE_KEY && ma_tcache_index(size) < MA_TCACHE_BINS)
		return "tcache";
	if (size <= MA_MAX_FAST && size >= MA_MINSIZE) {
		uint32_t n = 0;
		for (uint64_t f = h->fastbins[ma_fastbin_index(size)]; f && n++ <= h->fast_blocks;
		     f = ma_reveal(f + 16, ma_word(m, h, f + 16)))
			if (f == p)
				return "fastbin";
	}
	return "in use";
}

/* The totals mallinfo2 reports, kept as chunks enter and leave bins. */
void ma_count_bin(struct machine *m, struct malloc_heap *h, uint64_t size, int dir)
{
	jset32(&m->j, &h->bin_blocks, h->bin_blocks + (uint32_t)dir);
	jset64(&m->j, &h->bin_bytes, h->bin_bytes + (uint64_t)(int64_t)dir * size);
}

void ma_mark_bin(struct machine *m, struct malloc_heap *h, unsigned i)
{
	jset32(&m->j, &h->binmap[i >> 5], h->binmap[i >> 5] | 1u << (i & 31));
}

/* glibc's unlink_chunk, with its checks: false when it aborted. */
bool ma_unlink(struct machine *m, struct malloc_heap *h, uint64_t p)
{
	uint64_t size = ma_chunksize(m, h, p);
	if (size != (ma_word(m, h, p + size) & ~0ull))
		return ma_die(m, h, MA_ABORT, MA_MSG_UNLINK_SIZE, p);
	uint64_t fd = ma_fd(m, h, p), bk = ma_bk(m, h, p);
	if (ma_bk(m, h, fd) != p || ma_fd(m, h, bk) != p)
		return ma_die(m, h, MA_ABORT, MA_MSG_UNLINK_LIST, p);
	ma_set_bk(m, h, fd, bk);
	ma_set_fd(m, h, bk, fd);
	if (!ma_in_smallbin_range(size) && ma_word(m, h, p + 32)) {
		uint64_t fdn = ma_word(m, h, p + 32), bkn = ma_word(m, h, p + 40);
		if (ma_word(m, h, fdn + 40) != p || ma_word(m, h, bkn + 32) != p)
			return ma_die(m, h, MA_ABORT, MA_MSG_UNLINK_NEXTSIZE, p);
		if (!ma_word(m, h, fd + 32)) {
			if (fdn == p) {
				ma_set_word(m, h, fd + 32, fd);
				ma_set_word(m, h, fd + 40, fd);
			} else {
				ma_set_word(m, h, fd + 32, fdn);
				ma_set_word(m, h, fd + 40, bkn);
				ma_set_word(m, h, fdn + 40, fd);
				ma_set_word(m, h, bkn + 32, fd);
			}
		} else {
			ma_set_word(m, h, fdn + 40, bkn);
			ma_set_word(m, h, bkn + 32, fdn);
		}
	}
	ma_count_bin(m, h, size, -1);
	return true;
}

bool ma_die(struct machine *m, struct malloc_heap *h, enum ma_death how, enum ma_message msg, uint64_t addr)
{
	jset32(&m->j, &h->death, how);
	jset32(&m->j, &h->message, msg);
	jset64(&m->j, &h->death_addr, addr);
	EMIT(m, EV_MA_ABORT, h->id, msg, (int64_t)addr, how);
	return false;
}

const char *ma_dead(const struct machine *m, const struct malloc_heap *h)
{
	(void)m;
	return h->death == MA_ALIVE ? NULL : ma_message_text[h->message];
}

/* ---- the system: sbrk, mmap ---- */

/* MORECORE: move the break by incr (system_mem with it); false when the
 * heap may not grow.  The caller takes the ma_sbrk step once top agrees. */
bool ma_sbrk(struct machine *m, struct malloc_heap *h, int64_t incr)
{
	uint64_t nbrk = h->brk + (uint64_t)incr;
	if (incr > 0 && nbrk - h->sbrk_base > h->max_heap)
		return false;
	tbv_reserve(m, textbook_arena(m), &h->mem, (nbrk - h->sbrk_base) / 8 * 2);
	uint64_t old = h->brk;
	if (incr < 0) /* memory given back reads as zero when it comes again */
		for (uint64_t a = nbrk; a < old; a += 8)
			ma_set_word(m, h, a, 0);
	jset64(&m->j, &h->brk, nbrk);
	jset64(&m->j, &h->system_mem, h->system_mem + (uint64_t)incr);
	if (h->system_mem > h->max_system_mem)
		jset64(&m->j, &h->max_system_mem, h->system_mem);
	return true;
}

/* sysmalloc_mmap: a chunk of its own pages; its user pointer, 0 if none. */
uint64_t ma_sys_mmap(struct machine *m, struct malloc_heap *h, uint64_t nb)
{
	uint64_t size = (nb + MA_SIZE_SZ + MA_PAGE - 1) & ~(uint64_t)(MA_PAGE - 1);
	if (size <= nb || h->nmaps >= MA_MAX_MMAPS || size > h->mmap_next - (1ull << 40))
		return 0;
	uint64_t addr = h->mmap_next - size;
	uint32_t i = h->nmaps;
	tbv_reserve(m, textbook_arena(m), &h->maps, MAP_CELLS * ((uint64_t)i + 1));
	set_cell64(m, &h->maps, MAP_CELLS * (uint64_t)i, addr);
	set_cell64(m, &h->maps, MAP_CELLS * (uint64_t)i + 2, size);
	jset32(&m->j, &h->nmaps, i + 1);
	ma_set_word(m, h, addr + 8, size | MA_IS_MMAPPED); /* prev_size 0: no front misalignment */
	jset64(&m->j, &h->mmap_next, addr);
	jset32(&m->j, &h->n_mmaps, h->n_mmaps + 1);
	if (h->n_mmaps > h->max_n_mmaps)
		jset32(&m->j, &h->max_n_mmaps, h->n_mmaps);
	jset64(&m->j, &h->mmapped_mem, h->mmapped_mem + size);
	if (h->mmapped_mem > h->max_mmapped_mem)
		jset64(&m->j, &h->max_mmapped_mem, h->mmapped_mem);
	EMIT(m, EV_MA_MMAP, h->id, (int64_t)addr, (int64_t)size, h->n_mmaps);
	return addr + MA_HDR;
}

/* munmap_chunk, with its check; false when it aborted. */
bool ma_munmap_chunk(struct machine *m, struct malloc_heap *h, uint64_t p)
{
	uint64_t size = ma_chunksize(m, h, p), prev = ma_word(m, h, p);
	uint64_t block = p - prev, total = prev + size, mem = (p + MA_HDR) & (MA_PAGE - 1);
	int64_t i = ma_find_map(m, h, p);
	if (((block | total) & (MA_PAGE - 1)) || (mem & (mem - 1)) || i < 0 ||
	    ma_map_addr(m, h, (uint32_t)i) != block || ma_map_len(m, h, (uint32_t)i) != total)
		return ma_die(m, h, MA_ABORT, MA_MSG_MUNMAP_INVALID, p + MA_HDR);
	jset32(&m->j, &h->n_mmaps, h->n_mmaps - 1);
	jset64(&m->j, &h->mmapped_mem, h->mmapped_mem - total);
	set_cell64(m, &h->maps, MAP_CELLS * (uint64_t)i + 2, 0);
	set_cell64(m, &h->maps, MAP_CELLS * (uint64_t)i + 4, 0);
	EMIT(m, EV_MA_MUNMAP, h->id, (int64_t)block, (int64_t)total, h->n_mmaps);
	return true;
}

/* sysmalloc (main arena, contiguous sbrk): mmap a request at or above the
 * threshold, else grow top by sbrk and split the request off it. */
uint64_t ma_sysmalloc(struct machine *m, struct malloc_heap *h, uint64_t nb)
{
	if (nb >= h->mmap_threshold && h->n_mmaps < h->n_mmaps_max) {
		uint64_t mem = ma_sys_mmap(m, h, nb);
		if (mem)
			return mem;
	}
	uint64_t old_top = h->top, old_size = ma_top_size(m, h);
	uint64_t size = nb + h->top_pad + MA_MINSIZE - old_size;
	size = (size + MA_PAGE - 1) & ~(uint64_t)(MA_PAGE - 1);
	uint64_t old_end = h->brk;
	if (size > INT64_MAX || !ma_sbrk(m, h, (int64_t)size))
		return 0; /* glibc would try mmap as MORECORE; the model does not */
	if (!old_top) { /* the first sbrk: top starts at the break (page-aligned here) */
		jset64(&m->j, &h->top, old_end);
		ma_set_word(m, h, old_end + 8, size | MA_PREV_INUSE);
	} else
		ma_set_word(m, h, old_top + 8, (old_size + size) | MA_PREV_INUSE);
	EMIT(m, EV_MA_SBRK, h->id, (int64_t)size, (int64_t)old_end, (int64_t)h->brk);
	EMIT(m, EV_MA_TOP, h->id, (int64_t)h->top, (int64_t)old_size, (int64_t)ma_top_size(m, h));
	return ma_split_top(m, h, nb);
}

/* Split nb off top (the use_top path and sysmalloc's end). */
uint64_t ma_split_top(struct machine *m, struct malloc_heap *h, uint64_t nb)
{
	uint64_t victim = h->top, size = ma_top_size(m, h);
	if (size < nb + MA_MINSIZE)
		return 0;
	uint64_t rem = victim + nb;
	jset64(&m->j, &h->top, rem);
	ma_set_word(m, h, victim + 8, nb | MA_PREV_INUSE);
	ma_set_word(m, h, rem + 8, (size - nb) | MA_PREV_INUSE);
	EMIT(m, EV_MA_SPLIT, h->id, (int64_t)victim, (int64_t)nb, (int64_t)rem, (int64_t)(size - nb), MA_AT_TOP);
	return victim + MA_HDR;
}

/* systrim: give back whole pages of top above pad; 1 if any went. */
int ma_systrim(struct machine *m, struct malloc_heap *h, uint64_t pad)
{
	int64_t top_size = (int64_t)ma_top_size(m, h), top_area = top_size - MA_MINSIZE - 1;
	if (!h->top || top_area <= (int64_t)pad)
		return 0;
	int64_t extra = (top_area - (int64_t)pad) & ~(int64_t)(MA_PAGE - 1);
	if (extra == 0 || h->top + (uint64_t)top_size != h->brk)
		return 0;
	uint64_t old_brk = h->brk;
	ma_sbrk(m, h, -extra);
	ma_set_word(m, h, h->top + 8, (uint64_t)(top_size - extra) | MA_PREV_INUSE);
	EMIT(m, EV_MA_SBRK, h->id, -extra, (int64_t)old_brk, (int64_t)h->brk);
	EMIT(m, EV_MA_TRIM, h->id, extra, top_size - extra);
	return 1;
}

struct ma_mallinfo ma_mallinfo2(const struct machine *m, const struct malloc_heap *h)
{
	struct ma_mallinfo mi = {0};
	uint64_t top = ma_top_size(m, h), avail = top + h->fast_bytes + h->bin_bytes;
	mi.arena = h->system_mem;
	mi.ordblks = 1 + h->bin_blocks;
	mi.smblks = h->fast_blocks;
	mi.fsmblks = h->fast_bytes;
	mi.fordblks = avail;
	mi.uordblks = h->system_mem - avail;
	mi.hblks = h->n_mmaps;
	mi.hblkhd = h->mmapped_mem;
	mi.keepcost = top;
	return mi;
}

void ma_stats(const struct machine *m, const struct malloc_heap *h, char *buf, size_t len)
{
	struct ma_mallinfo mi = ma_mallinfo2(m, h);
	/* malloc_stats prints unsigned int casts, as here */
	snprintf(buf, len,
		 "Arena 0:\nsystem bytes     = %10u\nin use bytes     = %10u\nTotal (incl. mmap):\n"
		 "system bytes     = %10u\nin use bytes     = %10u\nmax mmap regions = %10u\nmax mmap bytes   = %10lu\n",
		 (unsigned)mi.arena, (unsigned)mi.uordblks, (unsigned)(h->mmapped_mem + mi.arena),
		 (unsigned)(h->mmapped_mem + mi.uordblks), h->max_n_mmaps, (unsigned long)h->max_mmapped_mem);
}
