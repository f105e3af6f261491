/* The buddy free lists: per zone, per order, the count and the blocks in
 * list order; then each CPU's per-cpu lists that hold pages (count/high and
 * their blocks, list by list); the current step's block stands out. */
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include <curses.h>
#include <stdio.h>

#include "tui.h"

/* Lines of the view, in order; calls fn for each (zone header or order). */
struct line_ref {
	const struct zone *z;
	int order; /* -1: the zone's header */
	int cpu;   /* >= 0: that CPU's per-cpu lists (order unused) */
};

static int lines(const struct machine *m, struct line_ref *out, int max)
{
	int n = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		if (!zone_populated(z))
			continue;
		for (int o = -1; o < (int)m->max_order; o++) {
			if (n < max)
				out[n] = (struct line_ref){z, o, -1};
			n++;
		}
		for (unsigned c = 0; m->cfg.pcp && c < m->cfg.cpus; c++) {
			if (!zone_pcp(m, z, c)->count)
				continue;
			if (n < max)
				out[n] = (struct line_ref){z, 0, (int)c};
			n++;
		}
	}
	return n;
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	struct rect in = tui_box(t, r, "free lists", focus);
	const struct step_marker mk = tui_step_marker(t);
	struct line_ref refs[MAX_NODES * MAX_NR_ZONES * (MAX_ORDER_LIMIT + 1) / 8 + 64];
	int max = (int)(sizeof refs / sizeof refs[0]);
	int n = lines(m, refs, max);
	if (n > max)
		n = max;
	if (t->buddy_scroll > n - in.h)
		t->buddy_scroll = n - in.h;
	if (t->buddy_scroll < 0)
		t->buddy_scroll = 0;
	for (int row = 0; row < in.h && t->buddy_scroll + row < n; row++) {
		const struct line_ref *l = &refs[t->buddy_scroll + row];
		int y = in.y + row, x = in.x;
		char name[32];
		if (l->cpu >= 0) {
			const struct per_cpu_pages *p = zone_pcp(m, l->z, (unsigned)l->cpu);
			x += tui_put(t, y, x, in.w, R_TITLE, " cpu%d %u/%u ", l->cpu, p->count, p->high);
			for (unsigned i = 0; i < NR_PCP_LISTS; i++)
				for (uint32_t q = p->lists[i].head; q != PFN_NONE && x < in.x + in.w; q = m->frames[q].next) {
					int mark = tui_mark(&mk, q);
					x += tui_put(t, y, x, in.x + in.w - x, mark ? R_HILITE : R_FREE, "0x%x", q);
					x += tui_put(t, y, x, in.x + in.w - x, R_NORMAL, " ");
				}
			continue;
		}
		if (l->order < 0) {
			tui_put(t, y, x, in.w, R_TITLE, "%s  %u free   order count  blocks (pfn)",
				zone_label(m, l->z->id, name, sizeof name), l->z->free_pages);
			continue;
		}
		const struct free_area *a = &l->z->free_area[l->order];
		x += tui_put(t, y, x, in.w, a->nr_free ? R_NORMAL : R_DIM, " %2d %5u ", l->order, a->nr_free);
		for (unsigned mt = 0, p = free_area_next(m, a, PFN_NONE, &mt); p != PFN_NONE && x < in.x + in.w; p = free_area_next(m, a, p, &mt)) {
			int mark = tui_mark(&mk, p);
			x += tui_put(t, y, x, in.x + in.w - x, mark ? (mark == 1 ? R_HILITE : R_HILITE2) : R_FREE,
				     "0x%x", p);
			x += tui_put(t, y, x, in.x + in.w - x, R_NORMAL, " ");
		}
	}
}

static bool key(struct tui *t, int ch)
{
	return tui_scroll_key(ch, &t->buddy_scroll, t->pane[PANE_BUDDY].h - 2);
}

/* A click on a block's pfn selects that block. */
static bool click(struct tui *t, struct rect r, int y, int x)
{
	const struct machine *m = session_machine(t->s);
	struct line_ref refs[MAX_NODES * MAX_NR_ZONES * (MAX_ORDER_LIMIT + 1) / 8 + 64];
	int max = (int)(sizeof refs / sizeof refs[0]);
	int n = lines(m, refs, max), row = y - (r.y + 1) + t->buddy_scroll;
	if (row < 0 || row >= n || row >= max || refs[row].order < 0 || refs[row].cpu >= 0)
		return false;
	const struct free_area *a = &refs[row].z->free_area[refs[row].order];
	int at = r.x + 9;
	char buf[16];
	for (unsigned mt = 0, p = free_area_next(m, a, PFN_NONE, &mt); p != PFN_NONE; p = free_area_next(m, a, p, &mt)) {
		int len = snprintf(buf, sizeof buf, "0x%x", p);
		if (x >= at && x < at + len) {
			t->selected = p;
			return true;
		}
		at += len + 1;
	}
	return false;
}

const struct view view_buddy = {"free lists", draw, key, click, NULL};
