/* The bars around the panes: status on top, the caption (title and the
 * narration), the command line or message at the bottom, and the overlays
 * (help, and text popups such as `info buddy`). */
#include <curses.h>
#include <string.h>

#include "debugger/commands.h"
#include "tui.h"

void tui_draw_status(struct tui *t)
{
	const struct session *s = t->s;
	tui_fill(t, (struct rect){0, 0, 1, t->cols}, R_STATUS);
	uint32_t cur = session_cursor(s), known = session_known(s);
	const char *bar = tui_glyph(t, "│", "|");
	/* most important first: a narrow screen cuts from the right */
	int x = tui_put(t, 0, 0, t->cols, R_STATUS, " step %u/%u%s ", cur, known, session_running(s) ? "+" : "");
	if (cur) {
		struct event e;
		session_event(s, cur, &e);
		/* the step's own line; the source pane marks where the script stands */
		if (e.line)
			x += tui_put(t, 0, x, t->cols - x, R_STATUS, "%s op %u from line %d ", bar, e.op, e.line);
		else
			x += tui_put(t, 0, x, t->cols - x, R_STATUS, "%s op %u typed ", bar, e.op);
	}
	x += tui_put(t, 0, x, t->cols - x, R_STATUS, "%s %s %.3g/s ", bar,
		     s->playing ? tui_glyph(t, "▶ playing", "> playing") : "paused", s->speed);
	x += tui_put(t, 0, x, t->cols - x, R_STATUS, "%s ? help %s %s %s memstep", bar, bar,
		     s->file[0] ? s->file : "(no scenario)", bar);
}

/* Word-wrap text over lines starting at (y, x); returns lines used. */
static int wrap(struct tui *t, int y, int x, int w, int maxlines, enum role role, const char *text)
{
	int used = 0;
	while (*text && used < maxlines) {
		int len = (int)strlen(text);
		int take = len <= w ? len : w;
		if (take < len) {
			int sp = take;
			while (sp > 0 && text[sp] != ' ')
				sp--;
			if (sp > 0)
				take = sp;
		}
		tui_put(t, y + used, x, w, role, "%.*s", take, text);
		text += take;
		while (*text == ' ')
			text++;
		used++;
	}
	return used;
}

void tui_draw_caption(struct tui *t, struct rect r)
{
	tui_fill(t, r, R_CAPTION);
	const struct note *title = session_note(t->s, NOTE_TITLE);
	const struct note *say = session_note(t->s, NOTE_SAY);
	const struct note *failed = session_note(t->s, NOTE_EXPECT_FAILED);
	int y = r.y, x = r.x + 1, w = r.w - 2;
	if (title) {
		int used = tui_put(t, y, x, w, R_CAPTION, "%s", title->text);
		x += used + 2;
		w -= used + 2;
	}
	/* The latest failure wins the caption while it is the newest note. */
	if (failed && (!say || failed->at >= say->at))
		wrap(t, y, x, w, 1, R_BAD, failed->text);
	else if (say)
		wrap(t, y, x, w, 1, R_CAPTION, say->text);
	if (r.h > 1 && say && (int)strlen(say->text) > w && !(failed && failed->at >= say->at)) {
		/* the rest of a long narration on the second line */
		tui_fill(t, (struct rect){r.y + 1, r.x, r.h - 1, r.w}, R_CAPTION);
		int first = w;
		while (first > 0 && say->text[first] != ' ')
			first--;
		wrap(t, r.y + 1, r.x + 1, r.w - 2, r.h - 1, R_CAPTION, say->text + (first > 0 ? first + 1 : w));
	}
}

void tui_draw_bottom(struct tui *t)
{
	int y = t->rows - 1;
	tui_fill(t, (struct rect){y, 0, 1, t->cols}, R_NORMAL);
	if (t->editing) {
		/* keep the cursor in view on a long line */
		int off = t->pos > t->cols - 3 ? t->pos - (t->cols - 3) : 0;
		tui_put(t, y, 0, t->cols, R_NORMAL, ":%s", t->line + off);
		move(y, 1 + t->pos - off);
		return;
	}
	tui_put(t, y, 0, t->cols, R_DIM, "%s", t->message[0] ? t->message
				       : "space step  b back  n next  c continue  p play  : command  ? help  q quit");
}

static void draw_box_text(struct tui *t, const char *title, const char *text)
{
	int lines = 1, width = (int)strlen(title) + 4;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);
		if (len + 4 > width)
			width = len + 4;
		lines++;
		p = e ? e + 1 : p + len;
	}
	if (width > t->cols)
		width = t->cols;
	int h = lines + 2 < t->rows ? lines + 2 : t->rows;
	struct rect r = {(t->rows - h) / 2, (t->cols - width) / 2, h, width};
	tui_fill(t, r, R_NORMAL);
	struct rect in = tui_box(t, r, title, true);
	int y = in.y;
	for (const char *p = text; *p && y < in.y + in.h - 1; y++) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);
		tui_put(t, y, in.x + 2, in.w - 3, R_NORMAL, "%.*s", len, p);
		p = e ? e + 1 : p + len;
	}
	tui_put(t, in.y + in.h - 1, in.x + 2, in.w - 3, R_DIM, "press any key");
}

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
	":          command line  ?          this help\n"
	"q          quit\n"
	"\n";

void tui_draw_overlay(struct tui *t)
{
	if (t->help) {
		struct strbuf b = {0};
		strbuf_printf(&b, "%s", tui_keys_help);
		for (const struct command *c = commands; c->name; c++)
			strbuf_printf(&b, ":%-10s %-5s %s\n", c->name, c->alias ? c->alias : "", c->help);
		draw_box_text(t, "help", b.s);
		strbuf_free(&b);
	} else if (t->popup) {
		draw_box_text(t, "output", t->popup);
	}
}
