/*
 * The textbook models as a course draws them: a free list as a strip of
 * its heap (free ranges light, handed-out ones dark) with the list in its
 * order below, the element the search is looking at lit; a replacement
 * cache as the simulator's list of frames, left to right, the page just
 * referenced and the one evicted marked, with hits and misses; segments
 * and page tables by hand as the last translation's parts (segment or
 * VPN, offset, entry, result).  The model shown is the one the step at
 * the cursor is about, else the newest.  glibc's heap: view_heap.c.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "mm/textbook/freelist.h"
#include "mm/textbook/malloc.h"
#include "mm/textbook/pagetable.h"
#include "mm/textbook/replace.h"
#include "mm/textbook/segment.h"
#include "tui.h"

static bool owns(unsigned kind)
{
	return kind >= EV_TB_NEW && kind <= EV_MA_ABORT; /* the textbook models and glibc's heap */
}

/* The record of model `id` (the step's), or the newest; NULL if none. */
static const struct tb_model *model(const struct machine *m, int64_t id)
{
	const struct textbook_root *r = textbook_root(m);
	uint32_t n = r->count;
	for (uint32_t o = r->models; o; n--) {
		const struct tb_model *t = arena_ptr(textbook_arena(m), o);
		if (id < 0 || (int64_t)n - 1 == id)
			return t;
		o = t->next;
	}
	return NULL;
}

static int draw_freelist(struct tui *t, const struct machine *m, const struct freelist *f, struct rect in, int y,
			 const struct event *e)
{
	int w = in.w - 2;
	tui_put(t, y++, in.x, in.w, R_TITLE, " free list %u: %s fit, %s%s; heap %u..%u", f->id,
		fl_policy_names[f->cfg.policy], fl_order_names[f->cfg.order], f->cfg.coalesce ? ", coalescing" : "",
		f->cfg.base, f->cfg.base + f->cfg.size - 1);
	/* the strip: one cell per size/w units, free where any unit is free */
	char strip[512];
	int cells = w < (int)sizeof strip - 1 ? w : (int)sizeof strip - 1;
	for (int c = 0; c < cells; c++)
		strip[c] = '#';
	strip[cells] = 0;
	for (uint32_t i = 0; i < f->nfree; i++) {
		uint64_t a = fl_addr(m, f, i) - f->cfg.base, s = fl_size(m, f, i);
		int from = (int)(a * (uint64_t)cells / f->cfg.size), to = (int)((a + s) * (uint64_t)cells / f->cfg.size);
		for (int c = from; c < (to > from ? to : from + 1) && c < cells; c++)
			strip[c] = '.';
	}
	move(y, in.x + 1);
	for (int c = 0; c < cells; c++) {
		attrset(tui_attr(t, strip[c] == '.' ? R_FREE : R_ALLOC));
		addstr(strip[c] == '.' ? tui_glyph(t, "░", ".") : tui_glyph(t, "█", "#"));
	}
	y++;
	tui_put(t, y++, in.x, in.w, R_DIM, " %s free  %s handed out (%u ranges)", tui_glyph(t, "░", "."),
		tui_glyph(t, "█", "#"), f->nalloc);
	int64_t lit = e->kind == EV_FL_SEARCH ? tui_field(e, "index", -1) : e->kind == EV_FL_FREE ? tui_field(e, "index", -1) : -1;
	tui_put(t, y++, in.x, in.w, R_NORMAL, " Free List [ Size %u ]:", f->nfree);
	int x = in.x + 2;
	for (uint32_t i = 0; i < f->nfree && y < in.y + in.h; i++) {
		char item[48];
		int n = snprintf(item, sizeof item, "[ addr:%u sz:%u ]", fl_addr(m, f, i), fl_size(m, f, i));
		if (x + n > in.x + in.w) {
			y++;
			x = in.x + 2;
			if (y >= in.y + in.h)
				break;
		}
		tui_put(t, y, x, n, (int64_t)i == lit ? R_HILITE : R_NORMAL, "%s", item);
		x += n + 1;
	}
	return y + 1;
}

