/*
 * The TUI's main loop: layout, keys, the command line, play mode and the
 * animation clock.  It waits in getch() with no timeout unless something is
 * moving, so an idle screen costs no CPU.
 */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/xalloc.h"
#include "debugger/commands.h"
#include "tui.h"

#define ANIM_FRAMES 6
#define ANIM_MS 60

/* Subsystems add their view here; `v` cycles them in the main pane. */
const struct view *const main_views[] = {&view_frames, &view_slab, &view_pgtable, &view_vma, &view_lru, &view_swap, &view_textbook, &view_kmap, NULL};

static const struct view *const pane_views[NR_PANES] = {&view_zones, &view_buddy, &view_frames, &view_events,
							 &view_source};

static const struct view *pane_view(const struct tui *t, int pane)
{
	return pane == PANE_FRAMES ? main_views[t->main_view] : pane_views[pane];
}

/* Bring up the main view that owns the step being shown. */
static void follow_step(struct tui *t)
{
	if (!t->anim.e.step)
		return;
	for (int i = 0; main_views[i]; i++)
		if (main_views[i]->owns && main_views[i]->owns(t->anim.e.kind)) {
			t->main_view = i;
			return;
		}
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- layout ---- */

static int caption_rows(const struct tui *t)
{
	/* two rows from 20 on, so the panes stay put as narration changes;
	 * a third on a tall screen when the narration needs it */
	int rows = tui_caption_rows(t, t->rows >= 36 ? 3 : t->rows >= 20 ? 2 : 1);
	return t->rows >= 20 && rows < 2 ? 2 : rows;
}

/* Below this the panes cannot say anything useful. */
#define MIN_ROWS 8
#define MIN_COLS 30

static bool source_shown(const struct tui *t)
{
	return t->source_mode != SOURCE_HIDDEN;
}

/* Panes sized from their content: the left column as wide as the widest
 * zone line (so no watermark is cut), the rest for the frame map and the
 * event log; the source pane at the right on a wide screen, under the
 * events on a tall one. */
static void layout(struct tui *t)
{
	getmaxyx(stdscr, t->rows, t->cols);
	memset(t->shown, 0, sizeof t->shown);
	if (t->rows < MIN_ROWS || t->cols < MIN_COLS)
		return;
	int top = 1 + caption_rows(t), h = t->rows - top - 1, w = t->cols;
	struct rect *p = t->pane;
	if (w >= 60) {
		int left = tui_zones_width(t) + 1, most = w >= 120 ? w / 2 : w * 2 / 5;
		if (left < 36)
			left = 36;
		if (left > most)
			left = most;
		int right_w = w - left, src_w = 0;
		if (w >= 150 && source_shown(t)) {
			src_w = right_w / 3;
			right_w -= src_w;
		}
		const struct machine *m = session_machine(t->s);
		int zones = 0;
		for (unsigned i = 0; i < machine_nr_zones(m); i++)
			zones += zone_populated(&m->zones[i]);
		int zh = 1 + 2 * zones + (h >= 30); /* the legend when there is room */
		if (zh > h / 2)
			zh = h / 2;
		p[PANE_ZONES] = (struct rect){top, 0, zh, left - 1};
		p[PANE_BUDDY] = (struct rect){top + zh, 0, h - zh, left - 1};
		int fh = h * 11 / 20;
		p[PANE_FRAMES] = (struct rect){top, left, fh, right_w};
		int eh = h - fh;
		if (!src_w && h >= 34 && source_shown(t)) {
			eh = (h - fh) / 2;
			p[PANE_SOURCE] = (struct rect){top + fh + eh, left, h - fh - eh, right_w};
			t->shown[PANE_SOURCE] = true;
		}
		p[PANE_EVENTS] = (struct rect){top + fh, left, eh, right_w};
		if (src_w) {
			p[PANE_SOURCE] = (struct rect){top, left + right_w + 1, h, src_w - 1};
			t->shown[PANE_SOURCE] = true;
		}
		t->shown[PANE_ZONES] = t->shown[PANE_BUDDY] = true;
	} else {
		int fh = h / 2;
		p[PANE_FRAMES] = (struct rect){top, 0, fh, w};
		p[PANE_EVENTS] = (struct rect){top + fh, 0, h - fh, w};
	}
	t->shown[PANE_FRAMES] = t->shown[PANE_EVENTS] = true;
	if (!t->shown[t->focus])
		t->focus = PANE_FRAMES;
}

static void draw(struct tui *t)
{
	erase();
	layout(t);
	if (!t->shown[PANE_FRAMES]) {
		/* too small for panes: say so, in whatever fits */
		char note[64];
		snprintf(note, sizeof note, "window too small (%dx%d): memstep needs %dx%d", t->cols, t->rows, MIN_COLS,
			 MIN_ROWS);
		tui_wrap(t, 0, 0, t->cols, t->rows, 0, R_NORMAL, note);
		curs_set(0);
		refresh();
		return;
	}
	tui_draw_status(t);
	tui_draw_caption(t, (struct rect){1, 0, caption_rows(t), t->cols});
	for (int i = 0; i < NR_PANES; i++)
		if (t->shown[i])
			pane_view(t, i)->draw(t, t->pane[i], i == t->focus);
	tui_draw_overlay(t);
	tui_quiz_draw(t);
	tui_draw_bottom(t);
	curs_set(t->editing ? 1 : 0);
	refresh();
}

/* ---- running commands ---- */

/* What a command printed: one line goes to the message line, more to a popup. */
static void show_output(struct tui *t, struct strbuf *out)
{
	if (!out->len)
		return;
	if (out->s[out->len - 1] == '\n')
		out->s[--out->len] = 0;
	if (strchr(out->s, '\n')) {
		free(t->popup);
		t->popup = xstrdup(out->s);
		t->popup_scroll = 0;
	} else {
		snprintf(t->message, sizeof t->message, "%s", out->s);
	}
}

/* After the animation, the highlight stays on the step at the cursor. */
static void end_anim(struct tui *t)
{
	uint32_t cur = session_cursor(t->s);
	t->anim.on = false;
	t->anim.reverse = false;
	if (cur)
		session_event(t->s, cur, &t->anim.e);
	else
		memset(&t->anim.e, 0, sizeof t->anim.e);
}

/* Animate the step just taken, or the one just undone. */
static void start_anim(struct tui *t, uint32_t from)
{
	uint32_t to = session_cursor(t->s);
	memset(&t->anim, 0, sizeof t->anim);
	if (to == from)
		return;
	t->anim.reverse = to < from;
	/* Undoing one step animates it backwards; a jump back over several
	 * steps has no single step to show: the views follow the step now at
	 * the cursor, unanimated. */
	if (t->anim.reverse && to < from - 1) {
		end_anim(t);
		follow_step(t);
		return;
	}
	session_event(t->s, t->anim.reverse ? from : to, &t->anim.e);
	follow_step(t);
	t->anim.on = true;
	t->anim.frames = ANIM_FRAMES;
	if (t->s->playing && t->s->speed > 1000.0 / (ANIM_FRAMES * ANIM_MS))
		t->anim.frames = (int)(1000.0 / t->s->speed / ANIM_MS);
	if (t->anim.frames < 2)
		t->anim.on = false;
}


static void run_command(struct tui *t, const char *line)
{
	struct strbuf out = {0};
	uint32_t from = session_cursor(t->s);
	const struct command *c = command_find(line);
	t->message[0] = 0;
	t->s->stop_msg[0] = 0;
	t->machine_changed = false;
	int rc = command_execute(t->s, line, &out);
	/* After a motion the panes, the caption and the status bar tell the
	 * story; the message line keeps only why it stopped. */
	if (c && c->motion) /* the log follows the cursor again */
		t->events_scroll = 0, t->search_hit = 0;
	if (c && c->motion && rc == 0) {
		if (t->s->stop_msg[0])
			snprintf(t->message, sizeof t->message, "[%s]", t->s->stop_msg);
	} else {
		show_output(t, &out);
	}
	strbuf_free(&out);
	reach_update(&t->reach, t->s);
	tui_quiz_check(t);
	/* after run, restart or undo the old cursor names another history */
	if (!t->machine_changed)
		start_anim(t, from);
	if (!t->anim.on)
		end_anim(t);
}

static void play_tick(struct tui *t)
{
	uint32_t from = session_cursor(t->s);
	enum stop_reason r = session_step(t->s, 1);
	if (r != STOP_DONE) {
		t->s->playing = false;
		snprintf(t->message, sizeof t->message, "[%s]", t->s->stop_msg);
	}
	reach_update(&t->reach, t->s);
	tui_quiz_check(t);
	start_anim(t, from);
	if (!t->anim.on)
		end_anim(t);
}

/* ---- keys ---- */

static void show_frame(struct tui *t)
{
	struct strbuf out = {0};
	info_frame(t->s, t->selected, &out);
	show_output(t, &out);
	strbuf_free(&out);
	if (!t->popup && t->message[0]) {
		/* one line is worth a popup here: it was asked for */
		t->popup = xstrdup(t->message);
		t->message[0] = 0;
	}
}

#ifndef BUTTON5_PRESSED /* ncurses built without the wheel's second button */
#define BUTTON5_PRESSED 0
#endif
#define WHEEL_ROWS 3

/* The wheel scrolls the pane under the pointer (or the popup): three rows
 * a notch, as the pane's own Up/Down keys would. */
static void wheel(struct tui *t, const MEVENT *me)
{
	int ch = me->bstate & BUTTON4_PRESSED ? KEY_UP : KEY_DOWN;
	for (int k = 0; k < WHEEL_ROWS; k++) {
		if (t->popup || t->help) {
			tui_popup_key(t, ch);
			continue;
		}
		for (int i = 0; i < NR_PANES; i++) {
			struct rect r = t->pane[i];
			if (t->shown[i] && me->y >= r.y && me->y < r.y + r.h && me->x >= r.x && me->x < r.x + r.w &&
			    pane_view(t, i)->key)
				pane_view(t, i)->key(t, ch);
		}
	}
}

static void mouse(struct tui *t)
{
	MEVENT me;
	if (getmouse(&me) != OK)
		return;
	if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		wheel(t, &me);
		return;
	}
	if (t->popup || t->help || !(me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)))
		return;
	for (int i = 0; i < NR_PANES; i++) {
		struct rect r = t->pane[i];
		if (!t->shown[i] || me.y < r.y || me.y >= r.y + r.h || me.x < r.x || me.x >= r.x + r.w)
			continue;
		t->focus = i;
		if (pane_view(t, i)->click && pane_view(t, i)->click(t, r, me.y, me.x))
			show_frame(t);
	}
}

