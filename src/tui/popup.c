/*
 * The overlays: the help (keys, then the command table) and text popups
 * (a command's output, a frame's details).  They fit the screen (80x24 and
 * up) and scroll: Up/Down, PgUp/PgDn, Home/End and the mouse wheel; any
 * other key (q, Esc…) closes them.
 */
#include <curses.h>
#include <string.h>

#include "debugger/commands.h"
#include "mm/xalloc.h"
#include "tui.h"

const char tui_keys_help[] =
	"space, s   step          b, Left    step back\n"
	"n          next op       N          back one op\n"
	"c          continue      C          reverse-continue\n"
	"p          play/pause    + -        speed\n"
	"g          goto …        r          restart\n"
	"Right      step          Tab        next pane\n"
	"Up Down    scroll / move PgUp PgDn  page\n"
	"h l        frame cursor  Enter      show frame\n"
	"z Z 0      zoom in, out, fit the frame map\n"
	"v          next main view (frames, and each subsystem's)\n"
	"t          page tables: the tree of tables, or the walk\n"
	"S          source: all, expect lines hidden, no pane\n"
	"/          search the event log (Enter on an empty / repeats)\n"
	"Q          quiz mode: at each pause, what happens next?\n"
	":          command line  ? F1       this help\n"
	"q F10      quit          wheel      scroll the pane under it\n"
	"\n";

/* The help's text at width w: the keys, then one row per command with its
 * name and alias in columns and its help wrapped under its own column. */
static char *help_text(int w)
{
	struct strbuf b = {0};
	strbuf_printf(&b, "%s", tui_keys_help);
	int name_w = 0, alias_w = 0;
	for (const struct command *c = commands; c->name; c++) {
		int n = (int)strlen(c->name), a = c->alias ? (int)strlen(c->alias) : 0;
		name_w = n > name_w ? n : name_w;
		alias_w = a > alias_w ? a : alias_w;
	}
	int col = 1 + name_w + 1 + alias_w + 2, room = w - col;
	if (room < 20)
		room = 20;
	for (const struct command *c = commands; c->name; c++) {
		const char *h = c->help;
		size_t next, take = tui_line_break(h, room, &next);
		strbuf_printf(&b, ":%-*s %-*s  %.*s\n", name_w, c->name, alias_w, c->alias ? c->alias : "", (int)take, h);
		for (h += next; *h; h += next) {
			take = tui_line_break(h, room, &next);
			strbuf_printf(&b, "%*s%.*s\n", col, "", (int)take, h);
			if (!next)
				break;
		}
	}
	return b.s;
}

static int count_lines(const char *text, int *widest)
{
	int lines = 0;
	*widest = 0;
	for (const char *p = text; *p; lines++) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);
		*widest = len > *widest ? len : *widest;
		p = e ? e + 1 : p + len;
	}
	return lines;
}

/* The box for n lines of text: its rectangle and the rows of text in it. */
static struct rect box_for(const struct tui *t, int lines, int widest, int title_w, int *text_rows)
{
	int width = widest + 4 > title_w + 4 ? widest + 4 : title_w + 4;
	if (width < 44)
		width = 44; /* room for the footer */
	if (width > t->cols)
		width = t->cols;
	/* the status line and the bottom line stay in sight */
	int most = t->rows - 2 >= 4 ? t->rows - 2 : t->rows;
	int h = lines + 3 < most ? lines + 3 : most;
	*text_rows = h - 3 > 0 ? h - 3 : 0;
	int y = (t->rows - h) / 2;
	return (struct rect){y < 1 && most < t->rows ? 1 : y, (t->cols - width) / 2, h, width};
}

static void draw_box_text(struct tui *t, const char *title, const char *text)
{
	int widest, lines = count_lines(text, &widest), rows;
	struct rect r = box_for(t, lines, widest, (int)strlen(title), &rows);
	if (t->popup_scroll > lines - rows)
		t->popup_scroll = lines - rows;
	if (t->popup_scroll < 0)
		t->popup_scroll = 0;
	tui_fill(t, r, R_NORMAL);
	struct rect in = tui_box(t, r, title, true);
	const char *p = text;
	for (int skip = t->popup_scroll; skip > 0 && *p; skip--) {
		const char *e = strchr(p, '\n');
		p = e ? e + 1 : p + strlen(p);
	}
	for (int y = in.y; *p && y < in.y + rows; y++) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);
		tui_put(t, y, in.x + 2, in.w - 3, R_NORMAL, "%.*s", len, p);
		p = e ? e + 1 : p + len;
	}
	char foot[96];
	if (lines > rows)
		snprintf(foot, sizeof foot, "lines %d-%d of %d  %s PgUp PgDn Home End  q close", t->popup_scroll + 1,
			 t->popup_scroll + rows, lines, tui_glyph(t, "↑↓", "Up Down"));
	else
		snprintf(foot, sizeof foot, "q or any key closes");
	tui_put_words(t, in.y + in.h - 1, in.x + 2, in.w - 3, R_DIM, foot);
}

void tui_draw_overlay(struct tui *t)
{
	if (t->help) {
		int w = t->cols - 4 < 100 ? t->cols - 4 : 100;
		char *text = help_text(w);
		draw_box_text(t, "help", text);
		free(text);
	} else if (t->popup) {
		draw_box_text(t, "output", t->popup);
	}
}

bool tui_popup_key(struct tui *t, int ch)
{
	int page = t->rows - 4 > 1 ? t->rows - 4 : 1;
	switch (ch) {
	case KEY_UP: t->popup_scroll--; return true;
	case KEY_DOWN: t->popup_scroll++; return true;
	case KEY_PPAGE: t->popup_scroll -= page; return true;
	case KEY_NPAGE: case ' ': t->popup_scroll += page; return true;
	case KEY_HOME: t->popup_scroll = 0; return true;
	case KEY_END: t->popup_scroll = 1 << 30; return true; /* draw clamps it */
	case KEY_RESIZE: return true;
	}
	free(t->popup);
	t->popup = NULL;
	t->help = false;
	t->popup_scroll = 0;
	return true;
}
