/*
 * The glibc heap's entry points (malloc.h): a new heap (ptmalloc_init's
 * defaults), __libc_malloc, __libc_free, __libc_calloc, __libc_realloc
 * with _int_realloc, __malloc_trim (mtrim's consolidation and systrim;
 * its madvise of free pages inside bins changes nothing the model keeps)
 * and a program's store into its memory.  Each call is one operation that
 * opens with an ma_call step and ends with an ma_return step.
 */
#include "malloc_int.h"

const char *ma_config_error(const struct machine *m, const struct ma_config *c)
{
	(void)m;
	if (c->pid)
		return "heap{task=} is not modelled yet: give heap{size=} (the heap's own range)";
	if (c->max_heap < MA_PAGE || c->max_heap > MA_MAX_HEAP)
		return "the heap's size must be from 4096 bytes to 64 MiB";
	return NULL;
}

uint32_t malloc_heap_new(struct machine *m, const struct ma_config *c)
{
	mm_op_begin(m);
	uint32_t off = textbook_add(m, sizeof(struct malloc_heap), TB_MALLOC);
	struct malloc_heap *h = malloc_heap_at(m, off);
	struct journal *j = &m->j;
	jset32(j, &h->id, textbook_root(m)->count - 1);
	jset32(j, &h->pid, c->pid);
	/* malloc_init_state: every bin empty (pointing at itself) */
	for (unsigned i = 1; i < MA_NBINS; i++) {
		jset64(j, &h->bin_fd[i], ma_bin_at(i));
		jset64(j, &h->bin_bk[i], ma_bin_at(i));
	}
	jset64(j, &h->mmap_threshold, MA_MMAP_THRESHOLD);
	jset64(j, &h->trim_threshold, 128 * 1024);
	jset64(j, &h->top_pad, MA_TOP_PAD);
	jset32(j, &h->n_mmaps_max, 65536);
	jset64(j, &h->sbrk_base, MA_HEAP_BASE);
	jset64(j, &h->brk, MA_HEAP_BASE);
	jset64(j, &h->max_heap, c->max_heap);
	jset64(j, &h->mmap_next, MA_MMAP_BASE);
	textbook_made(m, off, (uint32_t)(c->max_heap / 1024));
	mm_op_end(m);
	return off;
}

static bool begin(struct machine *m, struct malloc_heap *h, enum ma_call call, uint64_t ptr, uint64_t bytes, uint64_t nb)
{
	if (h->death != MA_ALIVE)
		return false;
	mm_op_begin(m);
	EMIT(m, EV_MA_CALL, h->id, call, (int64_t)ptr, (int64_t)bytes, (int64_t)nb);
	return true;
}

static uint64_t finish(struct machine *m, struct malloc_heap *h, enum ma_call call, uint64_t mem)
{
	if (h->death == MA_ALIVE)
		EMIT(m, EV_MA_RETURN, h->id, call, (int64_t)mem, mem ? (int64_t)ma_chunksize(m, h, mem - MA_HDR) : 0);
	mm_op_end(m);
	return h->death == MA_ALIVE ? mem : 0;
}

/* checked_request2size: 0 for a request past PTRDIFF_MAX (ENOMEM). */
static uint64_t checked_request2size(uint64_t bytes)
{
	return bytes > INT64_MAX ? 0 : ma_request2size(bytes);
}

static uint64_t do_malloc(struct machine *m, struct malloc_heap *h, uint64_t bytes)
{
	uint64_t nb = checked_request2size(bytes);
	if (!nb)
		return 0;
	unsigned tc_idx = ma_tcache_index(nb);
	if (!h->tcache)
		ma_tcache_init(m, h);
	if (h->death)
		return 0;
	if (tc_idx < MA_TCACHE_BINS && h->tcache && ma_tcache_count(m, h, tc_idx) > 0)
		return ma_tcache_get(m, h, tc_idx);
	return ma_int_malloc(m, h, nb, true);
}

uint64_t ma_malloc(struct machine *m, uint32_t off, uint64_t bytes)
{
	struct malloc_heap *h = malloc_heap_at(m, off);
	if (!begin(m, h, MA_MALLOC, 0, bytes, checked_request2size(bytes)))
		return 0;
	return finish(m, h, MA_MALLOC, do_malloc(m, h, bytes));
}

