/* Drawing helpers and themes for the TUI. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

/* One line per role: foreground, background (-1: the terminal's own), and
 * attributes.  Eight colors only, so any terminal and projector shows them. */
#define ROLE(r, f, b, a) .fg[r] = (f), .bg[r] = (b), .attr[r] = (a)

static const struct theme themes[] = {
	{.name = "dark",
	 ROLE(R_NORMAL, -1, -1, A_NORMAL),
	 ROLE(R_DIM, -1, -1, A_DIM),
	 ROLE(R_TITLE, COLOR_WHITE, -1, A_BOLD),
	 ROLE(R_STATUS, COLOR_BLACK, COLOR_CYAN, A_NORMAL),
	 ROLE(R_FOCUS, COLOR_CYAN, -1, A_BOLD),
	 ROLE(R_FREE, COLOR_GREEN, -1, A_NORMAL),
	 ROLE(R_ALLOC, COLOR_BLUE, -1, A_BOLD),
	 ROLE(R_RESERVED, COLOR_WHITE, -1, A_DIM),
	 ROLE(R_OTHER, COLOR_MAGENTA, -1, A_NORMAL),
	 ROLE(R_HILITE, COLOR_BLACK, COLOR_YELLOW, A_BOLD),
	 ROLE(R_HILITE2, COLOR_BLACK, COLOR_MAGENTA, A_BOLD),
	 ROLE(R_MIN, COLOR_RED, -1, A_BOLD),
	 ROLE(R_LOW, COLOR_YELLOW, -1, A_BOLD),
	 ROLE(R_HIGH, COLOR_GREEN, -1, A_BOLD),
	 ROLE(R_GOOD, COLOR_GREEN, -1, A_NORMAL),
	 ROLE(R_BAD, COLOR_RED, -1, A_BOLD),
	 ROLE(R_CURRENT, COLOR_BLACK, COLOR_YELLOW, A_NORMAL),
	 ROLE(R_CAPTION, COLOR_WHITE, COLOR_BLUE, A_BOLD),
	 ROLE(R_SLAB, COLOR_MAGENTA, -1, A_BOLD),
	 ROLE(R_PGTABLE, COLOR_CYAN, -1, A_BOLD),
	 ROLE(R_VMALLOC, COLOR_YELLOW, -1, A_NORMAL),
	 ROLE(R_ANON, COLOR_RED, -1, A_BOLD),
	 ROLE(R_FILE, COLOR_GREEN, -1, A_BOLD),
	 ROLE(R_ZERO, COLOR_WHITE, -1, A_NORMAL)},
	{.name = "light",
	 ROLE(R_NORMAL, -1, -1, A_NORMAL),
	 ROLE(R_DIM, -1, -1, A_DIM),
	 ROLE(R_TITLE, COLOR_BLACK, -1, A_BOLD),
	 ROLE(R_STATUS, COLOR_WHITE, COLOR_BLUE, A_NORMAL),
	 ROLE(R_FOCUS, COLOR_BLUE, -1, A_BOLD),
	 ROLE(R_FREE, COLOR_GREEN, -1, A_NORMAL),
	 ROLE(R_ALLOC, COLOR_BLUE, -1, A_NORMAL),
	 ROLE(R_RESERVED, COLOR_BLACK, -1, A_DIM),
	 ROLE(R_OTHER, COLOR_MAGENTA, -1, A_NORMAL),
	 ROLE(R_HILITE, COLOR_BLACK, COLOR_YELLOW, A_BOLD),
	 ROLE(R_HILITE2, COLOR_WHITE, COLOR_MAGENTA, A_BOLD),
	 ROLE(R_MIN, COLOR_RED, -1, A_BOLD),
	 ROLE(R_LOW, COLOR_MAGENTA, -1, A_BOLD),
	 ROLE(R_HIGH, COLOR_GREEN, -1, A_BOLD),
	 ROLE(R_GOOD, COLOR_GREEN, -1, A_NORMAL),
	 ROLE(R_BAD, COLOR_RED, -1, A_BOLD),
	 ROLE(R_CURRENT, COLOR_BLACK, COLOR_CYAN, A_NORMAL),
	 ROLE(R_CAPTION, COLOR_BLACK, COLOR_CYAN, A_BOLD),
	 ROLE(R_SLAB, COLOR_MAGENTA, -1, A_NORMAL),
	 ROLE(R_PGTABLE, COLOR_CYAN, -1, A_NORMAL),
	 ROLE(R_VMALLOC, COLOR_RED, -1, A_NORMAL),
	 ROLE(R_ANON, COLOR_RED, -1, A_BOLD),
	 ROLE(R_FILE, COLOR_GREEN, -1, A_BOLD),
	 ROLE(R_ZERO, COLOR_BLACK, -1, A_NORMAL)},
	/* mono: attributes only, high contrast for projectors and NO_COLOR */
	{.name = "mono",
	 ROLE(R_NORMAL, -1, -1, A_NORMAL),
	 ROLE(R_DIM, -1, -1, A_DIM),
	 ROLE(R_TITLE, -1, -1, A_BOLD),
	 ROLE(R_STATUS, -1, -1, A_REVERSE),
	 ROLE(R_FOCUS, -1, -1, A_BOLD | A_UNDERLINE),
	 ROLE(R_FREE, -1, -1, A_NORMAL),
	 ROLE(R_ALLOC, -1, -1, A_BOLD),
	 ROLE(R_RESERVED, -1, -1, A_DIM),
	 ROLE(R_OTHER, -1, -1, A_UNDERLINE),
	 ROLE(R_HILITE, -1, -1, A_REVERSE),
	 ROLE(R_HILITE2, -1, -1, A_REVERSE | A_UNDERLINE),
	 ROLE(R_MIN, -1, -1, A_BOLD),
	 ROLE(R_LOW, -1, -1, A_BOLD),
	 ROLE(R_HIGH, -1, -1, A_BOLD),
	 ROLE(R_GOOD, -1, -1, A_NORMAL),
	 ROLE(R_BAD, -1, -1, A_BOLD | A_UNDERLINE),
	 ROLE(R_CURRENT, -1, -1, A_REVERSE),
	 ROLE(R_CAPTION, -1, -1, A_BOLD),
	 ROLE(R_SLAB, -1, -1, A_NORMAL),
	 ROLE(R_PGTABLE, -1, -1, A_NORMAL),
	 ROLE(R_VMALLOC, -1, -1, A_NORMAL),
	 ROLE(R_ANON, -1, -1, A_BOLD),
	 ROLE(R_FILE, -1, -1, A_NORMAL),
	 ROLE(R_ZERO, -1, -1, A_DIM)},
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
	char text[1024], buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (x + w > t->cols)
		w = t->cols - x;
	/* Cut at w columns, counting a UTF-8 sequence as one column.  Tabs
	 * become spaces and other control characters '?': curses would expand
	 * or draw them itself, past the cut and onto the next line. */
	int cols = 0;
	size_t bytes = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && cols < w && bytes < sizeof buf - 8;) {
		if (*p == '\t') {
			do
				buf[bytes++] = ' ';
			while (++cols % 4 && cols < w);
			p++;
			continue;
		}
		buf[bytes++] = *p < 0x20 || *p == 0x7f ? '?' : (char)*p;
		p++;
		while ((*p & 0xc0) == 0x80)
			buf[bytes++] = (char)*p++;
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

bool tui_scroll_key(int ch, int *scroll, int page)
{
	switch (ch) {
	case KEY_UP: *scroll -= 1; return true;
	case KEY_DOWN: *scroll += 1; return true;
	case KEY_PPAGE: *scroll -= page; return true;
	case KEY_NPAGE: *scroll += page; return true;
	}
	return false;
}

const char *tui_glyph(const struct tui *t, const char *utf8, const char *ascii)
{
	return t->utf8 ? utf8 : ascii;
}

/* Where the line of at most w columns that starts text ends: a word boundary
 * when there is one (a word longer than the line is cut).  *next is where
 * the following line starts (spaces and a newline skipped). */
size_t tui_line_break(const char *text, int w, size_t *next)
{
	size_t i = 0, space = 0;
	int cols = 0;
	if (w < 1) {
		*next = strlen(text);
		return 0;
	}
	while (text[i] && text[i] != '\n' && cols < w) {
		if (text[i] == ' ')
			space = i;
		i++;
		while ((text[i] & 0xc0) == 0x80)
			i++;
		cols++;
	}
	size_t take = i;
	if (text[i] && text[i] != '\n' && text[i] != ' ' && space > 0)
		take = space;
	size_t n = take;
	while (text[n] == ' ')
		n++;
	if (text[n] == '\n')
		n++;
	*next = n;
	while (take > 0 && text[take - 1] == ' ')
		take--;
	return take;
}

int tui_wrap_rows(const char *text, int w, int indent)
{
	int rows = 0;
	if (w < 1)
		return 1;
	while (*text || !rows) {
		int room = rows ? w - indent : w;
		size_t next;
		tui_line_break(text, room < 1 ? 1 : room, &next);
		text += next;
		rows++;
		if (!next)
			break;
	}
	return rows;
}

int tui_wrap(struct tui *t, int y, int x, int w, int maxrows, int indent, enum role role, const char *text)
{
	int rows = 0;
	while (*text && rows < maxrows && w >= 1) {
		int room = rows ? w - indent : w;
		if (room < 1)
			room = 1;
		size_t next, take = tui_line_break(text, room, &next);
		/* the last row allowed ends with an ellipsis if text is left */
		if (rows + 1 == maxrows && text[next]) {
			tui_put_words(t, y + rows, x + (rows ? indent : 0), room, role, text);
			return rows + 1;
		}
		tui_put(t, y + rows, x + (rows ? w - room : 0), room, role, "%.*s", (int)take, text);
		text += next;
		rows++;
		if (!next)
			break;
	}
	return rows;
}

int tui_put_words(struct tui *t, int y, int x, int w, enum role role, const char *text)
{
	if (w < 1)
		return 0;
	size_t next, take = tui_line_break(text, w, &next);
	if (!text[next] && !text[take]) /* it fits */
		return tui_put(t, y, x, w, role, "%s", text);
	/* abbreviate at a word's end, marked, never in mid-word */
	take = tui_line_break(text, w - 1, &next);
	int used = tui_put(t, y, x, w - 1, role, "%.*s", (int)take, text);
	return used + tui_put(t, y, x + used, 1, role, "%s", tui_glyph(t, "…", "~"));
}
