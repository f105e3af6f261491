/*
 * The event log: the steps around the cursor, the current one marked.  Only
 * steps the cursor has reached are listed (the scenario records the next
 * operation before the cursor gets there: listing it would give a pause's
 * answer away); reached steps past the cursor show dimmed.  An event's
 * verdict (a watermark check's ok/fail) comes first, so no width loses it;
 * with room each event wraps onto more rows, otherwise it is abbreviated at
 * a word's end.
 */
#include <curses.h>
#include <string.h>

#include "mm/trace.h"
#include "tui.h"

#define PREFIX 17 /* "▶ 12345 watermark " */

struct line {
	char text[512];
	const char *verdict; /* "ok", "FAIL" or NULL */
};

static void format(const struct tui *t, uint32_t step, struct event *e, struct line *l)
{
	session_event(t->s, step, e);
	ev_format_text(session_machine(t->s), e, l->text, sizeof l->text);
	int ok = ev_field_index(e->kind, "ok");
	l->verdict = NULL;
	if (ok < 0)
		return;
	l->verdict = e->f[ok] ? "ok" : "FAIL";
	/* the text's own ": ok"/": fail" tail says it again: drop it */
	size_t n = strlen(l->text);
	const char *tail = e->f[ok] ? ": ok" : ": fail";
	if (n > strlen(tail) && strcmp(l->text + n - strlen(tail), tail) == 0)
		l->text[n - strlen(tail)] = 0;
}

static bool wrapping(struct rect in)
{
	return in.h >= 4 && in.w >= 60;
}

/* Where an event's text starts: after "▶ 12345 kind " (a long kind name
 * pushes it right) or, when narrow, after the step number. */
static int text_x(struct rect in, const struct event *e)
{
	int kind = 7 + (int)strlen(ev_kinds[e->kind].name) + 1;
	return in.w >= 40 ? (kind > PREFIX ? kind : PREFIX) : 7;
}

/* Narrow, only the step at the cursor (and a search's hit) wraps, on a few
 * rows: it is the one being talked about. */
#define NARROW_ROWS 3

static int rows_of(const struct tui *t, struct rect in, uint32_t step)
{
	bool here = step == session_cursor(t->s) || step == t->search_hit;
	if (!wrapping(in) && !here)
		return 1;
	struct event e;
	struct line l;
	format(t, step, &e, &l);
	int w = in.w - text_x(in, &e) - (l.verdict ? 5 : 0);
	int rows = tui_wrap_rows(l.text, w, 2);
	return !wrapping(in) && rows > NARROW_ROWS ? NARROW_ROWS : rows;
}

static int draw_one(struct tui *t, struct rect in, int y, uint32_t step, uint32_t cur, int maxrows)
{
	struct event e;
	struct line l;
	format(t, step, &e, &l);
	bool here = step == cur;
	enum role role = here ? R_CURRENT : step == t->search_hit ? R_HILITE : step > cur ? R_DIM : R_NORMAL;
	int x = in.x, end = in.x + in.w;
	if (here)
		tui_fill(t, (struct rect){y, in.x, 1, in.w}, R_CURRENT);
	if (in.w >= 40)
		x += tui_put(t, y, x, end - x, role, "%s%5u %-9s ", here ? tui_glyph(t, "▶", ">") : " ", step,
			     ev_kinds[e.kind].name);
	else
		x += tui_put(t, y, x, end - x, role, "%s%5u ", here ? tui_glyph(t, "▶", ">") : " ", step);
	if (l.verdict)
		x += tui_put(t, y, x, end - x, here ? R_CURRENT : l.verdict[0] == 'o' ? R_GOOD : R_BAD, "%-4s ",
			     l.verdict);
	if (!wrapping(in) && !here && step != t->search_hit) {
		tui_put_words(t, y, x, end - x, role, l.text);
		return 1;
	}
	if (!wrapping(in) && maxrows > NARROW_ROWS)
		maxrows = NARROW_ROWS;
	int rows = tui_wrap(t, y, x, end - x, maxrows, 2, role, l.text);
	for (int k = 1; here && k < rows; k++) /* the continuation rows' margin too */
		tui_put(t, y + k, in.x, x - in.x + 2, R_CURRENT, "%*s", x - in.x + 2, "");
	return rows;
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	struct rect in = tui_box(t, r, "events", focus);
	if (in.h < 1 || in.w < 8)
		return;
	uint32_t cur = session_cursor(t->s), last = reach_farthest(&t->reach, t->s);
	if (!last) {
		tui_put_words(t, in.y, in.x, in.w, R_DIM, " no steps yet: press space to step");
		return;
	}
	/* the current step about a third of the way down */
	uint32_t first = cur ? cur : 1;
	for (int above = 0; first > 1;) {
		int n = rows_of(t, in, first - 1);
		if (above + n > in.h / 3)
			break;
		above += n;
		first--;
	}
	/* no blank rows at the bottom while earlier steps are left out */
	int used = 0;
	for (uint32_t st = first; st <= last && used < in.h; st++)
		used += rows_of(t, in, st);
	while (first > 1 && used + rows_of(t, in, first - 1) <= in.h)
		used += rows_of(t, in, --first);
	/* and the step at the cursor whole */
	for (;;) {
		int upto = 0;
		for (uint32_t st = first; st <= cur && upto <= in.h; st++)
			upto += rows_of(t, in, st);
		if (upto <= in.h || first >= cur)
			break;
		first++;
	}
	/* scrolling moves the top row from there, within the steps reached */
	t->events_base = first;
	int64_t top = t->events_goto ? (int64_t)t->events_goto : (int64_t)first + t->events_scroll;
	t->events_goto = 0;
	if (top > last)
		top = last;
	if (top < 1)
		top = 1;
	t->events_scroll = (int)(top - first);
	first = (uint32_t)top;
	int y = in.y;
	for (uint32_t st = first; st <= last && y < in.y + in.h; st++)
		y += draw_one(t, in, y, st, cur, in.y + in.h - y);
}

static bool key(struct tui *t, int ch)
{
	return tui_scroll_key(ch, &t->events_scroll, t->pane[PANE_EVENTS].h - 2);
}

/* `/`: the next reached step after the one shown at the log's anchor whose
 * kind or text holds the pattern (ignoring case), wrapping around; the log
 * scrolls to it.  Steps not reached are not searched (no spoilers). */
void tui_search(struct tui *t, const char *pattern)
{
	if (*pattern)
		snprintf(t->search, sizeof t->search, "%s", pattern);
	if (!t->search[0]) {
		snprintf(t->message, sizeof t->message, "search: no pattern yet");
		return;
	}
	uint32_t last = reach_farthest(&t->reach, t->s);
	int64_t from = t->search_hit ? t->search_hit : (int64_t)t->events_base + t->events_scroll;
	for (uint32_t k = 1; k <= last; k++) {
		uint32_t st = (uint32_t)((from - 1 + k) % last) + 1;
		struct event e;
		struct line l;
		format(t, st, &e, &l);
		if (strcasestr(l.text, t->search) || strcasestr(ev_kinds[e.kind].name, t->search)) {
			t->search_hit = st;
			t->events_goto = st > 1 ? st - 1 : 1; /* the hit on the log's second row */
			snprintf(t->message, sizeof t->message, "/%s: step %u", t->search, st);
			return;
		}
	}
	t->search_hit = 0;
	snprintf(t->message, sizeof t->message, "/%s: not in the %u steps so far", t->search, last);
}

const struct view view_events = {"events", draw, key, NULL, NULL};
