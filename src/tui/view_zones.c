/* Zones: free pages against the min/low/high watermarks, one gauge each. */
#include <curses.h>
#include <stdio.h>

#include "tui.h"

static void gauge(struct tui *t, int y, int x, int w, const struct zone *z)
{
	/* Scale to a few times the high mark so the marks are visible; a
	 * zone with plenty free shows full. */
	uint64_t scale = 4ull * z->wmark[WMARK_HIGH];
	if (scale < (uint64_t)w)
		scale = (uint64_t)w;
	if (scale > z->managed && z->managed)
		scale = z->managed;
	enum role fill = z->free_pages <= z->wmark[WMARK_MIN]   ? R_BAD
			 : z->free_pages <= z->wmark[WMARK_LOW] ? R_LOW
								: R_GOOD;
	for (int c = 0; c < w; c++) {
		bool full = (uint64_t)z->free_pages * (uint64_t)w >= scale * (uint64_t)(c + 1);
		tui_put(t, y, x + c, 1, full ? fill : R_DIM, "%s", full ? tui_glyph(t, "█", "#") : tui_glyph(t, "·", "."));
	}
	static const char names[] = "mlh";
	static const enum role roles[] = {R_MIN, R_LOW, R_HIGH};
	for (int k = 0; k < 3; k++) {
		uint64_t col = (uint64_t)z->wmark[k] * (uint64_t)w / scale;
		if (col < (uint64_t)w)
			tui_put(t, y, x + (int)col, 1, roles[k], "%c", names[k]);
	}
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	struct rect in = tui_box(t, r, "zones", focus);
	int y = in.y;
	for (unsigned i = 0; i < machine_nr_zones(m) && y + 1 < in.y + in.h; i++) {
		const struct zone *z = &m->zones[i];
		if (!zone_populated(z))
			continue;
		char name[32];
		bool hit = t->anim.e.step && ev_field_index(t->anim.e.kind, "zone") >= 0 &&
			   t->anim.e.f[ev_field_index(t->anim.e.kind, "zone")] == z->id;
		int x = in.x;
		x += tui_put(t, y, x, in.w, hit ? R_CURRENT : R_TITLE, "%-7s", zone_label(m, z->id, name, sizeof name));
		tui_put(t, y, x, in.x + in.w - x, R_NORMAL, " free %u  min %u low %u high %u", z->free_pages,
			z->wmark[WMARK_MIN], z->wmark[WMARK_LOW], z->wmark[WMARK_HIGH]);
		gauge(t, y + 1, in.x + 1, in.w - 2, z);
		y += 2;
	}
}

const struct view view_zones = {"zones", draw, NULL, NULL, NULL};
