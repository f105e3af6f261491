/*
 * The glibc heap as heap inspectors draw it (pwndbg's vis_heap_chunks and
 * bins): the heap as a strip of chunks (in use, free in a bin, in the
 * tcache, in a fastbin, top), the chunks in address order with their
 * headers, the chunk the step at the cursor is about lit, then each
 * non-empty bin's list from its head.  Part of the textbook view.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "mm/textbook/malloc.h"
#include "tui.h"

static enum role state_role(const char *state)
{
	return !strcmp(state, "in use") ? R_ALLOC
	       : !strcmp(state, "free") ? R_FREE
	       : !strcmp(state, "top")  ? R_DIM
					: R_SLAB; /* tcache and fastbin chunks: free to malloc, in use to the heap */
}

static const char *state_glyph(const struct tui *t, const char *state)
{
	return !strcmp(state, "in use")  ? tui_glyph(t, "█", "#")
	       : !strcmp(state, "free")  ? tui_glyph(t, "░", ".")
	       : !strcmp(state, "tcache") ? "t"
	       : !strcmp(state, "fastbin") ? "f"
					   : tui_glyph(t, "·", " ");
}

/* The chunk the step is about: its chunk, else the chunk of its pointer. */
static uint64_t lit_chunk(const struct event *e)
{
	int64_t c = tui_field(e, "chunk", -1);
	if (c >= 0)
		return (uint64_t)c;
	int64_t mem = e->kind == EV_MA_RETURN ? tui_field(e, "mem", 0) : tui_field(e, "ptr", 0);
	return mem > 16 ? (uint64_t)mem - 16 : 0;
}

static int draw_bins(struct tui *t, const struct machine *m, const struct malloc_heap *h, struct rect in, int y,
		     uint64_t lit)
{
	char line[256];
	for (unsigned i = 0; i < MA_TCACHE_BINS && y < in.y + in.h; i++) {
		unsigned n = ma_tcache_count(m, h, i);
		if (!n)
			continue;
		int len = snprintf(line, sizeof line, " tcachebins[%#x] (%u):", MA_MINSIZE + MA_ALIGN * i, n);
		uint64_t e = ma_tcache_entry(m, h, i);
		for (unsigned k = 0; e && k < n && len < (int)sizeof line - 24; k++, e = ma_reveal(e, ma_word(m, h, e)))
			len += snprintf(line + len, sizeof line - (size_t)len, " %s%#llx", k ? "→ " : "", (unsigned long long)e);
		tui_put(t, y++, in.x, in.w, R_NORMAL, "%s", line);
	}
	for (unsigned i = 0; i < MA_NFASTBINS && y < in.y + in.h; i++) {
		if (!h->fastbins[i])
			continue;
		int len = snprintf(line, sizeof line, " fastbins[%#x]:", (i + 2) * 16);
		uint64_t p = h->fastbins[i];
		for (unsigned k = 0; p && k <= h->fast_blocks && len < (int)sizeof line - 24; k++, p = ma_reveal(p + 16, ma_word(m, h, p + 16)))
			len += snprintf(line + len, sizeof line - (size_t)len, " %s%#llx", k ? "→ " : "", (unsigned long long)p);
		tui_put(t, y++, in.x, in.w, R_NORMAL, "%s", line);
	}
	for (unsigned i = 1; i < MA_NBINS && y < in.y + in.h; i++) {
		uint64_t bin = ma_bin_at(i), p = ma_fd(m, h, bin);
		if (p == bin)
			continue;
		int len = i == 1 ? snprintf(line, sizeof line, " unsortedbin:")
				 : snprintf(line, sizeof line, " %s[%u]:", i < MA_NSMALLBINS ? "smallbins" : "largebins", i);
		bool has_lit = false;
		for (unsigned k = 0; p != bin && k <= h->bin_blocks && len < (int)sizeof line - 40; k++, p = ma_fd(m, h, p)) {
			len += snprintf(line + len, sizeof line - (size_t)len, " %s%#llx (%#llx)", k ? "→ " : "",
					(unsigned long long)p, (unsigned long long)ma_chunksize(m, h, p));
			has_lit |= p == lit;
		}
		tui_put(t, y++, in.x, in.w, has_lit ? R_HILITE : R_NORMAL, "%s", line);
	}
	return y;
}

