/*
 * glibc 2.36's malloc, free, calloc, realloc and malloc_trim on one
 * arena (malloc.h): __libc_malloc's tcache fast path, _int_malloc (fastbin,
 * small bin, the unsorted scan that sorts chunks into their bins, the
 * large-bin skip list, the binmap search, use_top, sysmalloc),
 * _int_free (tcache, fastbin, coalescing with neighbours and top, the
 * consolidation and trim thresholds), malloc_consolidate, tcache_init,
 * __libc_free's dynamic mmap threshold, _int_realloc and __libc_calloc.
 * Same order of operations and the same checks as malloc/malloc.c.
 */
#include "malloc_int.h"

#include <string.h>

#define UNSORTED ma_bin_at(1)
#define DEAD(h) ((h)->death != MA_ALIVE)

static inline struct arena *A(const struct machine *m) { return textbook_arena(m); }

/* ---- tcache ---- */

static void tcache_put(struct machine *m, struct malloc_heap *h, uint64_t p, unsigned idx)
{
	uint64_t e = p + MA_HDR, slot = h->tcache + 128 + 8 * (uint64_t)idx;
	ma_set_word(m, h, e + 8, MA_TCACHE_KEY);
	ma_set_word(m, h, e, ma_protect(e, ma_word(m, h, slot)));
	ma_set_word(m, h, slot, e);
	ma_set_tcache_count(m, h, idx, ma_tcache_count(m, h, idx) + 1);
	EMIT(m, EV_MA_TCACHE_PUT, h->id, idx, (int64_t)p, ma_tcache_count(m, h, idx));
}

uint64_t ma_tcache_get(struct machine *m, struct malloc_heap *h, unsigned idx)
{
	uint64_t slot = h->tcache + 128 + 8 * (uint64_t)idx, e = ma_word(m, h, slot);
	if (e & (MA_ALIGN - 1))
		return ma_die(m, h, MA_ABORT, MA_MSG_TCACHE_UNALIGNED_GET, e), 0;
	ma_set_word(m, h, slot, ma_reveal(e, ma_word(m, h, e)));
	ma_set_tcache_count(m, h, idx, ma_tcache_count(m, h, idx) - 1);
	ma_set_word(m, h, e + 8, 0);
	EMIT(m, EV_MA_TCACHE_GET, h->id, idx, (int64_t)(e - MA_HDR), ma_tcache_count(m, h, idx));
	return e;
}

/* ---- malloc_consolidate ---- */

/* Free p (size bytes, not top) into the unsorted bin after merging it
 * with free neighbours; or into top.  The part _int_free and
 * malloc_consolidate share (glibc writes it twice; checks differ). */
static bool merge_and_place(struct machine *m, struct malloc_heap *h, uint64_t p, uint64_t size,
			    enum ma_message prevmsg, uint64_t *merged)
{
	uint64_t p0 = p, size0 = size, next = p + size, nextsize = ma_chunksize(m, h, next), prev = 0;
	if (!ma_prev_inuse(m, h, p)) {
		uint64_t prevsize = ma_word(m, h, p);
		size += prevsize;
		p -= prevsize;
		if (ma_chunksize(m, h, p) != prevsize)
			return ma_die(m, h, MA_ABORT, prevmsg, p);
		if (!ma_unlink(m, h, p))
			return false;
		prev = p;
	}
	uint64_t after_back = size;
	bool forward = false, into_top = next == h->top;
	if (!into_top) {
		bool nextinuse = ma_word(m, h, next + nextsize + 8) & MA_PREV_INUSE;
		if (!nextinuse) {
			if (!ma_unlink(m, h, next))
				return false;
			size += nextsize;
			forward = true;
		} else
			ma_clear_inuse_at(m, h, next, 0);
		uint64_t fwd = ma_fd(m, h, UNSORTED);
		if (prevmsg != MA_MSG_CONSOLIDATE_PREV_SIZE && ma_bk(m, h, fwd) != UNSORTED)
			return ma_die(m, h, MA_ABORT, MA_MSG_FREE_UNSORTED, p);
		ma_set_fd(m, h, p, fwd);
		ma_set_bk(m, h, p, UNSORTED);
		if (!ma_in_smallbin_range(size)) {
			ma_set_word(m, h, p + 32, 0);
			ma_set_word(m, h, p + 40, 0);
		}
		ma_set_fd(m, h, UNSORTED, p);
		ma_set_bk(m, h, fwd, p);
		ma_set_head(m, h, p, size | MA_PREV_INUSE);
		ma_set_foot(m, h, p, size);
		ma_count_bin(m, h, size, 1);
	} else {
		size += nextsize;
		ma_set_head(m, h, p, size | MA_PREV_INUSE);
		jset64(&m->j, &h->top, p);
	}
	/* the steps once the chunk is where it ends (the checker holds at each) */
	if (prev)
		EMIT(m, EV_MA_COALESCE, h->id, (int64_t)p0, (int64_t)size0, (int64_t)prev, (int64_t)after_back, 0);
	if (forward || into_top)
		EMIT(m, EV_MA_COALESCE, h->id, (int64_t)p, (int64_t)after_back, (int64_t)next, (int64_t)size,
		     into_top ? 2 : 1);
	if (!into_top)
		EMIT(m, EV_MA_BIN_PUT, h->id, (int64_t)p, (int64_t)size, MA_AT_UNSORTED, 1);
	*merged = size;
	return true;
}