static int draw_replacement(struct tui *t, const struct machine *m, const struct replacement *r, struct rect in,
			    int y, const struct event *e)
{
	tui_put(t, y++, in.x, in.w, R_TITLE, " cache %u: %s, %u frames   hits %u  misses %u  (%u references)", r->id,
		rp_policy_names[r->cfg.policy], r->cfg.frames, r->hits, r->misses, r->index);
	int64_t page = tui_field(e, "page", -1), evicted = e->kind == EV_RP_EVICT ? page : -1;
	bool hit = e->kind == EV_RP_ACCESS && tui_field(e, "hit", 0);
	const char *left = r->cfg.policy == RP_FIFO ? "first in" : r->cfg.policy <= RP_MRU ? "LRU" : "left";
	const char *right = r->cfg.policy == RP_FIFO ? "last in" : r->cfg.policy <= RP_MRU ? "MRU" : "right";
	int x = in.x + 1;
	tui_put(t, y, x, in.w, R_DIM, "%s ->", left);
	x += (int)strlen(left) + 4;
	for (uint32_t i = 0; i < r->count && x + 8 < in.x + in.w; i++) {
		const struct rp_slot *sl = rp_slot_at(m, r, i);
		enum role role = (int64_t)sl->page == page ? (hit ? R_GOOD : R_HILITE) : R_NORMAL;
		int n = tui_put(t, y, x, in.w - (x - in.x), role, "[%u]", sl->page);
		if (r->cfg.policy == RP_CLOCK)
			tui_put(t, y + 1, x, n, R_DIM, "u%u", sl->use);
		x += n + 1;
	}
	tui_put(t, y, x, in.w - (x - in.x), R_DIM, "<- %s", right);
	y += r->cfg.policy == RP_CLOCK ? 2 : 1;
	if (evicted >= 0)
		tui_put(t, y++, in.x, in.w, R_BAD, " evicted page %lld", (long long)evicted);
	else if (e->kind == EV_RP_ACCESS)
		tui_put(t, y++, in.x, in.w, hit ? R_GOOD : R_BAD, " page %lld: %s", (long long)page, hit ? "HIT" : "MISS");
	return y + 1;
}

static int draw_translation(struct tui *t, struct rect in, int y, const struct event *e)
{
	char text[256];
	switch (e->kind) {
	case EV_SEG_TRANSLATE: {
		int n = snprintf(text, sizeof text, " va %lld: segment %lld, offset %lld, base %lld, limit %lld: ",
				 (long long)e->f[1], (long long)e->f[2], (long long)e->f[3], (long long)e->f[4],
				 (long long)e->f[5]);
		if (e->f[7])
			snprintf(text + n, sizeof text - (size_t)n, "VALID, pa %lld", (long long)e->f[6]);
		else
			snprintf(text + n, sizeof text - (size_t)n, "SEGMENTATION VIOLATION");
		break;
	}
	case EV_LPT_TRANSLATE:
		snprintf(text, sizeof text, " va 0x%llx = VPN %lld | offset 0x%llx; entry 0x%08llx: %s", (long long)e->f[1],
			 (long long)e->f[2], (long long)e->f[5], (long long)e->f[3],
			 e->f[7] ? "valid" : "invalid, no translation");
		break;
	case EV_MLPT_ENTRY:
		snprintf(text, sizeof text, " va 0x%04llx: %s index %lld at byte 0x%llx holds 0x%02llx: %s, pfn 0x%02llx",
			 (long long)e->f[1], e->f[2] ? "PTE" : "PDE", (long long)e->f[3], (long long)e->f[4],
			 (long long)e->f[5], e->f[6] ? "valid" : "not valid", (long long)e->f[7]);
		break;
	case EV_MLPT_RESULT:
		if (e->f[4])
			snprintf(text, sizeof text, " va 0x%04llx: fault: %s entry not valid", (long long)e->f[1],
				 e->f[4] == 1 ? "page directory" : "page table");
		else
			snprintf(text, sizeof text, " va 0x%04llx: physical 0x%03llx, value 0x%02llx", (long long)e->f[1],
				 (long long)e->f[2], (long long)e->f[3]);
		break;
	default:
		return y;
	}
	return y + tui_wrap(t, y, in.x, in.w, in.y + in.h - y, 2, R_NORMAL, text);
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	struct rect in = tui_box(t, r, "textbook models", focus);
	if (in.h < 3 || in.w < 20)
		return;
	const struct machine *m = session_machine(t->s);
	uint32_t cur = session_cursor(t->s);
	struct event e = {0};
	if (cur)
		session_event(t->s, cur, &e);
	if (!owns(e.kind))
		e.step = 0;
	const struct tb_model *tm = model(m, tui_field(&e, "id", -1));
	if (!tm) {
		tui_put(t, in.y, in.x, in.w, R_DIM, " no textbook model yet: freelist{}, replacement{}, segmentation{} …");
		return;
	}
	int y = in.y;
	switch (tm->kind) {
	case TB_FREELIST:
		y = draw_freelist(t, m, (const struct freelist *)tm, in, y, &e);
		break;
	case TB_REPLACE:
		y = draw_replacement(t, m, (const struct replacement *)tm, in, y, &e);
		break;
	case TB_MALLOC:
		tui_draw_heap(t, m, (const struct malloc_heap *)tm, in, y, &e);
		return;
	default:
		tui_put(t, y++, in.x, in.w, R_TITLE, " %s", tb_kind_names[tm->kind]);
		break;
	}
	if (e.step)
		draw_translation(t, in, y, &e);
}

const struct view view_textbook = {"textbook models", draw, NULL, NULL, owns};
