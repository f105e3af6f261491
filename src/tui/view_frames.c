/*
 * The frame map: one cell per frame (or per 2^zoom frames on a large
 * machine), colored by the state of the block it belongs to.  With room to
 * spare cells are wider and a block's head shows its order.  The current
 * step's block (and its buddy or other half) is highlighted.  While a zone
 * is compacted its two scanners are cursors (▶ the migrate scanner going
 * up, ◀ the free scanner coming down), isolated frames stand out, and a
 * migration step marks its source and its target.
 */
#include <curses.h>
#include <stdio.h>

#include "tui.h"

/* How each frame state looks on the map: its color and glyph (the glyphs
 * differ too, for the mono theme and for ASCII). */
static const struct look {
	enum role role;
	const char *utf8, *ascii;
} looks[NR_FRAME_STATES] = {
	[FS_TAIL] = {R_OTHER, "▒", "%"},      [FS_FREE] = {R_FREE, "░", "."},
	[FS_ALLOC] = {R_ALLOC, "█", "#"},     [FS_RESERVED] = {R_RESERVED, "▓", "R"},
	[FS_SLAB] = {R_SLAB, "▚", "s"},       [FS_PAGETABLE] = {R_PGTABLE, "▞", "p"},
	[FS_VMALLOC] = {R_VMALLOC, "▙", "v"}, [FS_ANON] = {R_ANON, "▄", "a"},
	[FS_FILE] = {R_FILE, "▀", "f"},       [FS_SWAPCACHE] = {R_OTHER, "▒", "w"},
	[FS_KMALLOC] = {R_SLAB, "▜", "k"},    [FS_ZERO] = {R_ZERO, "▫", "z"},
	[FS_MEMBLOCK] = {R_OTHER, "·", "b"},
};

static enum role state_role(unsigned st)
{
	return looks[st].role;
}

static const char *state_glyph(const struct tui *t, unsigned st)
{
	return tui_glyph(t, looks[st].utf8, looks[st].ascii);
}

#define GUTTER 9 /* "0x1a000 " before each row, when there is room */

/* Cells in a row: a power of two, so that buddy blocks line up. */
static int row_cells(int w, int cw)
{
	int n = 1;
	while (n * 2 * cw <= w)
		n *= 2;
	return w >= cw ? n : 0;
}

/* Cell width and frames per cell so that memory fits the pane. */
static void geometry(struct tui *t, struct rect r, uint32_t n, int *cw, uint32_t *per)
{
	*per = 1;
	*cw = 1;
	if (t->frames_zoom >= 0) {
		*per = 1u << t->frames_zoom;
		return;
	}
	for (int w = 8; w >= 1; w--) {
		uint64_t cells_per_row = (uint64_t)row_cells(r.w, w);
		if (cells_per_row && (n + cells_per_row - 1) / cells_per_row <= (uint64_t)r.h) {
			*cw = w;
			return;
		}
	}
	uint64_t cells = (uint64_t)row_cells(r.w, 1) * (uint64_t)(r.h > 0 ? r.h : 1);
	if (!cells) /* no room at all: one cell, never a zero per-cell count */
		cells = 1;
	while ((uint64_t)(n + *per - 1) / *per > cells && *per < (1u << 31))
		*per *= 2;
}

/* A cell's state: walk the blocks it covers (bounded), most frames wins. */
static unsigned cell_state(const struct machine *m, uint32_t first, uint32_t per, bool *mixed)
{
	uint32_t count[NR_FRAME_STATES] = {0}, end = first + per > m->nr_frames ? m->nr_frames : first + per;
	uint32_t p = first;
	for (int walked = 0; p < end && walked < 16; walked++) {
		uint32_t h = block_head(m, p);
		const struct frame *f = &m->frames[h];
		uint32_t next = h + (1u << frame_order(f));
		count[frame_state(f)] += (next < end ? next : end) - p;
		p = next;
	}
	unsigned best = FS_FREE, kinds = 0;
	for (unsigned s = 0; s < NR_FRAME_STATES; s++) {
		kinds += count[s] != 0;
		if (count[s] > count[best])
			best = s;
	}
	*mixed = kinds > 1;
	return best;
}