bool ma_malloc_consolidate(struct machine *m, struct malloc_heap *h)
{
	jset32(&m->j, &h->have_fastchunks, 0);
	EMIT(m, EV_MA_CONSOLIDATE, h->id, h->fast_blocks, (int64_t)h->fast_bytes);
	for (unsigned i = 0; i < MA_NFASTBINS; i++) {
		uint64_t p = h->fastbins[i];
		jset64(&m->j, &h->fastbins[i], 0);
		/* the whole bin leaves the fastbins at once (glibc's exchange) */
		for (uint64_t q = p; q; q = ma_reveal(q + 16, ma_word(m, h, q + 16))) {
			if (q & (MA_ALIGN - 1))
				break; /* the walk below reports it */
			jset32(&m->j, &h->fast_blocks, h->fast_blocks - 1);
			jset64(&m->j, &h->fast_bytes, h->fast_bytes - ma_chunksize(m, h, q));
		}
		while (p) {
			if (p & (MA_ALIGN - 1))
				return ma_die(m, h, MA_ABORT, MA_MSG_CONSOLIDATE_UNALIGNED, p);
			uint64_t size = ma_chunksize(m, h, p);
			if (ma_fastbin_index(size) != i)
				return ma_die(m, h, MA_ABORT, MA_MSG_CONSOLIDATE_SIZE, p);
			uint64_t nextp = ma_reveal(p + 16, ma_word(m, h, p + 16));
			uint64_t merged;
			if (!merge_and_place(m, h, p, size, MA_MSG_CONSOLIDATE_PREV_SIZE, &merged))
				return false;
			p = nextp;
		}
	}
	return true;
}

/* ---- _int_malloc ---- */

/* The headers of a split: victim in use, the remainder free (its
 * skip-list links cleared when large); the split's step. */
static uint64_t split_heads(struct machine *m, struct malloc_heap *h, uint64_t victim, uint64_t nb, uint64_t rs,
			    enum ma_place from)
{
	uint64_t rem = victim + nb;
	if (!ma_in_smallbin_range(rs)) {
		ma_set_word(m, h, rem + 32, 0);
		ma_set_word(m, h, rem + 40, 0);
	}
	ma_set_head(m, h, victim, nb | MA_PREV_INUSE);
	ma_set_head(m, h, rem, rs | MA_PREV_INUSE);
	ma_set_foot(m, h, rem, rs);
	EMIT(m, EV_MA_SPLIT, h->id, (int64_t)victim, (int64_t)nb, (int64_t)rem, (int64_t)rs, from);
	return victim + MA_HDR;
}

static uint64_t split_chunk(struct machine *m, struct malloc_heap *h, uint64_t victim, uint64_t size, uint64_t nb,
			    enum ma_message listmsg, bool remember, enum ma_place from)
{
	uint64_t rem_size = size - nb;
	if (rem_size < MA_MINSIZE) {
		ma_set_inuse_at(m, h, victim, size);
		EMIT(m, EV_MA_BIN_GET, h->id, (int64_t)victim, (int64_t)size, from);
		return victim + MA_HDR;
	}
	uint64_t rem = victim + nb, fwd = ma_fd(m, h, UNSORTED);
	if (ma_bk(m, h, fwd) != UNSORTED)
		return ma_die(m, h, MA_ABORT, listmsg, rem), 0;
	ma_set_bk(m, h, rem, UNSORTED);
	ma_set_fd(m, h, rem, fwd);
	ma_set_fd(m, h, UNSORTED, rem);
	ma_set_bk(m, h, fwd, rem);
	ma_count_bin(m, h, rem_size, 1);
	if (remember)
		jset64(&m->j, &h->last_remainder, rem);
	return split_heads(m, h, victim, nb, rem_size, from);
}

