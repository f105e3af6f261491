/*
 * The swap areas as maps of slots: one line per area (type, path,
 * priority, slots used, clusters free/nonfull/full), then the area of the
 * step (its type field, else the first) slot by slot, a cluster to a row
 * segment: '#' the header and the slots past the end, '.' free, 1-9 the
 * slot's count ('+' above), the slots whose page is in the swap cache lit as
 * anonymous memory, the step's slot highlighted; the rows scroll to keep it
 * in sight.  Steps of swap (swapon through MADV_PAGEOUT) bring it up.
 */
#include <curses.h>
#include <stdio.h>

#include "mm/swap.h"
#include "tui.h"

static bool owns(unsigned kind)
{
	return kind >= EV_SWAPON && kind <= EV_PAGEOUT_SKIP;
}

static unsigned list_len(const struct machine *m, const struct swap_info *si, unsigned l)
{
	unsigned n = 0; /* at most nr_clusters: bounded by the area, drawn once a frame */
	for (uint32_t i = si->head[l]; i && n <= si->nr_clusters; n++)
		i = swap_cluster_of(m, si, (uint64_t)(i - 1) * SWAPFILE_CLUSTER)->next;
	return n;
}

static int draw_areas(struct tui *t, const struct machine *m, struct rect in, int y, int type)
{
	for (unsigned k = 0; k < MAX_SWAPFILES && y < in.y + in.h; k++) {
		const struct swap_info *si = swap_info_by_type(m, k);
		if (!si)
			continue;
		tui_put(t, y++, in.x, in.w, (int)k == type ? R_HILITE : R_NORMAL,
			" type %u %-12s prio %-6d %u/%u slots used  clusters: %u free, %u nonfull, %u full", k,
			(const char *)si->name, si->prio, si->inuse_pages, si->pages, list_len(m, si, CLUSTER_FREE),
			list_len(m, si, CLUSTER_NONFULL), list_len(m, si, CLUSTER_FULL));
	}
	return y;
}

static void draw_slots(struct tui *t, const struct machine *m, const struct swap_info *si, struct rect in, int y,
		       int64_t lit)
{
	int per = in.w - 8 > 0 ? in.w - 8 : 1;
	per = per > SWAPFILE_CLUSTER ? SWAPFILE_CLUSTER : per;
	uint64_t slots = (uint64_t)si->nr_clusters * SWAPFILE_CLUSTER;
	int rows = in.y + in.h - y;
	if (rows <= 0)
		return;
	uint64_t first = 0;
	if (lit >= 0 && (uint64_t)lit / per >= (uint64_t)rows)
		first = ((uint64_t)lit / per - rows / 2) * per;
	for (uint64_t row = first; row < slots && y < in.y + in.h; row += per, y++) {
		tui_put(t, y, in.x, 7, R_DIM, "%6llx", (unsigned long long)row);
		for (int i = 0; i < per && row + i < slots; i++) {
			uint64_t off = row + i;
			const struct swap_cluster *c = swap_cluster_of(m, si, off);
			uint32_t v = c->map[off % SWAPFILE_CLUSTER], n = v & SWAP_COUNT_MASK;
			char ch = v == SWAP_MAP_BAD ? '#' : !v ? '.' : !n ? 'c' : n > 9 ? '+' : (char)('0' + n);
			int role = (int64_t)off == lit ? R_HILITE
				   : v == SWAP_MAP_BAD ? R_RESERVED
				   : (v & SWAP_HAS_CACHE) ? R_ANON : v ? R_ALLOC : R_FREE;
			tui_put(t, y, in.x + 7 + i, 1, role, "%c", ch);
		}
	}
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	uint32_t cur = session_cursor(t->s);
	struct event e = {0};
	if (cur)
		session_event(t->s, cur, &e);
	int type = owns(e.kind) ? (int)tui_field(&e, "type", -1) : -1;
	const struct swap_info *si = type >= 0 ? swap_info_by_type(m, (unsigned)type) : NULL;
	for (unsigned k = 0; !si && k < MAX_SWAPFILES; k++)
		if ((si = swap_info_by_type(m, k)))
			type = (int)k;
	char title[64];
	snprintf(title, sizeof title, si ? "swap: slots of type %d" : "swap", type);
	struct rect in = tui_box(t, r, title, focus);
	if (in.h < 3 || in.w < 20)
		return;
	if (!si) {
		tui_put(t, in.y, in.x, in.w, R_DIM, " no swap area: swapon{size=} makes one");
		return;
	}
	const struct swap_root *sr = swap_root(m);
	int y = draw_areas(t, m, in, in.y, type);
	tui_put(t, y++, in.x, in.w, R_DIM,
		" swap cache %u pages; pswpin %u, pswpout %u.  # header/past end  . free  1-9 PTE count  c cache only",
		sr->nr_swapcache, sr->pswpin, sr->pswpout);
	int64_t lit = type >= 0 && si->type == (unsigned)type ? tui_field(&e, "offset", -1) : -1;
	draw_slots(t, m, si, in, y, lit);
}

const struct view view_swap = {"swap", draw, NULL, NULL, owns};