static const char *hex(uint64_t v, char *buf)
{
	snprintf(buf, 24, "0x%llx", (unsigned long long)v);
	return buf;
}

/* Zone boundaries: right of the row where zones start, their names and
 * first pfns, when there is room; else they join the legend (*legend). */
static void zone_marks(struct tui *t, struct rect in, int rows, uint64_t row_frames, int end_x, struct strbuf *legend)
{
	const struct machine *m = session_machine(t->s);
	int x = in.x + in.w + 1;
	for (int row = 0; row < rows; row++) {
		uint64_t lo = t->frames_first + (uint64_t)row * row_frames, hi = lo + row_frames;
		struct strbuf b = {0};
		for (unsigned i = 0; i < machine_nr_zones(m); i++) {
			const struct zone *z = &m->zones[i];
			char name[32];
			if (zone_populated(z) && z->start_pfn >= lo && z->start_pfn < hi)
				strbuf_printf(&b, "%s%s 0x%x", b.len ? " " : "", zone_label(m, z->id, name, sizeof name),
					      z->start_pfn);
		}
		if (b.len) {
			if (end_x - x >= (int)b.len + 2) {
				tui_put(t, in.y + row, x, 2, R_TITLE, "%s ", tui_glyph(t, "◀", "<"));
				tui_put_words(t, in.y + row, x + 2, end_x - x - 2, R_TITLE, b.s);
			} else {
				strbuf_printf(legend, "%s%s", legend->len ? " " : "zones: ", b.s);
			}
		}
		strbuf_free(&b);
	}
}

/* Compaction's marks on a cell: a scanner's cursor, an isolated frame,
 * a migration's source or target. */
struct compact_marks {
	int64_t src, dst; /* the current migration step's frames, -1 if none */
	bool running;
};

static struct compact_marks compact_marks(const struct tui *t, const struct machine *m)
{
	struct compact_marks c = {-1, -1, false};
	if (t->anim.e.step) {
		c.src = tui_field(&t->anim.e, "src", -1);
		c.dst = tui_field(&t->anim.e, "dst", -1);
	}
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		c.running |= m->zones[i].compact.running == 1;
	return c;
}

/* The glyph a scanner puts on the cell [first, first + per), or NULL. */
static const char *scanner_at(const struct tui *t, const struct machine *m, uint64_t first, uint32_t per)
{
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone_compact *c = &m->zones[i].compact;
		if (c->running != 1)
			continue;
		if (c->migrate_pfn >= first && c->migrate_pfn < first + per)
			return tui_glyph(t, "▶", ">");
		if (c->free_pfn >= first && c->free_pfn < first + per)
			return tui_glyph(t, "◀", "<");
	}
	return NULL;
}

