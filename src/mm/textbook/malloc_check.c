/*
 * The glibc heap's invariants (malloc.h), in the spirit of glibc's
 * do_check_malloc_state: chunk headers agree with their neighbours
 * (size, prev_size, PREV_INUSE), no two free chunks touch, every free
 * chunk is in exactly one bin and the right one, large bins are sorted,
 * tcache counts equal their lists, top is the last chunk and ends at the
 * break, and the running totals behind mallinfo2 are right.  A heap whose
 * program died or wrote into it (poke) is left alone: glibc's own checks
 * had their say.
 */
#include "malloc_int.h"

#include <stdio.h>
#include <stdlib.h>

#define FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); rc = -1; goto out; } while (0)

enum { MARK_BIN = 1, MARK_FAST = 2, MARK_TCACHE = 3 };

int check_malloc_heap(const struct machine *m, const struct malloc_heap *h, char *why, size_t whylen)
{
	if (h->death != MA_ALIVE || h->corrupted)
		return 0;
	int rc = 0;
	uint64_t base = h->sbrk_base, span = h->brk - base;
	uint8_t *mark = calloc(span / MA_ALIGN + 1, 1);
	if (!mark) {
		snprintf(why, whylen, "heap %u: no host memory to check it", h->id);
		return -1;
	}
	uint64_t marks = 0, bytes = 0, blocks = 0;
#define MARK(p, kind, what)                                                                                     \
	do {                                                                                                     \
		if ((p) < base || (p) >= h->brk || ((p) - base) % MA_ALIGN)                                      \
			FAIL("heap %u: %s chunk %#llx is not a chunk of the heap", h->id, what, (unsigned long long)(p)); \
		if (mark[((p) - base) / MA_ALIGN])                                                               \
			FAIL("heap %u: chunk %#llx is in two bins (or twice in one)", h->id, (unsigned long long)(p)); \
		mark[((p) - base) / MA_ALIGN] = kind;                                                            \
		marks++;                                                                                         \
	} while (0)
	if (h->system_mem != span)
		FAIL("heap %u: system_mem %llu but the heap spans %llu bytes", h->id, (unsigned long long)h->system_mem,
		     (unsigned long long)span);
	for (unsigned i = 1; i < MA_NBINS; i++) {
		uint64_t bin = ma_bin_at(i), prev = bin, prevsize = UINT64_MAX;
		for (uint64_t p = ma_fd(m, h, bin); p != bin; prev = p, p = ma_fd(m, h, p)) {
			if (blocks > h->bin_blocks)
				FAIL("heap %u: bin %u holds more chunks than the %u counted", h->id, i, h->bin_blocks);
			MARK(p, MARK_BIN, "a binned");
			if (ma_bk(m, h, p) != prev)
				FAIL("heap %u: bin %u: chunk %#llx's bk does not point back", h->id, i, (unsigned long long)p);
			uint64_t size = ma_chunksize(m, h, p);
			if (i > 1 && ma_bin_index(size) != i)
				FAIL("heap %u: chunk %#llx of %llu bytes is in bin %u, not %u", h->id, (unsigned long long)p,
				     (unsigned long long)size, i, ma_bin_index(size));
			if (i >= MA_NSMALLBINS && size > prevsize)
				FAIL("heap %u: large bin %u is not sorted (%llu after %llu)", h->id, i,
				     (unsigned long long)size, (unsigned long long)prevsize);
			if (i > 1 && !(h->binmap[i >> 5] & 1u << (i & 31)))
				FAIL("heap %u: bin %u holds chunks but its binmap bit is clear", h->id, i);
			prevsize = size;
			blocks++;
			bytes += size;
		}
		if (ma_bk(m, h, bin) != prev)
			FAIL("heap %u: bin %u's bk is not its last chunk", h->id, i);
	}
	if (blocks != h->bin_blocks || bytes != h->bin_bytes)
		FAIL("heap %u: the bins hold %llu chunks of %llu bytes, counted %u of %llu", h->id,
		     (unsigned long long)blocks, (unsigned long long)bytes, h->bin_blocks, (unsigned long long)h->bin_bytes);
	blocks = bytes = 0;
	for (unsigned i = 0; i < MA_NFASTBINS; i++)
		for (uint64_t p = h->fastbins[i]; p; p = ma_reveal(p + 16, ma_word(m, h, p + 16))) {
			MARK(p, MARK_FAST, "a fastbin");
			if (ma_fastbin_index(ma_chunksize(m, h, p)) != i)
				FAIL("heap %u: chunk %#llx is in fastbin %u but has size %llu", h->id, (unsigned long long)p, i,
				     (unsigned long long)ma_chunksize(m, h, p));
			blocks++;
			bytes += ma_chunksize(m, h, p);
		}
	if (blocks != h->fast_blocks || bytes != h->fast_bytes)
		FAIL("heap %u: the fastbins hold %llu chunks, counted %u", h->id, (unsigned long long)blocks, h->fast_blocks);
	for (unsigned i = 0; h->tcache && i < MA_TCACHE_BINS; i++) {
		unsigned n = 0;
		for (uint64_t e = ma_tcache_entry(m, h, i); e && n <= MA_TCACHE_COUNT; e = ma_reveal(e, ma_word(m, h, e)), n++) {
			MARK(e - MA_HDR, MARK_TCACHE, "a tcache");
			if (ma_tcache_index(ma_chunksize(m, h, e - MA_HDR)) != i || ma_word(m, h, e + 8) != MA_TCACHE_KEY)
				FAIL("heap %u: tcache bin %u holds chunk %#llx of the wrong size or without the key", h->id, i,
				     (unsigned long long)(e - MA_HDR));
		}
		if (n != ma_tcache_count(m, h, i))
			FAIL("heap %u: tcache bin %u counts %u but its list has %u", h->id, i, ma_tcache_count(m, h, i), n);
	}
	/* the chunks in address order, up to top */
	uint64_t p = base, seen = 0;
	bool prev_free = false;
	while (h->top && p < h->top) {
		uint64_t size = ma_chunksize(m, h, p), next = p + size;
		if (size < MA_MINSIZE || size % MA_ALIGN || next > h->top)
			FAIL("heap %u: chunk %#llx has size %llu (past top or not a chunk size)", h->id, (unsigned long long)p,
			     (unsigned long long)size);
		bool free_chunk = !ma_prev_inuse(m, h, next);
		uint8_t k = mark[(p - base) / MA_ALIGN];
		if (k)
			seen++;
		if (free_chunk) {
			if (k != MARK_BIN)
				FAIL("heap %u: free chunk %#llx is in no bin", h->id, (unsigned long long)p);
			if (ma_word(m, h, next) != size)
				FAIL("heap %u: chunk %#llx's prev_size %llu is not the free chunk's size %llu", h->id,
				     (unsigned long long)next, (unsigned long long)ma_word(m, h, next), (unsigned long long)size);
			if (prev_free)
				FAIL("heap %u: free chunk %#llx touches another free chunk", h->id, (unsigned long long)p);
		} else if (k == MARK_BIN)
			FAIL("heap %u: chunk %#llx is in a bin but marked in use", h->id, (unsigned long long)p);
		prev_free = free_chunk;
		p = next;
	}
	if (h->top && (p != h->top || h->top + ma_top_size(m, h) != h->brk || !ma_prev_inuse(m, h, h->top)))
		FAIL("heap %u: top %#llx is not the last chunk ending at the break %#llx (or its PREV_INUSE is clear)",
		     h->id, (unsigned long long)h->top, (unsigned long long)h->brk);
	if (seen != marks)
		FAIL("heap %u: %llu binned chunks but only %llu are chunks of the heap", h->id, (unsigned long long)marks,
		     (unsigned long long)seen);
	uint64_t live = 0, mem = 0;
	for (uint32_t i = 0; i < h->nmaps; i++)
		if (ma_map_len(m, h, i)) {
			live++;
			mem += ma_map_len(m, h, i);
		}
	if (live != h->n_mmaps || mem != h->mmapped_mem)
		FAIL("heap %u: %llu mmapped chunks of %llu bytes, counted %u of %llu", h->id, (unsigned long long)live,
		     (unsigned long long)mem, h->n_mmaps, (unsigned long long)h->mmapped_mem);
out:
	free(mark);
	return rc;
#undef MARK
}
