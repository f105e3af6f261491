/*
 * Page tables: the virtual address of the translation being stepped through,
 * split into its index fields; the walk so far, one level per step (the
 * walk events of the current operation up to the cursor, so stepping back
 * takes levels away); the table of the level just walked, the used entry
 * among its neighbours; the result or the fault; and the TLB, set by set,
 * with the entry hit, filled or evicted by this step highlighted.  Away
 * from a walk, or with `t`, the tree of tables (view_pgtree.c).
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "mm/pgtable.h"
#include "mm/trace.h"
#include "tui.h"

static const enum role level_role[NR_PT_LEVELS] = {R_MIN, R_LOW, R_HIGH, R_FREE, R_ALLOC};

static bool owns(unsigned kind)
{
	return kind >= EV_MM_ALLOC && kind <= EV_TLB_FLUSH;
}

/* "PGD 0x0fe | PUD 0x048 | … | offset 0x890", the current level lit. */
static int draw_split(struct tui *t, struct rect in, int y, const struct pt_format *f, uint64_t va, int lit)
{
	int x = in.x;
	x += tui_put(t, y, x, in.w, R_TITLE, "va 0x%llx  ", (unsigned long long)va);
	for (unsigned d = 0; d < f->depth && x < in.x + in.w; d++) {
		unsigned lvl = f->level[d];
		x += tui_put(t, y, x, in.x + in.w - x, lit == (int)lvl ? R_HILITE : level_role[lvl], "%s 0x%x",
			     pt_level_names[lvl], pt_index(f, va, d));
		x += tui_put(t, y, x, in.x + in.w - x, R_DIM, " | ");
	}
	uint64_t offset = va & ((1ull << f->offset_bits) - 1);
	tui_put(t, y, x, in.x + in.w - x, R_NORMAL, "offset 0x%llx", (unsigned long long)offset);
	/* the bits each field takes, under it */
	x = in.x;
	x += tui_put(t, y + 1, x, in.w, R_DIM, "bits  ");
	for (unsigned d = 0; d < f->depth && x < in.x + in.w; d++)
		x += tui_put(t, y + 1, x, in.x + in.w - x, R_DIM, "%u..%u  ", f->shift[d] + f->bits[d] - 1, f->shift[d]);
	tui_put(t, y + 1, x, in.x + in.w - x, R_DIM, "%u..0", f->offset_bits - 1);
	return 3;
}

/* One line per walk step so far, the newest lit; then the outcome. */
static int draw_walk(struct tui *t, struct rect in, int y, uint32_t first, uint32_t cur)
{
	const struct machine *m = session_machine(t->s);
	int rows = 0;
	char buf[160];
	for (uint32_t st = first; st <= cur && rows < in.h - (y - in.y); st++) {
		struct event e;
		session_event(t->s, st, &e);
		enum role role = st == cur ? R_HILITE : R_NORMAL;
		if (e.kind == EV_WALK) {
			unsigned lvl = (unsigned)tui_field(&e, "level", 0);
			tui_put(t, y + rows++, in.x, in.w, role, "%s %-3s table 0x%llx [%lld] = %s", tui_glyph(t, "→", ">"),
				pt_level_names[lvl], (long long)tui_field(&e, "table", 0), (long long)tui_field(&e, "index", 0),
				pte_text(m, (uint64_t)tui_field(&e, "entry", 0), (int)lvl, buf, sizeof buf));
		} else if (e.kind == EV_TRANSLATED) {
			tui_put(t, y + rows++, in.x, in.w, role, "%s frame 0x%llx + offset 0x%llx = pa 0x%llx",
				tui_glyph(t, "⇒", "=>"), (long long)tui_field(&e, "pfn", 0), (long long)tui_field(&e, "offset", 0),
				(long long)tui_field(&e, "pa", 0));
		} else if (e.kind == EV_WALK_FAULT || e.kind == EV_TLB_HIT || e.kind == EV_TLB_MISS) {
			ev_format_text(m, &e, buf, sizeof buf);
			tui_put(t, y + rows++, in.x, in.w, e.kind == EV_WALK_FAULT ? R_BAD : role, "%s", buf);
		}
	}
	return rows;
}

/* The table at `depth` on va's path in mm, found as the MMU finds it: from
 * the top table down by the address's indices; 0 if the path is cut. */
static uint32_t table_on_path(const struct machine *m, uint32_t mm, uint64_t va, unsigned depth)
{
	const struct pt_mm *p = pt_mm(m, mm);
	uint32_t t = p ? p->pgd : 0;
	for (unsigned d = 0; t && d < depth; d++)
		t = pt_children(m, t)[pt_index(&m->pt->fmt, va, d)];
	return t;
}

/* A window of the walked level's table: the used entry and its neighbours. */
static int draw_table(struct tui *t, struct rect in, int y, const struct event *walk, uint32_t mm)
{
	const struct machine *m = session_machine(t->s);
	const struct pt_format *f = &m->pt->fmt;
	uint64_t va = (uint64_t)tui_field(walk, "va", 0);
	unsigned lvl = (unsigned)tui_field(walk, "level", 0), depth = 0;
	while (depth < f->depth && f->level[depth] != lvl)
		depth++;
	uint32_t table = table_on_path(m, mm, va, depth);
	if (!table || depth == f->depth)
		return 0;
	const uint64_t *e = pt_entries(m, table);
	uint32_t used = pt_index(f, va, depth), n = pt_nr_entries(m, depth), rows = 0;
	char buf[160];
	tui_put(t, y, in.x, in.w, R_TITLE, "%s table, page 0x%x:", pt_level_names[lvl], pt_table(m, table)->pfn);
	for (int64_t i = (int64_t)used - 2; i <= (int64_t)used + 2; i++) {
		if (i < 0 || i >= n)
			continue;
		bool here = (uint32_t)i == used;
		tui_put(t, y + 1 + (int)rows++, in.x + 2, in.w - 2, here ? R_HILITE : (e[i] ? R_NORMAL : R_DIM),
			"%s[%4lld] %s", here ? tui_glyph(t, "▶", ">") : " ", (long long)i,
			e[i] ? pte_text(m, e[i], (int)lvl, buf, sizeof buf) : "empty");
	}
	return 1 + (int)rows;
}