static bool cell_isolated(const struct machine *m, uint64_t first, uint32_t per)
{
	for (uint32_t k = 0; k < per && first + k < m->nr_frames; k += (per > 64 ? per / 64 : 1))
		if (frame_isolated(&m->frames[first + k]))
			return true;
	return false;
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	char title[96];
	const struct step_marker mk = tui_step_marker(t);
	struct rect in;
	int cw;
	uint32_t per;
	int gutter = r.w >= 40 ? GUTTER : 0;
	geometry(t, (struct rect){r.y + 1, r.x, r.h - 2, r.w - gutter}, m->nr_frames, &cw, &per);
	t->frames_per_cell = (int)per;
	snprintf(title, sizeof title, "frames (%u%s)", m->nr_frames, per > 1 ? ", zoomed" : "");
	in = tui_box(t, r, title, focus);
	if (in.h < 2 || in.w < 2 + gutter)
		return;
	in.x += gutter;
	in.w -= gutter;
	int rows = in.h - 1, per_row = row_cells(in.w, cw);
	if (per_row < 1 || rows < 1)
		return;
	bool seen[NR_FRAME_STATES] = {false};
	const struct compact_marks cm = compact_marks(t, m);
	uint64_t visible = (uint64_t)rows * (uint64_t)per_row * per;
	if (t->selected >= m->nr_frames)
		t->selected = m->nr_frames - 1;
	/* keep the selection in view */
	if (t->selected < t->frames_first || t->selected >= t->frames_first + visible)
		t->frames_first = (uint32_t)(t->selected / ((uint64_t)per_row * per) * ((uint64_t)per_row * per));
	if (t->frames_first >= m->nr_frames)
		t->frames_first = 0;
	for (int row = 0; row < rows; row++) {
		uint64_t row_first = t->frames_first + (uint64_t)row * (uint64_t)per_row * per;
		if (gutter && row_first < m->nr_frames)
			tui_put(t, in.y + row, in.x - gutter, gutter, R_DIM, "%*s ", gutter - 1,
				hex(row_first, (char[24]){0}));
		for (int c = 0; c < per_row; c++) {
			uint64_t first = t->frames_first + ((uint64_t)row * (uint64_t)per_row + (uint64_t)c) * per;
			if (first >= m->nr_frames)
				break;
			bool mixed = false;
			unsigned st = per == 1 ? frame_state(&m->frames[block_head(m, (uint32_t)first)])
					       : cell_state(m, (uint32_t)first, per, &mixed);
			seen[st] = true;
			enum role role = state_role(st);
			int mark = 0;
			for (uint32_t k = 0; k < per && !mark && first + k < m->nr_frames; k += (per > 64 ? per / 64 : 1))
				mark = tui_mark(&mk, (uint32_t)(first + k));
			if (mark)
				role = mark == 1 ? R_HILITE : R_HILITE2;
			const char *g = mixed ? tui_glyph(t, "▒", "%") : state_glyph(t, st);
			if (cell_isolated(m, first, per)) {
				role = R_CURRENT;
				g = tui_glyph(t, "●", "@");
			}
			if (cm.src >= (int64_t)first && cm.src < (int64_t)(first + per))
				role = R_HILITE;
			else if (cm.dst >= (int64_t)first && cm.dst < (int64_t)(first + per))
				role = R_HILITE2;
			const char *cursor = cm.running ? scanner_at(t, m, first, per) : NULL;
			if (cursor) {
				role = R_CAPTION;
				g = cursor;
			}
			int y = in.y + row, x = in.x + c * cw;
			bool sel = focus && t->selected >= first && t->selected < first + per;
			attrset(tui_attr(t, role) | (sel ? A_REVERSE | A_UNDERLINE : 0));
			const struct frame *f = &m->frames[first];
			/* A block's head cell starts with its order, so blocks read
			 * off the map; the rest of a cell is the state's glyph. */
			int k = 0;
			if (cw >= 3 && per == 1 && frame_state(f) != FS_TAIL) {
				char label[8];
				k = snprintf(label, sizeof label, "%u", frame_order(f) % 100);
				mvaddstr(y, x, label);
			}
			for (; k < cw - (cw >= 2); k++)
				mvaddstr(y, x + k, g);
			if (cw >= 2)
				mvaddstr(y, x + cw - 1, " ");
			attrset(A_NORMAL);
		}
	}
	struct strbuf zones = {0};
	zone_marks(t, (struct rect){in.y, in.x, in.h, per_row * cw}, rows, (uint64_t)per_row * per, r.x + r.w, &zones);
	/* the legend: the states on screen (free and allocated always) */
	int ly = in.y + in.h - 1, x = in.x - gutter;
	seen[FS_FREE] = seen[FS_ALLOC] = true;
	for (unsigned st = FS_FREE; st < NR_FRAME_STATES; st++) {
		if (!seen[st])
			continue;
		x += tui_put(t, ly, x, in.x + in.w - x, state_role(st), "%s", state_glyph(t, st));
		x += tui_put(t, ly, x, in.x + in.w - x, R_DIM, " %s ", frame_state_names[st]);
	}
	x += tui_put(t, ly, x, in.x + in.w - x, R_HILITE, " ");
	x += tui_put(t, ly, x, in.x + in.w - x, R_DIM, " this step ");
	if (cm.running) {
		x += tui_put(t, ly, x, in.x + in.w - x, R_CAPTION, "%s%s", tui_glyph(t, "▶", ">"), tui_glyph(t, "◀", "<"));
		x += tui_put(t, ly, x, in.x + in.w - x, R_DIM, " scanners ");
		x += tui_put(t, ly, x, in.x + in.w - x, R_CURRENT, "%s", tui_glyph(t, "●", "@"));
		x += tui_put(t, ly, x, in.x + in.w - x, R_DIM, " isolated ");
	}
	if (per > 1)
		x += tui_put(t, ly, x, in.x + in.w - x, R_DIM, " cell=%u frames ", per);
	else if (focus)
		x += tui_put(t, ly, x, in.x + in.w - x, R_DIM, " pfn 0x%x ", t->selected);
	/* zone starts the rows had no room for: under the map if a row is
	 * free, else on the legend's line */
	uint64_t map_rows = ((uint64_t)m->nr_frames - t->frames_first + (uint64_t)per_row * per - 1) /
			    ((uint64_t)per_row * per);
	if (zones.len && map_rows < (uint64_t)rows)
		tui_put_words(t, in.y + (int)map_rows, in.x - gutter, r.w, R_TITLE, zones.s);
	else if (zones.len)
		tui_put_words(t, ly, x + 1, r.x + r.w - x - 1, R_TITLE, zones.s);
	strbuf_free(&zones);
}