static void speed(struct tui *t, double factor)
{
	t->s->speed *= factor;
	if (t->s->speed < 0.25)
		t->s->speed = 0.25;
	if (t->s->speed > 1000)
		t->s->speed = 1000;
}

/* Keys that move or run something, as command lines, so both share one path. */
static const struct {
	int key;
	const char *line;
} key_commands[] = {
	{' ', "step"}, {'s', "step"}, {'n', "next"}, {'c', "continue"}, {'b', "reverse-step"},
	{KEY_LEFT, "reverse-step"}, {KEY_RIGHT, "step"}, {'N', "reverse-next"}, {'C', "reverse-continue"},
	{'r', "restart"},
};

static void key(struct tui *t, int ch)
{
	if (tui_quiz_key(t, ch))
		return;
	if (t->popup || t->help) {
		if (ch == KEY_MOUSE)
			mouse(t);
		else
			tui_popup_key(t, ch);
		return;
	}
	if (t->confirm[0]) { /* the answer to "Run it? [y/N]" */
		if (ch == 'y' || ch == 'Y')
			run_command(t, t->confirm);
		else
			snprintf(t->message, sizeof t->message, "not run: the steps ahead are kept");
		t->confirm[0] = 0;
		return;
	}
	if (t->editing) {
		if (cmdline_key(t, ch)) {
			char question[300];
			if (t->searching)
				tui_search(t, t->line);
			else if (command_confirm(t->s, t->line, question, sizeof question)) {
				snprintf(t->confirm, sizeof t->confirm, "%s", t->line);
				question[strcspn(question, "\n")] = 0; /* one line: the [y/N] leads it */
				snprintf(t->message, sizeof t->message, "[y/N] %s", question); /* the answer first: the line may be cut */
			} else
				run_command(t, t->line);
		}
		if (!t->editing)
			t->searching = false;
		return;
	}
	/* The focused view takes Up/Down/PgUp/PgDn (and the frame map its
	 * cursor keys); Left and Right always step. */
	if (pane_view(t, t->focus)->key && pane_view(t, t->focus)->key(t, ch))
		return;
	for (size_t i = 0; i < sizeof key_commands / sizeof key_commands[0]; i++)
		if (key_commands[i].key == ch) {
			t->s->playing = false;
			run_command(t, key_commands[i].line);
			return;
		}
	switch (ch) {
	case 'q': case KEY_F(10): t->s->quit = true; break;
	case 'p':
		t->s->playing = !t->s->playing;
		t->message[0] = 0;
		break;
	case '+': case '=': speed(t, 2); break;
	case '-': speed(t, 0.5); break;
	case 'g': cmdline_open(t, "goto "); break;
	case ':': cmdline_open(t, ""); break;
	case '/':
		cmdline_open(t, "");
		t->searching = true;
		break;
	case '?': case KEY_F(1): t->help = true; t->popup_scroll = 0; break;
	case 'Q':
		t->quiz.on = !t->quiz.on;
		snprintf(t->message, sizeof t->message, "quiz %s", t->quiz.on ? "on: asked at each pause" : "off");
		tui_quiz_check(t);
		break;
	case 'S':
		t->source_mode = (t->source_mode + 1) % (SOURCE_HIDDEN + 1);
		snprintf(t->message, sizeof t->message, "source: %s",
			 t->source_mode == SOURCE_ALL ? "shown" : t->source_mode == SOURCE_NO_EXPECT ? "expect lines hidden" : "hidden");
		break;
	case 'v':
		t->main_view = main_views[t->main_view + 1] ? t->main_view + 1 : 0;
		break;
	case '\t':
	case KEY_BTAB:
		do
			t->focus = (t->focus + (ch == '\t' ? 1 : NR_PANES - 1)) % NR_PANES;
		while (!t->shown[t->focus]);
		break;
	case 'z': if (t->frames_zoom < 0) t->frames_zoom = 0; else if (t->frames_zoom > 0) t->frames_zoom--; break;
	case 'Z':
		t->frames_zoom = t->frames_zoom < 0 ? __builtin_ctz((unsigned)t->frames_per_cell) + 1
						    : t->frames_zoom + 1;
		if (t->frames_zoom > 24)
			t->frames_zoom = 24;
		break;
	case '0': t->frames_zoom = -1; break;
	case '\n': case KEY_ENTER: show_frame(t); break;
	case KEY_MOUSE: mouse(t); break;
	}
}