static void do_free(struct machine *m, struct malloc_heap *h, uint64_t mem)
{
	if (!mem)
		return;
	uint64_t p = mem - MA_HDR;
	if (!ma_readable(m, h, p + 8))
		return (void)ma_die(m, h, MA_SEGV, MA_MSG_SEGV, p + 8);
	if (ma_is_mmapped(m, h, p)) {
		uint64_t sz = ma_word(m, h, p + 8); /* chunksize_nomask: IS_MMAPPED counts */
		if (!h->no_dyn_threshold && sz > h->mmap_threshold && sz <= MA_MMAP_THRESHOLD_MAX) {
			jset64(&m->j, &h->mmap_threshold, ma_chunksize(m, h, p));
			jset64(&m->j, &h->trim_threshold, 2 * h->mmap_threshold);
			EMIT(m, EV_MA_THRESHOLD, h->id, (int64_t)h->mmap_threshold, (int64_t)h->trim_threshold);
		}
		ma_munmap_chunk(m, h, p);
		return;
	}
	if (!h->tcache)
		ma_tcache_init(m, h);
	if (!h->death)
		ma_int_free(m, h, p);
}

void ma_free(struct machine *m, uint32_t off, uint64_t mem)
{
	struct malloc_heap *h = malloc_heap_at(m, off);
	if (!begin(m, h, MA_FREE, mem, 0, 0))
		return;
	do_free(m, h, mem);
	finish(m, h, MA_FREE, 0);
}

uint64_t ma_calloc(struct machine *m, uint32_t off, uint64_t n, uint64_t size)
{
	struct malloc_heap *h = malloc_heap_at(m, off);
	uint64_t bytes;
	bool over = __builtin_mul_overflow(n, size, &bytes);
	if (!begin(m, h, MA_CALLOC, 0, over ? UINT64_MAX : bytes, over ? 0 : checked_request2size(bytes)))
		return 0;
	uint64_t nb = over ? 0 : checked_request2size(bytes), mem = 0;
	if (nb && !h->tcache)
		ma_tcache_init(m, h);
	if (nb && !h->death)
		mem = ma_int_malloc(m, h, nb, true); /* calloc skips the tcache */
	if (mem && !h->death && !ma_is_mmapped(m, h, mem - MA_HDR)) {
		/* the block is cleared (fresh mmaps are zero already) */
		uint64_t csz = ma_chunksize(m, h, mem - MA_HDR);
		for (uint64_t a = mem; a < mem + csz - MA_SIZE_SZ; a += 8)
			ma_set_word(m, h, a, 0);
	}
	return finish(m, h, MA_CALLOC, mem);
}

/* _int_realloc: grow or shrink in place when the neighbours allow. */
static uint64_t int_realloc(struct machine *m, struct malloc_heap *h, uint64_t oldp, uint64_t oldsize, uint64_t nb)
{
	if (ma_word(m, h, oldp + 8) <= MA_HDR || oldsize >= h->system_mem)
		return ma_die(m, h, MA_ABORT, MA_MSG_REALLOC_OLD_SIZE, oldp + MA_HDR), 0;
	uint64_t next = oldp + oldsize, nextsize = ma_chunksize(m, h, next), newp = oldp, newsize = oldsize;
	bool merged = false;
	if (ma_word(m, h, next + 8) <= MA_HDR || nextsize >= h->system_mem)
		return ma_die(m, h, MA_ABORT, MA_MSG_REALLOC_NEXT_SIZE, oldp + MA_HDR), 0;
	if (oldsize < nb) {
		bool next_free = next != h->top && !(ma_word(m, h, next + nextsize + 8) & MA_PREV_INUSE);
		if (next == h->top && oldsize + nextsize >= nb + MA_MINSIZE) {
			ma_set_head(m, h, oldp, nb | (ma_word(m, h, oldp + 8) & MA_PREV_INUSE));
			jset64(&m->j, &h->top, oldp + nb);
			ma_set_head(m, h, h->top, (oldsize + nextsize - nb) | MA_PREV_INUSE);
			EMIT(m, EV_MA_SPLIT, h->id, (int64_t)oldp, (int64_t)nb, (int64_t)h->top,
			     (int64_t)(oldsize + nextsize - nb), MA_AT_TOP);
			return oldp + MA_HDR;
		} else if (next_free && oldsize + nextsize >= nb) {
			if (!ma_unlink(m, h, next))
				return 0;
			newsize = oldsize + nextsize;
			merged = true;
		} else {
			uint64_t mem = ma_int_malloc(m, h, nb, true);
			if (!mem || h->death)
				return 0;
			newp = mem - MA_HDR;
			newsize = ma_chunksize(m, h, newp);
			if (newp == next) {
				newsize += oldsize;
				newp = oldp;
				merged = true;
			} else {
				/* the program's bytes are not modelled: nothing to copy */
				ma_int_free(m, h, oldp);
				return h->death ? 0 : mem;
			}
		}
	}
	uint64_t rem_size = newsize - nb, bits = ma_word(m, h, newp + 8) & MA_PREV_INUSE;
	if (rem_size < MA_MINSIZE) {
		ma_set_head(m, h, newp, newsize | bits);
		ma_set_inuse_at(m, h, newp, newsize);
		if (merged)
			EMIT(m, EV_MA_COALESCE, h->id, (int64_t)oldp, (int64_t)oldsize, (int64_t)next, (int64_t)newsize, 1);
	} else {
		uint64_t rem = newp + nb;
		ma_set_head(m, h, newp, nb | bits);
		ma_set_head(m, h, rem, rem_size | MA_PREV_INUSE);
		ma_set_inuse_at(m, h, rem, rem_size);
		if (merged)
			EMIT(m, EV_MA_COALESCE, h->id, (int64_t)oldp, (int64_t)oldsize, (int64_t)next, (int64_t)newsize, 1);
		EMIT(m, EV_MA_SPLIT, h->id, (int64_t)newp, (int64_t)nb, (int64_t)rem, (int64_t)rem_size, MA_AT_INPLACE);
		ma_int_free(m, h, rem);
	}
	return h->death ? 0 : newp + MA_HDR;
}

