/*
 * The LRU lists of a node as five queues: new pages come in at the head
 * (left), reclaim takes them from the tail (right, where the scan pointer
 * stands).  Each page is its pfn with its state: * referenced (PG_referenced
 * or a young PTE), D dirty, W under writeback, L mlocked.  The page the step
 * is about is lit; a list longer than the row shows its head and its tail
 * with the count between.  Below: the last reclaim decision's reason and the
 * counters a lecture watches.  Drawing walks only the pages it shows.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "mm/procs.h"
#include "mm/trace.h"
#include "mm/vmscan.h"
#include "tui.h"

static bool owns(unsigned kind)
{
	switch (kind) {
	case EV_MARK_ACCESSED: case EV_FOLIO_REFERENCED: case EV_SCAN_COUNT: case EV_SHRINK_ACTIVE:
	case EV_SHRINK_FOLIO: case EV_END_WRITEBACK: case EV_SHRINK_NODE: case EV_MEMORY_RECLAIM:
	case EV_MLOCK: case EV_MLOCK_RANGE: case EV_MLOCK_DONE:
		return true;
	default:
		return false;
	}
}

static bool any_young(const struct machine *m, uint32_t pfn)
{
	struct rmap_hit hits[8];
	unsigned n = rmap_walk_const(m, pfn, hits, 8);
	for (unsigned i = 0; i < n && i < 8; i++) {
		uint64_t e = pt_leaf_entry(m, task_mm(m, hits[i].pid)->asid, hits[i].va);
		if (m->pt->fmt.family == PTF_ARM64 ? (e & ARM_AF) : (e & X86_ACCESSED))
			return true;
	}
	return false;
}

static int cell_text(const struct machine *m, uint32_t pfn, char *buf, size_t n)
{
	const struct upage *u = page_user(m, pfn);
	char st[5];
	int k = 0;
	if ((u->flags & PG_referenced) || any_young(m, pfn))
		st[k++] = '*';
	if (u->flags & PG_dirty)
		st[k++] = 'D';
	if (u->flags & PG_writeback)
		st[k++] = 'W';
	if (u->flags & PG_mlocked)
		st[k++] = 'L';
	st[k] = 0;
	return snprintf(buf, n, "0x%x%s", pfn, st);
}

static int put_cell(struct tui *t, int y, int x, int w, const struct machine *m, uint32_t pfn, int64_t lit)
{
	char buf[24];
	cell_text(m, pfn, buf, sizeof buf);
	enum role r = (int64_t)pfn == lit ? R_HILITE : frame_state(&m->frames[pfn]) == FS_FILE ? R_FILE : R_ANON;
	return tui_put(t, y, x, w, r, "%s", buf) + 1;
}

/* One queue: head cells, a gap with the count, then tail cells. */
static void draw_queue(struct tui *t, const struct machine *m, const struct lru_head *l, int y, int x, int w,
		       int64_t lit)
{
	if (!l->nr) {
		tui_put(t, y, x, w, R_DIM, "(empty)");
		return;
	}
	int tail_w = w / 2, used = 0;
	/* the tail half first, right-aligned: walk back from the tail */
	uint32_t shown[64], ntail = 0;
	int need = 0;
	for (uint32_t pfn = l->tail; pfn != PFN_NONE && ntail < 64 && ntail < l->nr; pfn = m->frames[pfn].prev) {
		char buf[24];
		int cw = cell_text(m, pfn, buf, sizeof buf) + 1;
		if (need + cw > tail_w && ntail)
			break;
		need += cw;
		shown[ntail++] = pfn;
	}
	/* head cells that fit before it, never repeating a tail cell */
	int head_room = w - need - 8;
	uint32_t left = l->nr - ntail, nhead = 0;
	for (uint32_t pfn = l->head; pfn != PFN_NONE && nhead < left; pfn = m->frames[pfn].next) {
		char buf[24];
		int cw = cell_text(m, pfn, buf, sizeof buf) + 1;
		if (used + cw > head_room)
			break;
		used += put_cell(t, y, x + used, w - used, m, pfn, lit);
		nhead++;
	}
	if (nhead < left)
		used += tui_put(t, y, x + used, w - used, R_DIM, "%s%u%s ", tui_glyph(t, "…", ".."), left - nhead,
				tui_glyph(t, "…", ".."));
	for (uint32_t i = ntail; i-- > 0;)
		used += put_cell(t, y, x + used, w - used, m, shown[i], lit);
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	uint32_t cur = session_cursor(t->s);
	struct event e = {0};
	if (cur)
		session_event(t->s, cur, &e);
	int64_t node = tui_field(&e, "node", 0);
	if (node < 0 || node >= (int64_t)m->nr_nodes)
		node = 0;
	char title[128];
	snprintf(title, sizeof title, "LRU lists of node %lld: head %s tail (reclaim takes the tail)", (long long)node,
		 tui_glyph(t, "→", "->"));
	struct rect in = tui_box(t, r, title, focus);
	if (in.h < 3 || in.w < 30)
		return;
	const struct lruvec *lv = node_lruvec(m, (unsigned)node);
	int64_t lit = tui_field(&e, "pfn", -1);
	int y = in.y;
	for (unsigned lru = 0; lru < NR_LRU_LISTS && y < in.y + in.h; lru++, y++) {
		int lw = tui_put(t, y, in.x + 1, 22, R_TITLE, "%-13s %6u ", lru_names[lru], lv->lists[lru].nr);
		draw_queue(t, m, &lv->lists[lru], y, in.x + 1 + lw, in.w - lw - 6, lit);
		if (lv->lists[lru].nr && lru != LRU_UNEVICTABLE)
			tui_put(t, y, in.x + in.w - 4, 4, R_DIM, "%s", tui_glyph(t, "◀", "<"));
	}
	tui_put(t, y++, in.x + 1, in.w - 1, R_DIM, "* referenced  D dirty  W writeback  L mlocked");
	if (cur && owns(e.kind) && y < in.y + in.h) {
		char text[400];
		ev_format_text(m, &e, text, sizeof text);
		y += tui_wrap(t, y, in.x + 1, in.w - 1, in.y + in.h - y, 4, R_CURRENT, text);
	}
	const struct vmscan_root *v = vmscan_root(m);
	const struct vm_events *ev = &v->ev;
	if (y < in.y + in.h)
		tui_put(t, y++, in.x + 1, in.w - 1, R_NORMAL,
			"scanned %u kswapd / %u direct, reclaimed %u / %u; activated %u, deactivated %u, rotated %u; "
			"dirty %u, writeback %u, mlocked %u; kswapd %s",
			ev->pgscan_kswapd, ev->pgscan_direct + ev->pgscan_proactive, ev->pgsteal_kswapd,
			ev->pgsteal_direct + ev->pgsteal_proactive, ev->pgactivate, ev->pgdeactivate, ev->pgrotated,
			v->nr_dirty, v->nr_writeback, v->nr_mlock, lv->kswapd_wake ? "woken" : "asleep");
}

const struct view view_lru = {"LRU lists", draw, NULL, NULL, owns};