/* Put an unsorted chunk into its small or large bin (kept sorted). */
static bool place_in_bin(struct machine *m, struct malloc_heap *h, uint64_t victim, uint64_t size)
{
	unsigned idx;
	uint64_t bck, fwd;
	if (ma_in_smallbin_range(size)) {
		idx = (unsigned)(size >> 4);
		bck = ma_bin_at(idx);
		fwd = ma_fd(m, h, bck);
	} else {
		idx = ma_largebin_index(size);
		bck = ma_bin_at(idx);
		fwd = ma_fd(m, h, bck);
		if (fwd != bck) {
			uint64_t sz = size | MA_PREV_INUSE, last = ma_bk(m, h, bck);
			if (sz < ma_word(m, h, last + 8)) {
				fwd = bck;
				bck = last;
				uint64_t first = ma_fd(m, h, fwd);
				ma_set_word(m, h, victim + 32, first);
				ma_set_word(m, h, victim + 40, ma_word(m, h, first + 40));
				ma_set_word(m, h, ma_word(m, h, victim + 40) + 32, victim);
				ma_set_word(m, h, first + 40, victim);
			} else {
				for (uint32_t guard = 0; sz < ma_word(m, h, fwd + 8); guard++) {
					fwd = ma_word(m, h, fwd + 32);
					if (guard > h->bin_blocks)
						return ma_die(m, h, MA_ABORT, MA_MSG_LARGEBIN_NEXTSIZE, fwd);
				}
				if (sz == ma_word(m, h, fwd + 8))
					fwd = ma_fd(m, h, fwd); /* always the second place */
				else {
					ma_set_word(m, h, victim + 32, fwd);
					ma_set_word(m, h, victim + 40, ma_word(m, h, fwd + 40));
					if (ma_word(m, h, ma_word(m, h, fwd + 40) + 32) != fwd)
						return ma_die(m, h, MA_ABORT, MA_MSG_LARGEBIN_NEXTSIZE, fwd);
					ma_set_word(m, h, fwd + 40, victim);
					ma_set_word(m, h, ma_word(m, h, victim + 40) + 32, victim);
				}
				bck = ma_bk(m, h, fwd);
				if (ma_fd(m, h, bck) != fwd)
					return ma_die(m, h, MA_ABORT, MA_MSG_LARGEBIN_BK, fwd);
			}
		} else {
			ma_set_word(m, h, victim + 32, victim);
			ma_set_word(m, h, victim + 40, victim);
		}
	}
	ma_mark_bin(m, h, idx);
	ma_set_bk(m, h, victim, bck);
	ma_set_fd(m, h, victim, fwd);
	ma_set_bk(m, h, fwd, victim);
	ma_set_fd(m, h, bck, victim);
	ma_count_bin(m, h, size, 1);
	EMIT(m, EV_MA_SORT, h->id, (int64_t)victim, (int64_t)size, idx);
	return true;
}

