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
	uint32_t cur = session_cursor(s), seen = reach_farthest(&t->reach, s);
	const char *bar = tui_glyph(t, "│", "|");
	/* most important first: a narrow screen cuts from the right.  The
	 * count is of steps reached: how many more the scenario has recorded
	 * would tell a class how long the next operation is ("+": more). */
	bool more = session_running(s) || session_known(s) > seen;
	int x = tui_put(t, 0, 0, t->cols, R_STATUS, " step %u/%u%s ", cur, seen, more ? "+" : "");
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
	if (t->quiz.on)
		x += tui_put(t, 0, x, t->cols - x, R_STATUS, "%s quiz %d/%d ", bar, t->quiz.right, t->quiz.asked);
	x += tui_put(t, 0, x, t->cols - x, R_STATUS, "%s F1 help %s %s %s memstep", bar, bar,
		     s->file[0] ? s->file : "(no scenario)", bar);
}

/* The caption's text: the newest failed expectation while it is the newest
 * note, else the narration; NULL for none.  Notes past a pause the cursor
 * stands at for the first time are not shown (reach_note). */
static const char *caption_text(const struct tui *t, enum role *role)
{
	const struct note *say = reach_note(&t->reach, t->s, NOTE_SAY);
	const struct note *failed = reach_note(&t->reach, t->s, NOTE_EXPECT_FAILED);
	*role = R_CAPTION;
	if (failed && (!say || failed->at >= say->at)) {
		*role = R_BAD;
		return failed->text;
	}
	return say ? say->text : NULL;
}

static int title_width(const struct tui *t, int w)
{
	const struct note *title = reach_note(&t->reach, t->s, NOTE_TITLE);
	if (!title)
		return 0;
	int n = (int)strlen(title->text) + 2;
	return n < w / 2 ? n : w / 2;
}

int tui_caption_rows(const struct tui *t, int max)
{
	enum role role;
	const char *text = caption_text(t, &role);
	int w = t->cols - 2, tw = title_width(t, w);
	if (!text || max <= 1)
		return 1;
	size_t next;
	tui_line_break(text, w - tw, &next);
	int rows = 1 + (text[next] ? tui_wrap_rows(text + next, w, 0) : 0);
	return rows < max ? rows : max;
}

void tui_draw_caption(struct tui *t, struct rect r)
{
	tui_fill(t, r, R_CAPTION);
	const struct note *title = reach_note(&t->reach, t->s, NOTE_TITLE);
	enum role role;
	const char *text = caption_text(t, &role);
	int x = r.x + 1, w = r.w - 2, tw = title_width(t, w);
	if (w < 1)
		return;
	if (title)
		tui_put_words(t, r.y, x, tw - 2, R_CAPTION, title->text);
	if (!text)
		return;
	if (r.h == 1) {
		tui_put_words(t, r.y, x + tw, w - tw, role, text);
		return;
	}
	/* the first row beside the title, the rest under it at full width */
	size_t next, take = tui_line_break(text, w - tw, &next);
	if (!text[next] || r.h < 2) {
		tui_put_words(t, r.y, x + tw, w - tw, role, text);
		return;
	}
	tui_put(t, r.y, x + tw, w - tw, role, "%.*s", (int)take, text);
	tui_wrap(t, r.y + 1, x, w, r.h - 1, 0, role, text + next);
}

void tui_draw_bottom(struct tui *t)
{
	int y = t->rows - 1;
	tui_fill(t, (struct rect){y, 0, 1, t->cols}, R_NORMAL);
	if (t->editing) {
		/* keep the cursor in view on a long line */
		int off = t->pos > t->cols - 3 ? t->pos - (t->cols - 3) : 0;
		tui_put(t, y, 0, t->cols, R_NORMAL, "%c%s", t->searching ? '/' : ':', t->line + off);
		move(y, 1 + t->pos - off);
		return;
	}
	tui_put_words(t, y, 0, t->cols, R_DIM, t->message[0] ? t->message
				       : "space step  b back  n next  c continue  : command  / search  F1 help  F10 quit");
}

