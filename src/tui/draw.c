/* Drawing helpers and themes for the TUI. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

/* Roles: normal dim title status focus free alloc reserved other hilite
 * hilite2 min low high ok bad current caption. */
static const struct theme themes[] = {
	{"dark",
	 {0, -1, 7, 0, 6, 2, 4, 7, 5, 3, 6, 1, 3, 2, 2, 1, 0, 7},
	 {0, -1, -1, 6, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 3, 4},
	 {0, A_NORMAL, A_BOLD, A_BOLD, A_BOLD, A_NORMAL, A_NORMAL, A_DIM, A_NORMAL, A_BOLD | A_REVERSE,
	  A_BOLD | A_REVERSE, A_BOLD, A_BOLD, A_BOLD, A_BOLD, A_BOLD, A_BOLD, A_BOLD}},
	{"light",
	 {0, -1, 0, 7, 4, 2, 4, 0, 5, 1, 5, 1, 3, 2, 2, 1, 7, 0},
	 {0, -1, -1, 4, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 4, 6},
	 {0, A_NORMAL, A_BOLD, A_BOLD, A_BOLD, A_NORMAL, A_NORMAL, A_DIM, A_NORMAL, A_BOLD | A_REVERSE,
	  A_BOLD | A_REVERSE, A_BOLD, A_BOLD, A_BOLD, A_BOLD, A_BOLD, A_BOLD, A_BOLD}},
	/* mono: attributes only, high contrast for projectors and NO_COLOR */
	{"mono",
	 {0},
	 {0},
	 {0, A_NORMAL, A_BOLD, A_REVERSE, A_BOLD | A_UNDERLINE, A_NORMAL, A_BOLD, A_DIM, A_UNDERLINE, A_REVERSE,
	  A_REVERSE | A_UNDERLINE, A_BOLD, A_BOLD, A_BOLD, A_NORMAL, A_BOLD | A_UNDERLINE, A_REVERSE, A_BOLD}},
};

const struct theme *theme_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
		if (strcmp(themes[i].name, name) == 0)
			return &themes[i];
	return NULL;
}

void tui_colors(struct tui *t)
{
	t->color = t->color && has_colors() && strcmp(t->theme->name, "mono") != 0;
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	for (int r = 1; r < NR_ROLES; r++)
		init_pair((short)r, t->theme->fg[r], t->theme->bg[r]);
}

int tui_attr(const struct tui *t, enum role r)
{
	int a = t->theme->attr[r];
	if (t->color)
		a |= COLOR_PAIR(r);
	return a;
}

int tui_put(struct tui *t, int y, int x, int w, enum role r, const char *fmt, ...)
{
	if (w <= 0 || y < 0 || y >= t->rows || x >= t->cols)
		return 0;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (x + w > t->cols)
		w = t->cols - x;
	/* Cut at w columns, counting UTF-8 sequences as one column each. */
	int cols = 0;
	size_t bytes = 0;
	while (buf[bytes] && cols < w) {
		bytes++;
		while ((buf[bytes] & 0xc0) == 0x80)
			bytes++;
		cols++;
	}
	attrset(tui_attr(t, r));
	mvaddnstr(y, x, buf, (int)bytes);
	attrset(A_NORMAL);
	return cols;
}

void tui_fill(struct tui *t, struct rect r, enum role role)
{
	attrset(tui_attr(t, role));
	for (int y = r.y; y < r.y + r.h && y < t->rows; y++)
		mvhline(y, r.x, ' ', r.w);
	attrset(A_NORMAL);
}

struct rect tui_box(struct tui *t, struct rect r, const char *title, bool focus)
{
	if (r.h < 2 || r.w < 4)
		return (struct rect){r.y, r.x, 0, 0};
	attrset(tui_attr(t, focus ? R_FOCUS : R_DIM));
	mvhline(r.y, r.x, t->utf8 ? 0 : '-', r.w);
	if (t->utf8) {
		/* a light rule with the title on it */
		for (int x = r.x; x < r.x + r.w; x++)
			mvaddstr(r.y, x, "─");
	}
	attrset(A_NORMAL);
	tui_put(t, r.y, r.x + 1, r.w - 2, focus ? R_FOCUS : R_TITLE, " %s ", title);
	return (struct rect){r.y + 1, r.x, r.h - 1, r.w};
}

const char *tui_glyph(const struct tui *t, const char *utf8, const char *ascii)
{
	return t->utf8 ? utf8 : ascii;
}
