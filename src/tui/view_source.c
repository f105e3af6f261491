/*
 * The scenario source with the line of the current operation.  In a
 * lecture the source can give a pause's answer away (the next lines'
 * expect() calls say what will happen): `S` cycles the pane through the
 * whole source, the source with expect statements hidden, and no pane.
 */
#include <curses.h>
#include <string.h>

#include "tui.h"

/* Does line l (1-based) belong to an expect…(…) statement?  A statement
 * starts with expect and runs until its parentheses close. */
static bool in_expect(const struct session *s, int l)
{
	/* find the statement's start: a bounded look back */
	for (int start = l; start >= 1 && start > l - 20; start--) {
		const char *p = s->source[start - 1];
		p += strspn(p, " \t");
		if (strncmp(p, "expect", 6) == 0) {
			/* l is inside while the parentheses are open before it */
			if (start == l)
				return true;
			int before = 0;
			for (int k = start; k < l; k++)
				for (const char *c = s->source[k - 1]; *c; c++)
					before += *c == '(' ? 1 : *c == ')' ? -1 : 0;
			return before > 0;
		}
		if (start < l && *p)
			return false; /* another statement came first */
	}
	return false;
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct session *s = t->s;
	char title[600];
	/* the mode first, so a narrow pane still says it; the file's base name */
	const char *base = strrchr(s->file, '/') ? strrchr(s->file, '/') + 1 : s->file;
	snprintf(title, sizeof title, "%s%s", t->source_mode == SOURCE_NO_EXPECT ? "expects hidden: " : "",
		 base[0] ? base : "source");
	struct rect in = tui_box(t, r, title, focus);
	if (in.h < 1 || in.w < 4)
		return;
	if (!s->nsource) {
		tui_put_words(t, in.y, in.x, in.w, R_DIM, " no scenario: type Lua at : (e.g. :a = alloc_pages(2))");
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
		const char *mark = l == cur ? tui_glyph(t, "▶", ">") : " ";
		if (t->source_mode == SOURCE_NO_EXPECT && in_expect(s, l))
			tui_put(t, in.y + row, in.x, in.w, R_DIM, "%s%3d %s", mark, l, tui_glyph(t, "⋯", "..."));
		else
			tui_put(t, in.y + row, in.x, in.w, l == cur ? R_CURRENT : R_NORMAL, "%s%3d %s", mark, l,
				s->source[l - 1]);
	}
}

static bool key(struct tui *t, int ch)
{
	return tui_scroll_key(ch, &t->source_scroll, t->pane[PANE_SOURCE].h - 2);
}

const struct view view_source = {"source", draw, key, NULL, NULL};