/* ---- set-up and the loop ---- */

static void on_machine_changed(void *ctx)
{
	struct tui *t = ctx;
	t->selected = t->frames_first = 0;
	memset(&t->anim, 0, sizeof t->anim);
	t->quiz.done_at = 0; /* positions may start again (restart, run) */
	t->machine_changed = true;
}

/* Ctrl-C: the running motion, typed Lua or load stops at its next step
 * (session.interrupt); at rest it stops play.  A signal handler reaches the
 * session only through this pointer. */
static struct session *volatile interrupt_target;

static void on_sigint(int sig)
{
	(void)sig;
	if (interrupt_target)
		interrupt_target->interrupt++;
}

static const struct session_host tui_host = {.machine_changed = on_machine_changed};

static int init(struct tui *t, const char *theme, bool ascii)
{
	const char *cs = nl_langinfo(CODESET);
	t->utf8 = !ascii && cs && strcmp(cs, "UTF-8") == 0;
	t->color = !getenv("NO_COLOR") || !*getenv("NO_COLOR");
	t->theme = theme_by_name(theme ? theme : "dark");
	if (!t->theme)
		return -1;
	if (!t->color)
		t->theme = theme_by_name("mono");
	t->frames_zoom = -1;
	t->focus = PANE_FRAMES;
	return 0;
}

