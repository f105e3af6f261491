/*
 * The page-table view's tree mode: the tables that exist, as the MMU would
 * reach them from each address space's top table, each with its used
 * entries and the address range it covers, and what they cost against a
 * flat table for the whole address space.  Only tables that exist are
 * visited (a table's entries are read to find its children, as ptdump
 * does), so a sparse process draws a handful of lines.
 */
#include <curses.h>
#include <stdio.h>

#include "mm/pgtable.h"
#include "tui.h"

struct tree_ctx {
	struct tui *t;
	struct rect in;
	int y;
	uint32_t lit_pfn; /* the table the current step walks, or -1 */
	unsigned hidden;  /* tables with no row left */
	char indent[2 * PT_MAX_DEPTH * 4 + 1];
};

static uint64_t sign_extend(const struct pt_format *f, uint64_t va)
{
	if (f->sign_extend && f->va_bits < 64 && (va >> (f->va_bits - 1) & 1))
		va |= ~0ull << f->va_bits;
	return va;
}

/* One table's line, then its children's, depth first. */
static void table_rows(struct tree_ctx *c, uint32_t off, uint64_t base, int index, bool last)
{
	struct tui *t = c->t;
	const struct machine *m = session_machine(t->s);
	const struct pt_format *f = &m->pt->fmt;
	const struct pt_table *pt = pt_table(m, off);
	unsigned d = pt->depth, n = pt_nr_entries(m, d);
	if (c->y >= c->in.y + c->in.h) {
		c->hidden++;
	} else {
		char range[64] = "";
		if (d) {
			uint64_t span = 1ull << (f->shift[d - 1]);
			snprintf(range, sizeof range, "  0x%llx-0x%llx", (unsigned long long)sign_extend(f, base),
				 (unsigned long long)sign_extend(f, base + span - 1));
		}
		int x = c->in.x;
		x += tui_put(t, c->y, x, c->in.w, R_DIM, "%s", c->indent);
		if (d)
			x += tui_put(t, c->y, x, c->in.x + c->in.w - x, R_DIM, "%s[%d] ",
				     tui_glyph(t, last ? "└ " : "├ ", last ? "`-" : "|-"), index);
		x += tui_put(t, c->y, x, c->in.x + c->in.w - x, pt->pfn == c->lit_pfn ? R_HILITE : R_PGTABLE,
			     "%s page 0x%x", pt_level_names[f->level[d]], pt->pfn);
		x += tui_put(t, c->y, x, c->in.x + c->in.w - x, R_NORMAL, " %u/%u used", pt->nr_used, n);
		tui_put_words(t, c->y, x, c->in.x + c->in.w - x, R_DIM, range);
		c->y++;
	}
	if (d + 1 >= f->depth)
		return;
	const uint32_t *child = pt_children(m, off);
	size_t len = 0;
	while (c->indent[len])
		len++;
	if (d && len + 4 < sizeof c->indent)
		snprintf(c->indent + len, sizeof c->indent - len, "%s", tui_glyph(t, last ? "  " : "│ ", last ? "  " : "| "));
	unsigned kids = 0, seen = 0;
	for (unsigned i = 0; i < n; i++)
		kids += child[i] != 0;
	for (unsigned i = 0; i < n && seen < kids; i++) {
		if (!child[i])
			continue;
		seen++;
		table_rows(c, child[i], base + ((uint64_t)i << f->shift[d]), (int)i, seen == kids);
	}
	c->indent[len] = 0;
}

int tui_draw_pgtree(struct tui *t, struct rect in, int y, uint32_t lit_pfn)
{
	const struct machine *m = session_machine(t->s);
	const struct pt_format *f = &m->pt->fmt;
	const struct pt_root *root = pt_root(m);
	struct tree_ctx c = {.t = t, .in = {y, in.x, in.y + in.h - y, in.w}, .y = y, .lit_pfn = lit_pfn};
	unsigned page = 1u << f->offset_bits, tables = 0;
	for (uint32_t id = 1; id <= root->mms.n; id++) {
		const struct pt_mm *mm = pt_mm(m, id);
		if (!mm || !mm->pgd)
			continue;
		tables += mm->nr_tables;
		if (c.y < c.in.y + c.in.h) {
			/* what the tree costs, against one flat table for every page */
			char flat[32], one[32];
			unsigned bits = f->va_bits - f->offset_bits;
			pt_size_text(bits + (unsigned)__builtin_ctz(f->entry_size), flat, sizeof flat);
			pt_size_text((unsigned)__builtin_ctz(page), one, sizeof one);
			uint64_t bytes = (uint64_t)mm->nr_tables * page;
			tui_put(t, c.y++, in.x, in.w, R_TITLE, "mm %u: %u table%s %s %s = %llu KiB; a flat table: %s", id,
				mm->nr_tables, mm->nr_tables == 1 ? "" : "s", tui_glyph(t, "×", "x"), one,
				(unsigned long long)(bytes >> 10), flat);
		}
		c.indent[0] = 0;
		table_rows(&c, mm->pgd, 0, 0, true);
	}
	if (!tables && c.y < c.in.y + c.in.h)
		tui_put(t, c.y++, in.x, in.w, R_DIM, " no address space yet (mm_alloc())");
	if (c.hidden && c.y - 1 >= y)
		tui_put(t, c.y - 1, in.x, in.w, R_DIM, "%s %u more table%s", tui_glyph(t, "…", "..."), c.hidden,
			c.hidden == 1 ? "" : "s");
	return c.y - y;
}