int tui_draw_heap(struct tui *t, const struct machine *m, const struct malloc_heap *h, struct rect in, int y,
		  const struct event *e)
{
	const char *dead = ma_dead(m, h);
	tui_put(t, y++, in.x, in.w, R_TITLE, " glibc heap %u (ptmalloc2, glibc 2.36): %#llx..%#llx, top %#llx (%#llx)%s%s",
		h->id, (unsigned long long)h->sbrk_base, (unsigned long long)h->brk, (unsigned long long)h->top,
		(unsigned long long)ma_top_size(m, h), dead ? "  ABORTED: " : "", dead ? dead : "");
	struct ma_mallinfo mi = ma_mallinfo2(m, h);
	tui_put(t, y++, in.x, in.w, R_DIM,
		" arena %llu  in use %llu  free %llu  mmapped %llu in %llu  mmap threshold %llu  trim threshold %llu",
		(unsigned long long)mi.arena, (unsigned long long)mi.uordblks, (unsigned long long)mi.fordblks,
		(unsigned long long)mi.hblkhd, (unsigned long long)mi.hblks, (unsigned long long)h->mmap_threshold,
		(unsigned long long)h->trim_threshold);
	if (!h->top)
		return y;
	uint64_t lit = lit_chunk(e), span = h->brk - h->sbrk_base;
	int cells = in.w - 2;
	if (cells > 0 && y < in.y + in.h) { /* the strip: each cell shows the chunk at its start */
		move(y, in.x + 1);
		uint64_t p = h->sbrk_base;
		for (int c = 0; c < cells; c++) {
			uint64_t at = h->sbrk_base + span * (uint64_t)c / (uint64_t)cells;
			while (p < h->top && p + ma_chunksize(m, h, p) <= at && ma_chunksize(m, h, p) >= MA_MINSIZE)
				p += ma_chunksize(m, h, p);
			const char *st = ma_chunk_state(m, h, p);
			attrset(tui_attr(t, p == lit ? R_HILITE : state_role(st)));
			addstr(state_glyph(t, st));
		}
		y++;
		tui_put(t, y++, in.x, in.w, R_DIM, " %s in use  %s free (bins)  t tcache  f fastbin  %s top",
			tui_glyph(t, "█", "#"), tui_glyph(t, "░", "."), tui_glyph(t, "·", " "));
	}
	/* the chunks, from the lit one's neighbourhood when it is far down */
	int rows = (in.y + in.h - y) / 2;
	uint64_t p = h->sbrk_base, start = h->sbrk_base;
	int idx = 0, lit_idx = -1;
	for (uint64_t q = p; q < h->top && ma_chunksize(m, h, q) >= MA_MINSIZE && idx < 100000; q += ma_chunksize(m, h, q), idx++)
		if (q == lit)
			lit_idx = idx;
	for (int skip = lit_idx > rows - 2 ? lit_idx - rows / 2 : 0; skip > 0; skip--)
		start += ma_chunksize(m, h, start);
	for (p = start; y < in.y + in.h && rows-- > 0; p += ma_chunksize(m, h, p)) {
		uint64_t size = ma_chunksize(m, h, p);
		const char *st = ma_chunk_state(m, h, p);
		tui_put(t, y++, in.x, in.w, p == lit ? R_HILITE : state_role(st),
			" %#llx  prev_size %#-8llx size %#-8llx %s%s  %s", (unsigned long long)p,
			(unsigned long long)ma_word(m, h, p), (unsigned long long)size,
			ma_word(m, h, p + 8) & MA_PREV_INUSE ? "PREV_INUSE" : "          ",
			ma_word(m, h, p + 8) & MA_IS_MMAPPED ? " IS_MMAPPED" : "", st);
		if (p == h->top || size < MA_MINSIZE)
			break;
	}
	return draw_bins(t, m, h, in, y, lit);
}