int tui_run(const struct tui_opts *o, const struct scenario_opts *so)
{
	setlocale(LC_ALL, "");
	struct tui t = {0};
	if (init(&t, o->theme, o->ascii) != 0) {
		fprintf(stderr, "memstep: unknown theme '%s' (dark, light, mono)\n", o->theme);
		return 2;
	}
	char why[256];
	t.s = session_new(so, &tui_host, &t, why, sizeof why);
	if (!t.s) {
		fprintf(stderr, "memstep: %s\n", why);
		return 2;
	}
	struct strbuf out = {0};
	if (o->file && session_load(t.s, o->file, &out) != 0) {
		fprintf(stderr, "memstep: %s", out.s);
		strbuf_free(&out);
		session_free(t.s);
		return 2;
	}
	strbuf_free(&out);
	reach_update(&t.reach, t.s);
	t.quiz.on = o->quiz;
	t.quiz.opts.every = o->quiz_every;
	tui_quiz_check(&t);
	if (o->no_source)
		t.source_mode = SOURCE_HIDDEN;
	if (!o->file)
		cmdline_open(&t, "");

	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	/* Home and End as the Linux console, screen and tmux send them, which
	 * an xterm entry does not list (TERM inside tmux is often xterm) */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	tui_colors(&t);

	interrupt_target = t.s;
	struct sigaction sa = {0}, old_sa;
	sa.sa_handler = on_sigint; /* no SA_RESTART: getch returns at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sa);

	long next_tick = 0;
	while (!t.s->quit) {
		draw(&t);
		long wait = -1, now = now_ms();
		if (t.anim.on)
			wait = ANIM_MS;
		else if (t.s->playing) {
			if (!next_tick)
				next_tick = now + (long)(1000.0 / t.s->speed);
			wait = next_tick > now ? next_tick - now : 0;
		}
		timeout((int)wait);
		int ch = getch();
		if (t.s->interrupt) { /* Ctrl-C at rest: stop playing, never quit */
			t.s->interrupt = 0;
			t.s->playing = false;
			snprintf(t.message, sizeof t.message, "[Ctrl-C: stopped; q or F10 quits]");
			continue;
		}
		if (ch == ERR) {
			if (t.anim.on) {
				if (++t.anim.frame >= t.anim.frames)
					end_anim(&t);
			} else if (t.s->playing) {
				next_tick = 0;
				play_tick(&t);
			}
			continue;
		}
		if (ch == KEY_RESIZE)
			continue; /* draw() lays out again */
		if (t.anim.on)
			end_anim(&t); /* a key finishes the animation at once */
		key(&t, ch);
		if (!t.s->playing)
			next_tick = 0;
	}
	endwin();
	sigaction(SIGINT, &old_sa, NULL);
	interrupt_target = NULL;
	free(t.popup);
	cmdline_free(&t);
	session_free(t.s);
	return 0;
}