uint64_t ma_int_malloc(struct machine *m, struct malloc_heap *h, uint64_t nb, bool use_tcache)
{
	unsigned tc_idx = ma_tcache_index(nb);
	bool tc = use_tcache && h->tcache && tc_idx < MA_TCACHE_BINS;
	unsigned idx;
	if (nb <= MA_MAX_FAST) {
		idx = ma_fastbin_index(nb);
		uint64_t victim = h->fastbins[idx];
		if (victim) {
			if (victim & (MA_ALIGN - 1))
				return ma_die(m, h, MA_ABORT, MA_MSG_FAST_UNALIGNED_2, victim), 0;
			jset64(&m->j, &h->fastbins[idx], ma_reveal(victim + 16, ma_word(m, h, victim + 16)));
			if (ma_fastbin_index(ma_chunksize(m, h, victim)) != idx)
				return ma_die(m, h, MA_ABORT, MA_MSG_FAST_CORRUPT, victim), 0;
			jset32(&m->j, &h->fast_blocks, h->fast_blocks - 1);
			jset64(&m->j, &h->fast_bytes, h->fast_bytes - nb);
			EMIT(m, EV_MA_FAST_GET, h->id, idx, (int64_t)victim, (int64_t)nb);
			/* stash the bin's other chunks in the tcache */
			uint64_t tcv;
			while (tc && ma_tcache_count(m, h, tc_idx) < MA_TCACHE_COUNT && (tcv = h->fastbins[idx])) {
				if (tcv & (MA_ALIGN - 1))
					return ma_die(m, h, MA_ABORT, MA_MSG_FAST_UNALIGNED_3, tcv), 0;
				jset64(&m->j, &h->fastbins[idx], ma_reveal(tcv + 16, ma_word(m, h, tcv + 16)));
				jset32(&m->j, &h->fast_blocks, h->fast_blocks - 1);
				jset64(&m->j, &h->fast_bytes, h->fast_bytes - nb);
				tcache_put(m, h, tcv, tc_idx);
			}
			return victim + MA_HDR;
		}
	}
	if (ma_in_smallbin_range(nb)) {
		idx = (unsigned)(nb >> 4);
		uint64_t bin = ma_bin_at(idx), victim = ma_bk(m, h, bin);
		if (victim != bin) {
			uint64_t bck = ma_bk(m, h, victim);
			if (ma_fd(m, h, bck) != victim)
				return ma_die(m, h, MA_ABORT, MA_MSG_SMALLBIN_CORRUPT, victim), 0;
			ma_set_inuse_at(m, h, victim, nb);
			ma_set_bk(m, h, bin, bck);
			ma_set_fd(m, h, bck, bin);
			ma_count_bin(m, h, nb, -1);
			EMIT(m, EV_MA_BIN_GET, h->id, (int64_t)victim, (int64_t)nb, MA_AT_SMALL);
			uint64_t tcv;
			while (tc && ma_tcache_count(m, h, tc_idx) < MA_TCACHE_COUNT && (tcv = ma_bk(m, h, bin)) != bin) {
				bck = ma_bk(m, h, tcv);
				ma_set_inuse_at(m, h, tcv, nb);
				ma_set_bk(m, h, bin, bck);
				ma_set_fd(m, h, bck, bin);
				ma_count_bin(m, h, nb, -1);
				tcache_put(m, h, tcv, tc_idx);
			}
			return victim + MA_HDR;
		}
	} else {
		idx = ma_largebin_index(nb);
		if (h->have_fastchunks && !ma_malloc_consolidate(m, h))
			return 0;
	}
	bool return_cached = false;
	for (;;) {
		int iters = 0;
		uint64_t victim;
		while ((victim = ma_bk(m, h, UNSORTED)) != UNSORTED) {
			uint64_t bck = ma_bk(m, h, victim), size = ma_chunksize(m, h, victim), next = victim + size;
			if (size <= MA_HDR || size > h->system_mem)
				return ma_die(m, h, MA_ABORT, MA_MSG_UNSORTED_SIZE, victim), 0;
			uint64_t nsz = ma_word(m, h, next + 8);
			if (nsz < MA_HDR || nsz > h->system_mem)
				return ma_die(m, h, MA_ABORT, MA_MSG_UNSORTED_NEXT_SIZE, victim), 0;
			if ((ma_word(m, h, next) & ~(uint64_t)MA_SIZE_BITS) != size)
				return ma_die(m, h, MA_ABORT, MA_MSG_UNSORTED_PREV_SIZE, victim), 0;
			if (ma_fd(m, h, bck) != victim || ma_fd(m, h, victim) != UNSORTED)
				return ma_die(m, h, MA_ABORT, MA_MSG_UNSORTED_LIST, victim), 0;
			if (nsz & MA_PREV_INUSE)
				return ma_die(m, h, MA_ABORT, MA_MSG_UNSORTED_PREV_INUSE, victim), 0;
			if (ma_in_smallbin_range(nb) && bck == UNSORTED && victim == h->last_remainder &&
			    size > nb + MA_MINSIZE) {
				uint64_t rem = victim + nb, rs = size - nb;
				ma_set_bk(m, h, UNSORTED, rem);
				ma_set_fd(m, h, UNSORTED, rem);
				jset64(&m->j, &h->last_remainder, rem);
				ma_set_bk(m, h, rem, UNSORTED);
				ma_set_fd(m, h, rem, UNSORTED);
				ma_count_bin(m, h, size, -1);
				ma_count_bin(m, h, rs, 1);
				return split_heads(m, h, victim, nb, rs, MA_AT_REMAINDER);
			}
			if (ma_fd(m, h, bck) != victim)
				return ma_die(m, h, MA_ABORT, MA_MSG_UNSORTED_3, victim), 0;
			ma_set_bk(m, h, UNSORTED, bck);
			ma_set_fd(m, h, bck, UNSORTED);
			ma_count_bin(m, h, size, -1);
			if (size == nb) {
				ma_set_inuse_at(m, h, victim, size);
				if (tc && ma_tcache_count(m, h, tc_idx) < MA_TCACHE_COUNT) {
					tcache_put(m, h, victim, tc_idx);
					return_cached = true;
					continue;
				}
				EMIT(m, EV_MA_BIN_GET, h->id, (int64_t)victim, (int64_t)size, MA_AT_UNSORTED);
				return victim + MA_HDR;
			}
			if (!place_in_bin(m, h, victim, size))
				return 0;
			if (++iters >= 10000)
				break;
		}
		if (return_cached)
			return ma_tcache_get(m, h, tc_idx);
		if (!ma_in_smallbin_range(nb)) {
			uint64_t bin = ma_bin_at(idx);
			victim = ma_fd(m, h, bin);
			if (victim != bin && ma_word(m, h, victim + 8) >= nb) {
				uint64_t size;
				victim = ma_word(m, h, victim + 40);
				for (uint32_t guard = 0; (size = ma_chunksize(m, h, victim)) < nb; guard++) {
					victim = ma_word(m, h, victim + 40);
					if (guard > h->bin_blocks)
						return ma_die(m, h, MA_ABORT, MA_MSG_LARGEBIN_NEXTSIZE, victim), 0;
				}
				/* not the first of its size: the skip list stays as it is */
				if (victim != ma_bk(m, h, bin) && ma_word(m, h, victim + 8) == ma_word(m, h, ma_fd(m, h, victim) + 8))
					victim = ma_fd(m, h, victim);
				if (!ma_unlink(m, h, victim))
					return 0;
				return split_chunk(m, h, victim, size, nb, MA_MSG_UNSORTED_1, false, MA_AT_LARGE);
			}
		}
		/* the binmap: the next non-empty bin of larger chunks */
		++idx;
		unsigned block = idx >> 5;
		uint32_t map = h->binmap[block % MA_BINMAPSIZE], bit = 1u << (idx & 31);
		for (;;) {
			if (bit > map || bit == 0) {
				do {
					if (++block >= MA_BINMAPSIZE)
						goto use_top;
				} while ((map = h->binmap[block]) == 0);
				idx = block << 5;
				bit = 1;
			}
			while ((bit & map) == 0) {
				idx++;
				bit <<= 1;
			}
			uint64_t bin = ma_bin_at(idx);
			victim = ma_bk(m, h, bin);
			if (victim == bin) { /* a false alarm: clear the bit */
				map &= ~bit;
				jset32(&m->j, &h->binmap[block], map);
				idx++;
				bit <<= 1;
				continue;
			}
			uint64_t size = ma_chunksize(m, h, victim);
			if (!ma_unlink(m, h, victim))
				return 0;
			return split_chunk(m, h, victim, size, nb, MA_MSG_UNSORTED_2, ma_in_smallbin_range(nb),
					   idx < MA_NSMALLBINS ? MA_AT_SMALL : MA_AT_LARGE);
		}
	use_top:
		if (ma_top_size(m, h) > h->system_mem)
			return ma_die(m, h, MA_ABORT, MA_MSG_TOP_SIZE, h->top), 0;
		if (h->top && ma_top_size(m, h) >= nb + MA_MINSIZE)
			return ma_split_top(m, h, nb);
		if (h->have_fastchunks) {
			if (!ma_malloc_consolidate(m, h))
				return 0;
			idx = ma_in_smallbin_range(nb) ? (unsigned)(nb >> 4) : ma_largebin_index(nb);
			continue;
		}
		return ma_sysmalloc(m, h, nb);
	}
}

