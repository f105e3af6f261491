/*
 * SLOB's own structures, for a machine{slab="slob"} (mm/slob.c as of 6.3):
 * the three free lists free_slob_small, free_slob_medium and free_slob_large
 * with each page's pfn and its free units (sp->units), and where the step's
 * allocation or free sits in its page (the block slob_page_alloc's
 * first-fit walk settled on).  Read only.
 */
#include <curses.h>

#include "mm/slab_alloc.h"
#include "mm/slob.h"
#include "tui.h"

static const char *const kernel_list[NR_SLOB_LISTS] = {"free_slob_small", "free_slob_medium", "free_slob_large"};

static int64_t step_field(const struct tui *t, const char *name)
{
	int i = t->anim.e.step ? ev_field_index(t->anim.e.kind, name) : -1;
	return i < 0 ? -1 : t->anim.e.f[i];
}

int view_slob_draw(struct tui *t, const struct machine *m, struct rect in, int y, int ymax)
{
	const struct slob_root *r = slob_root(m);
	int64_t pfn = step_field(t, "page"), index = step_field(t, "unit");
	tui_put(t, y++, in.x, in.w, R_TITLE, "SLOB: %u pages, %u in big blocks; %u units of %uB a page", r->nr_pages,
		r->big_pages, slob_units_per_page(m), slob_unit(m));
	for (int l = 0; l < NR_SLOB_LISTS && y < ymax; l++) {
		tui_put(t, y++, in.x, in.w, R_NORMAL, "%-16s %u pages", kernel_list[l], r->nr[l]);
		uint32_t o = r->head[l];
		for (uint32_t n = 0; o && n < r->nr[l] && y < ymax; n++) {
			const struct slob_page *p = slob_page_at(m, o);
			bool here = pfn >= 0 && (uint32_t)pfn == p->pfn;
			if (here && index >= 0)
				tui_put(t, y++, in.x, in.w, R_CURRENT, "  pfn %-6u units free %-5u <- this step, unit %lld",
					p->pfn, p->units, (long long)index);
			else
				tui_put(t, y++, in.x, in.w, here ? R_CURRENT : R_NORMAL, "  pfn %-6u units free %u",
					p->pfn, p->units);
			o = p->next;
			if (o == r->head[l])
				break;
		}
	}
	return y;
}