static void draw_tlb(struct tui *t, struct rect in, int y, const struct event *e)
{
	const struct machine *m = session_machine(t->s);
	const struct pgtable *pt = m->pt;
	const struct pt_root *root = pt_root(m);
	const struct tlb_entry *tlb = pt_tlb(m);
	int64_t lit_set = tui_field(e, "set", -1), lit_way = tui_field(e, "way", -1);
	bool step_lit = e->kind == EV_TLB_HIT || e->kind == EV_TLB_FILL || e->kind == EV_TLB_EVICT;
	tui_put(t, y++, in.x, in.w, R_TITLE, "TLB: %u entries, %u-way, %u sets   hits %u  misses %u", pt->tlb_entries,
		pt->tlb_ways, pt->tlb_sets, root->hits, root->misses);
	/* the lit set first, then the others, as rows allow */
	for (uint32_t k = 0; k < pt->tlb_sets && y < in.y + in.h; k++) {
		uint32_t set = lit_set >= 0 ? (uint32_t)(lit_set + k) % pt->tlb_sets : k;
		int x = in.x;
		x += tui_put(t, y, x, in.w, R_DIM, "set %3u ", set);
		for (uint32_t w = 0; w < pt->tlb_ways && x < in.x + in.w; w++) {
			const struct tlb_entry *te = &tlb[set * pt->tlb_ways + w];
			bool lit = step_lit && (int64_t)set == lit_set && (int64_t)w == lit_way;
			if (te->valid)
				x += tui_put(t, y, x, in.x + in.w - x, lit ? R_HILITE : R_NORMAL, " [%u:0x%llx%s0x%x]",
					     te->asid, (unsigned long long)(te->tag << te->shift), tui_glyph(t, "→", ">"),
					     pte_pfn(m, te->entry));
			else
				x += tui_put(t, y, x, in.x + in.w - x, lit ? R_HILITE : R_DIM, " [ - ]");
		}
		y++;
	}
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	const struct pt_format *f = m->pt ? &m->pt->fmt : NULL;
	char title[80];
	snprintf(title, sizeof title, "page tables (%s, %u levels)", f ? f->name : "none", f ? f->depth : 0);
	struct rect in = tui_box(t, r, title, focus);
	if (in.h < 2 || in.w < 10)
		return;
	if (!f || !f->depth) {
		tui_put(t, in.y, in.x, in.w, R_DIM, " this machine has no page tables");
		return;
	}
	uint32_t cur = session_cursor(t->s);
	struct event e = {0};
	if (cur)
		session_event(t->s, cur, &e);
	int y = in.y;
	bool walking = cur && owns(e.kind) && ev_field_index(e.kind, "va") >= 0 && e.kind != EV_PGTABLE_ALLOC &&
		       e.kind != EV_SET_PTE && e.kind != EV_CLEAR_PTE && e.kind != EV_PGTABLE_FREE;
	if (!walking || t->pgtree) {
		/* the tables themselves, the one this step touches lit */
		int64_t lit = tui_field(&e, "table", -1);
		if (e.kind == EV_PGTABLE_ALLOC)
			lit = tui_field(&e, "pfn", -1);
		int avail = in.h - (m->pt->tlb_entries ? 4 : 0);
		y += tui_draw_pgtree(t, (struct rect){in.y, in.x, avail > 3 ? avail : in.h, in.w}, y,
				     cur ? (uint32_t)lit : UINT32_MAX) + 1;
	} else if (walking) {
		int lit = e.kind == EV_WALK ? (int)tui_field(&e, "level", -1) : -1;
		uint32_t first = tui_op_first_step(t->s, cur);
		y += draw_split(t, in, y, f, (uint64_t)tui_field(&e, "va", 0), lit);
		y += draw_walk(t, in, y, first, cur) + 1;
		if (e.kind == EV_WALK) {
			/* the walk's address space: the mm its TLB miss named */
			struct event miss;
			session_event(t->s, first, &miss);
			for (uint32_t st = first; st <= cur && tui_field(&miss, "mm", -1) < 0; st++)
				session_event(t->s, st, &miss);
			if (tui_field(&miss, "mm", -1) > 0 && y + 7 < in.y + in.h)
				y += draw_table(t, in, y, &e, (uint32_t)tui_field(&miss, "mm", 0)) + 1;
		}
	}
	if (y < in.y + in.h && m->pt->tlb_entries)
		draw_tlb(t, (struct rect){in.y, in.x, in.h, in.w}, y, &e);
}

/* t: the tree of tables even during a walk (and back). */
static bool key(struct tui *t, int ch)
{
	if (ch != 't')
		return false;
	t->pgtree = !t->pgtree;
	snprintf(t->message, sizeof t->message, "page tables: %s", t->pgtree ? "the tree" : "the walk (tree away from one)");
	return true;
}

const struct view view_pgtable = {"page tables", draw, key, NULL, owns};