void ma_tcache_init(struct machine *m, struct malloc_heap *h)
{
	uint64_t mem = ma_int_malloc(m, h, ma_request2size(MA_TCACHE_STRUCT), false);
	if (!mem || DEAD(h))
		return;
	for (uint64_t a = mem; a < mem + MA_TCACHE_STRUCT; a += 8)
		ma_set_word(m, h, a, 0);
	jset64(&m->j, &h->tcache, mem);
	EMIT(m, EV_MA_TCACHE_INIT, h->id, (int64_t)(mem - MA_HDR), (int64_t)ma_chunksize(m, h, mem - MA_HDR));
}

/* ---- _int_free ---- */

void ma_int_free(struct machine *m, struct malloc_heap *h, uint64_t p)
{
	uint64_t size = ma_chunksize(m, h, p);
	if (p > (uint64_t)0 - size || (p & (MA_ALIGN - 1)))
		return (void)ma_die(m, h, MA_ABORT, MA_MSG_FREE_INVALID_POINTER, p + MA_HDR);
	if (size < MA_MINSIZE || (size & (MA_ALIGN - 1)))
		return (void)ma_die(m, h, MA_ABORT, MA_MSG_FREE_INVALID_SIZE, p + MA_HDR);
	unsigned tc_idx = ma_tcache_index(size);
	if (h->tcache && tc_idx < MA_TCACHE_BINS) {
		uint64_t e = p + MA_HDR;
		if (ma_word(m, h, e + 8) == MA_TCACHE_KEY) {
			unsigned cnt = 0;
			for (uint64_t t = ma_tcache_entry(m, h, tc_idx); t; t = ma_reveal(t, ma_word(m, h, t)), cnt++) {
				if (cnt >= MA_TCACHE_COUNT)
					return (void)ma_die(m, h, MA_ABORT, MA_MSG_TCACHE_TOO_MANY, e);
				if (t & (MA_ALIGN - 1))
					return (void)ma_die(m, h, MA_ABORT, MA_MSG_TCACHE_UNALIGNED_FREE, t);
				if (t == e)
					return (void)ma_die(m, h, MA_ABORT, MA_MSG_TCACHE_DOUBLE_FREE, e);
			}
		}
		if (ma_tcache_count(m, h, tc_idx) < MA_TCACHE_COUNT)
			return tcache_put(m, h, p, tc_idx);
	}
	uint64_t next = p + size;
	if (size <= MA_MAX_FAST) {
		if (!ma_readable(m, h, next + 8))
			return (void)ma_die(m, h, MA_SEGV, MA_MSG_SEGV, next + 8);
		if (ma_word(m, h, next + 8) <= MA_HDR || ma_chunksize(m, h, next) >= h->system_mem)
			return (void)ma_die(m, h, MA_ABORT, MA_MSG_FREE_NEXT_SIZE_FAST, p + MA_HDR);
		jset32(&m->j, &h->have_fastchunks, 1);
		unsigned idx = ma_fastbin_index(size);
		uint64_t old = h->fastbins[idx];
		if (old == p)
			return (void)ma_die(m, h, MA_ABORT, MA_MSG_FASTTOP, p + MA_HDR);
		ma_set_word(m, h, p + 16, ma_protect(p + 16, old));
		jset64(&m->j, &h->fastbins[idx], p);
		jset32(&m->j, &h->fast_blocks, h->fast_blocks + 1);
		jset64(&m->j, &h->fast_bytes, h->fast_bytes + size);
		EMIT(m, EV_MA_FAST_PUT, h->id, idx, (int64_t)p, (int64_t)size);
		return;
	}
	if (ma_is_mmapped(m, h, p)) {
		ma_munmap_chunk(m, h, p);
		return;
	}
	if (p == h->top)
		return (void)ma_die(m, h, MA_ABORT, MA_MSG_DF_TOP, p + MA_HDR);
	if (next >= h->top + ma_top_size(m, h))
		return (void)ma_die(m, h, MA_ABORT, MA_MSG_DF_OUT, p + MA_HDR);
	if (!ma_readable(m, h, next + 8))
		return (void)ma_die(m, h, MA_SEGV, MA_MSG_SEGV, next + 8);
	if (!ma_prev_inuse(m, h, next))
		return (void)ma_die(m, h, MA_ABORT, MA_MSG_DF_PREV, p + MA_HDR);
	uint64_t nextsize = ma_chunksize(m, h, next);
	if (ma_word(m, h, next + 8) <= MA_HDR || nextsize >= h->system_mem)
		return (void)ma_die(m, h, MA_ABORT, MA_MSG_FREE_NEXT_SIZE_NORMAL, p + MA_HDR);
	uint64_t merged;
	if (!merge_and_place(m, h, p, size, MA_MSG_PREV_SIZE_CONSOLIDATING, &merged))
		return;
	/* freeing a large space: fastbins may border top, so consolidate,
	 * then trim top if it passed the threshold */
	if (merged >= MA_CONSOLIDATION) {
		if (h->have_fastchunks && !ma_malloc_consolidate(m, h))
			return;
		if (ma_top_size(m, h) >= h->trim_threshold)
			ma_systrim(m, h, h->top_pad);
	}
}
