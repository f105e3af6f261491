/*
 * Quiz mode in the TUI: when the cursor first reaches a question point
 * (a pause(), an ask{}, or an operation of the chosen kind), a box asks
 * what happens next; 1-9 or a-h answers, the box then says whether it was
 * right and why (the deciding event), and the status line keeps the score.
 * Q turns quiz mode on and off.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

void tui_quiz_check(struct tui *t)
{
	struct quiz_state *z = &t->quiz;
	uint32_t cur = session_cursor(t->s);
	/* only on first arrival: stepping back and forth asks nothing again */
	if (!z->on || z->phase != QUIZ_IDLE || cur < reach_farthest(&t->reach, t->s) || z->done_at == cur + 1)
		return;
	if (!quiz_due(t->s, &z->opts, cur))
		return;
	char why[300];
	z->done_at = cur + 1;
	if (!quiz_build(t->s, cur, &z->q, why, sizeof why)) {
		snprintf(t->message, sizeof t->message, "quiz: nothing to ask here (%s)", why);
		return;
	}
	z->phase = QUIZ_ASKING;
	t->s->playing = false;
}

bool tui_quiz_key(struct tui *t, int ch)
{
	struct quiz_state *z = &t->quiz;
	if (z->phase == QUIZ_REVEALED) {
		z->phase = QUIZ_IDLE; /* any key closes the answer */
		return true;
	}
	if (z->phase != QUIZ_ASKING)
		return false;
	int pick = ch >= '1' && ch <= '9' ? ch - '1' : ch >= 'a' && ch <= 'h' ? ch - 'a' : -1;
	if (ch == 27 || ch == 'Q') { /* skip this one */
		z->phase = QUIZ_IDLE;
		snprintf(t->message, sizeof t->message, "quiz: skipped");
		return true;
	}
	if (pick < 0 || pick >= z->q.nchoices)
		return true; /* the question waits for an answer */
	z->picked = pick;
	z->asked++;
	z->right += pick == z->q.answer;
	z->phase = QUIZ_REVEALED;
	return true;
}

void tui_quiz_draw(struct tui *t)
{
	struct quiz_state *z = &t->quiz;
	if (z->phase == QUIZ_IDLE || t->rows < 8 || t->cols < 30)
		return;
	int w = t->cols - 4 < 90 ? t->cols - 4 : 90;
	int inner = w - 4;
	int rows = tui_wrap_rows(z->q.question, inner, 0) + 1 + z->q.nchoices + 1;
	if (z->phase == QUIZ_REVEALED)
		rows += 2 + tui_wrap_rows(z->q.explain, inner, 2);
	int h = rows + 2 < t->rows - 2 ? rows + 2 : t->rows - 2;
	struct rect r = {(t->rows - h) / 2, (t->cols - w) / 2, h, w};
	tui_fill(t, r, R_NORMAL);
	char title[64];
	snprintf(title, sizeof title, "quiz  %d/%d right", z->right, z->asked);
	struct rect in = tui_box(t, r, title, true);
	int y = in.y, end = in.y + in.h;
	y += tui_wrap(t, y, in.x + 2, inner, end - y, 0, R_TITLE, z->q.question) + 1;
	for (int i = 0; i < z->q.nchoices && y < end; i++, y++) {
		enum role role = R_NORMAL;
		const char *mark = " ";
		if (z->phase == QUIZ_REVEALED && i == z->q.answer)
			role = R_GOOD, mark = tui_glyph(t, "✔", "*");
		else if (z->phase == QUIZ_REVEALED && i == z->picked)
			role = R_BAD, mark = tui_glyph(t, "✘", "x");
		tui_put(t, y, in.x + 2, inner, role, "%s %d) %s", mark, i + 1, z->q.choices[i]);
	}
	y++;
	if (z->phase == QUIZ_ASKING) {
		tui_put_words(t, y, in.x + 2, inner, R_DIM, "answer 1-9 (or a-h), Esc skips");
		return;
	}
	bool right = z->picked == z->q.answer;
	if (right)
		tui_put(t, y++, in.x + 2, inner, R_GOOD, "Right.");
	else
		tui_put(t, y++, in.x + 2, inner, R_BAD, "No: it is %d) %s.", z->q.answer + 1, z->q.choices[z->q.answer]);
	y++;
	if (y < end)
		tui_wrap(t, y, in.x + 2, inner, end - y, 2, R_NORMAL, z->q.explain);
}