static bool key(struct tui *t, int ch)
{
	const struct machine *m = session_machine(t->s);
	struct rect r = t->pane[PANE_FRAMES];
	int cw = 1;
	uint32_t per;
	if (r.w >= 40) {
		r.x += GUTTER;
		r.w -= GUTTER;
	}
	geometry(t, (struct rect){r.y + 1, r.x, r.h - 2, r.w}, m->nr_frames, &cw, &per);
	int64_t row = (int64_t)row_cells(r.w, cw) * per, sel = t->selected;
	switch (ch) {
	case KEY_SLEFT: case 'h': sel -= per; break;
	case KEY_SRIGHT: case 'l': sel += per; break;
	case KEY_UP: sel -= row; break;
	case KEY_DOWN: sel += row; break;
	case KEY_PPAGE: sel -= row * (r.h - 2); break;
	case KEY_NPAGE: sel += row * (r.h - 2); break;
	default: return false;
	}
	if (sel < 0)
		sel = 0;
	if (sel >= m->nr_frames)
		sel = m->nr_frames - 1;
	t->selected = (uint32_t)sel;
	return true;
}

static bool click(struct tui *t, struct rect r, int y, int x)
{
	const struct machine *m = session_machine(t->s);
	int cw;
	uint32_t per;
	if (r.w >= 40) {
		r.x += GUTTER;
		r.w -= GUTTER;
	}
	geometry(t, (struct rect){r.y + 1, r.x, r.h - 2, r.w}, m->nr_frames, &cw, &per);
	int row = y - (r.y + 1), col = (x - r.x) / cw, per_row = row_cells(r.w, cw);
	if (x < r.x || row < 0 || col >= per_row)
		return false;
	uint64_t pfn = t->frames_first + ((uint64_t)row * (uint64_t)per_row + (uint64_t)col) * per;
	if (pfn >= m->nr_frames)
		return false;
	t->selected = (uint32_t)pfn;
	return true;
}

/* The buddy allocator's steps, and compaction's and migration's, are
 * the frame map's to show. */
static bool owns(unsigned kind)
{
	return kind <= EV_PUT || (kind >= EV_COMPACT_SUITABLE && kind <= EV_MIGRATE_FAIL);
}

const struct view view_frames = {"frames", draw, key, click, owns};