uint64_t ma_realloc(struct machine *m, uint32_t off, uint64_t mem, uint64_t bytes)
{
	struct malloc_heap *h = malloc_heap_at(m, off);
	if (!begin(m, h, MA_REALLOC, mem, bytes, checked_request2size(bytes)))
		return 0;
	if (bytes == 0 && mem) { /* REALLOC_ZERO_BYTES_FREES */
		do_free(m, h, mem);
		return finish(m, h, MA_REALLOC, 0);
	}
	if (!mem)
		return finish(m, h, MA_REALLOC, do_malloc(m, h, bytes));
	uint64_t oldp = mem - MA_HDR, out = 0;
	if (!ma_readable(m, h, oldp + 8)) {
		ma_die(m, h, MA_SEGV, MA_MSG_SEGV, oldp + 8);
		return finish(m, h, MA_REALLOC, 0);
	}
	uint64_t oldsize = ma_chunksize(m, h, oldp);
	if (!ma_is_mmapped(m, h, oldp) && !h->tcache)
		ma_tcache_init(m, h);
	uint64_t nb = checked_request2size(bytes);
	if (h->death)
		;
	else if (oldp > (uint64_t)0 - oldsize || (oldp & (MA_ALIGN - 1)))
		ma_die(m, h, MA_ABORT, MA_MSG_REALLOC_INVALID_POINTER, mem);
	else if (!nb)
		;
	else if (ma_is_mmapped(m, h, oldp)) {
		/* glibc would mremap; the model mallocs, copies, unmaps */
		if (oldsize - MA_SIZE_SZ >= nb)
			out = mem;
		else if ((out = do_malloc(m, h, bytes)) && !h->death)
			ma_munmap_chunk(m, h, oldp);
	} else
		out = int_realloc(m, h, oldp, oldsize, nb);
	return finish(m, h, MA_REALLOC, out);
}

int ma_trim(struct machine *m, uint32_t off, uint64_t pad)
{
	struct malloc_heap *h = malloc_heap_at(m, off);
	if (!begin(m, h, MA_TRIM, 0, pad, 0))
		return 0;
	int r = 0;
	if (ma_malloc_consolidate(m, h))
		r = ma_systrim(m, h, pad);
	finish(m, h, MA_TRIM, 0);
	return r;
}

int ma_poke(struct machine *m, uint32_t off, uint64_t addr, uint64_t value)
{
	struct malloc_heap *h = malloc_heap_at(m, off);
	if ((addr & 7) || !ma_readable(m, h, addr) || h->death)
		return -1;
	if (!begin(m, h, MA_POKE, addr, value, 0))
		return -1;
	ma_set_word(m, h, addr, value);
	jset32(&m->j, &h->corrupted, 1);
	finish(m, h, MA_POKE, 0);
	return 0;
}
