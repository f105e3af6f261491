/* The scenario source with the line of the current operation. */
#include <curses.h>

#include "tui.h"

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct session *s = t->s;
	struct rect in = tui_box(t, r, s->file[0] ? s->file : "source", focus);
	if (!s->nsource) {
		tui_put(t, in.y, in.x, in.w, R_DIM, " no scenario: type Lua at : (e.g. :a = alloc_pages(2))");
		return;
	}
	int cur = session_line(s);
	int first = cur - in.h / 2 + t->source_scroll;
	if (first > s->nsource - in.h + 1)
		first = s->nsource - in.h + 1;
	if (first < 1)
		first = 1;
	for (int row = 0; row < in.h && first + row <= s->nsource; row++) {
		int l = first + row;
		tui_put(t, in.y + row, in.x, in.w, l == cur ? R_CURRENT : R_NORMAL, "%s%3d %s",
			l == cur ? tui_glyph(t, "▶", ">") : " ", l, s->source[l - 1]);
	}
}

static bool key(struct tui *t, int ch)
{
	return tui_scroll_key(ch, &t->source_scroll, t->pane[PANE_SOURCE].h - 2);
}

const struct view view_source = {"source", draw, key, NULL, NULL};
