/* The event log: the steps around the cursor, the current one marked. */
#include <curses.h>

#include "mm/trace.h"
#include "tui.h"

static void draw(struct tui *t, struct rect r, bool focus)
{
	struct rect in = tui_box(t, r, "events", focus);
	uint32_t cur = session_cursor(t->s), known = session_known(t->s);
	/* the current step a third of the way down, moved by scrolling */
	int64_t first = (int64_t)cur - in.h / 3 + t->events_scroll;
	if (first > (int64_t)known - in.h + 1)
		first = (int64_t)known - in.h + 1;
	if (first < 1)
		first = 1;
	for (int row = 0; row < in.h; row++) {
		int64_t st = first + row;
		if (st > known)
			break;
		struct event e;
		char buf[512];
		session_event(t->s, (uint32_t)st, &e);
		ev_format_text(session_machine(t->s), &e, buf, sizeof buf);
		bool here = st == cur;
		tui_put(t, in.y + row, in.x, in.w, here ? R_CURRENT : (st > cur ? R_DIM : R_NORMAL), "%s%5lld %-9s %s",
			here ? tui_glyph(t, "▶", ">") : " ", (long long)st, ev_kinds[e.kind].name, buf);
	}
	if (!known)
		tui_put(t, in.y, in.x, in.w, R_DIM, " no steps yet: press space to step");
}

static bool key(struct tui *t, int ch)
{
	return tui_scroll_key(ch, &t->events_scroll, t->pane[PANE_EVENTS].h - 2);
}

const struct view view_events = {"events", draw, key, NULL, NULL};