double tui_bench(const char *file, int frames, int rows, int cols, const struct scenario_opts *so)
{
	setlocale(LC_ALL, "");
	struct tui t = {0};
	init(&t, "dark", false);
	char why[256];
	t.s = session_new(so, &tui_host, &t, why, sizeof why);
	if (!t.s) {
		fprintf(stderr, "memstep: %s\n", why);
		return -1;
	}
	double spf = -1;
	struct strbuf out = {0};
	FILE *null = NULL;
	SCREEN *scr = NULL;
	if (file && session_load(t.s, file, &out) != 0) {
		fprintf(stderr, "memstep: %s\n", out.s);
		goto done;
	}
	if (!(null = fopen("/dev/null", "w"))) {
		fprintf(stderr, "memstep: cannot open /dev/null: %s\n", strerror(errno));
		goto done;
	}
	const char *term = getenv("TERM") ? NULL : "xterm-256color";
	if (!(scr = newterm(term, null, stdin))) {
		fprintf(stderr, "memstep: cannot start curses on terminal type '%s'\n", term ? term : getenv("TERM"));
		goto done;
	}
	set_term(scr);
	resizeterm(rows, cols);
	tui_colors(&t);
	session_step(t.s, 1000); /* a machine with history and a busy map */
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < frames; i++) {
		t.anim.on = true;
		t.anim.frames = ANIM_FRAMES;
		t.anim.frame = i % ANIM_FRAMES;
		session_event(t.s, session_cursor(t.s) ? session_cursor(t.s) : 1, &t.anim.e);
		draw(&t);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	endwin();
	spf = ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9) / frames;
done:
	if (scr)
		delscreen(scr);
	if (null)
		fclose(null);
	strbuf_free(&out);
	free(t.popup);
	cmdline_free(&t);
	session_free(t.s);
	return spf;
}
