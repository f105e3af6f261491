/*
 * The full-screen front end.  The screen is laid out in panes, each showing
 * one view (a file of its own: view_zones.c, view_frames.c, …) drawn from
 * the session's machine; views read the model and never change it.  Keys and
 * the command line drive the session; after every motion the step just taken
 * is animated for a few frames.
 */
#ifndef TUI_TUI_H
#define TUI_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "debugger/quiz.h"
#include "debugger/reached.h"
#include "debugger/session.h"

/* Color pairs; a theme maps each to foreground/background and attributes. */
enum role {
	R_NORMAL = 1, R_DIM, R_TITLE, R_STATUS, R_FOCUS, R_FREE, R_ALLOC, R_RESERVED, R_OTHER, R_HILITE,
	R_HILITE2, R_MIN, R_LOW, R_HIGH, R_GOOD, R_BAD, R_CURRENT, R_CAPTION, R_SLAB, R_PGTABLE,
	R_VMALLOC, R_ANON, R_FILE, R_ZERO, NR_ROLES
};

struct rect {
	int y, x, h, w;
};

struct tui;

struct view {
	const char *name;
	void (*draw)(struct tui *t, struct rect r, bool focus);
	/* A key for the focused view (scrolling); true when used. */
	bool (*key)(struct tui *t, int ch);
	/* A mouse click at screen (y, x) inside the pane. */
	bool (*click)(struct tui *t, struct rect r, int y, int x); /* true: show t->selected */
	/* Main views only: whether a step of this kind is this view's to show
	 * (stepping onto it brings the view up); NULL: none. */
	bool (*owns)(unsigned kind);
};

/* The views that take turns in the main pane (the frame map's), in the
 * order `v` cycles them (tui.c). */
extern const struct view *const main_views[];

enum { PANE_ZONES, PANE_BUDDY, PANE_FRAMES, PANE_EVENTS, PANE_SOURCE, NR_PANES };

/* The step being shown and how far its animation has got. */
struct anim {
	bool on;
	struct event e;  /* the step just taken (or undone) */
	bool reverse;
	int frame, frames;
};

struct tui {
	struct session *s;
	int rows, cols;
	bool utf8, color;
	const struct theme *theme;
	struct rect pane[NR_PANES];
	bool shown[NR_PANES];
	int focus;
	int main_view;          /* index in main_views[] shown in PANE_FRAMES */

	/* view state */
	int frames_zoom;        /* log2 frames per cell; -1: fit */
	bool frames_by_mt;      /* the frame map colours pageblocks by migrate type ('m') */
	int frames_per_cell;    /* what the last draw used */
	uint32_t frames_first;  /* first frame in view */
	uint32_t selected;      /* frame under the map's cursor */
	int buddy_scroll, events_scroll, source_scroll;
	uint32_t events_base;   /* the log's top step when not scrolled (last draw) */
	uint32_t events_goto;   /* a top step asked for (a search), 0 none */
	bool pgtree;            /* the page-table view shows its tree (`t`) */
	enum { SOURCE_ALL, SOURCE_NO_EXPECT, SOURCE_HIDDEN } source_mode; /* `S` cycles */

	struct reach reach;     /* steps never reached are shown nowhere */
	struct quiz_state {
		bool on;
		int asked, right;
		struct quiz_opts opts;
		enum { QUIZ_IDLE, QUIZ_ASKING, QUIZ_REVEALED } phase;
		struct quiz_question q;
		int picked;
		uint32_t done_at;   /* the last position asked at (+1; 0 none) */
	} quiz;

	struct anim anim;
	char message[1200];     /* one line under the panes */
	char *popup;            /* text shown over the panes until a key */
	bool help;              /* the help overlay */
	int popup_scroll;       /* first line of the popup or help shown */

	/* the command line, or the event log's search (`/`) */
	bool editing, searching;
	char search[128];       /* the last pattern searched for */
	uint32_t search_hit;    /* the step it found, lit in the log; 0 none */
	char line[512];
	char confirm[512];      /* a typed line waiting for y: it would drop the future */
	bool machine_changed;   /* run, restart or undo replaced the machine: no animation */
	int len, pos;
	char **history;
	int nhistory, hpos;
};

struct theme {
	const char *name;
	short fg[NR_ROLES], bg[NR_ROLES]; /* color numbers, -1 the terminal's own */
	int attr[NR_ROLES];
};

const struct theme *theme_by_name(const char *name);

/* drawing helpers (draw.c) */
void tui_colors(struct tui *t);
int tui_attr(const struct tui *t, enum role r);
/* Text at (y, x), cut at w columns; returns the columns used. */
int tui_put(struct tui *t, int y, int x, int w, enum role r, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void tui_fill(struct tui *t, struct rect r, enum role role);
/* A pane's frame with its title; returns the inside. */
struct rect tui_box(struct tui *t, struct rect r, const char *title, bool focus);
/* Up/Down/PgUp/PgDn move a view's scroll offset; true if ch was one. */
bool tui_scroll_key(int ch, int *scroll, int page);
/* Line breaking at word boundaries (draw.c): the bytes of text's first line
 * of at most w columns, *next where the rest starts; the rows text takes
 * wrapped at w with continuation rows indented; text wrapped over at most
 * maxrows rows (the last abbreviated), the rows used; text in one row,
 * abbreviated at a word's end with an ellipsis, the columns used. */
size_t tui_line_break(const char *text, int w, size_t *next);
int tui_wrap_rows(const char *text, int w, int indent);
int tui_wrap(struct tui *t, int y, int x, int w, int maxrows, int indent, enum role role, const char *text);
int tui_put_words(struct tui *t, int y, int x, int w, enum role role, const char *text);
/* A glyph by meaning, UTF-8 or ASCII. */
const char *tui_glyph(const struct tui *t, const char *utf8, const char *ascii);

/* the current step's frames: 1 for the block, 2 for its buddy/half, 0 not */
struct step_marker {
	int64_t head, order, buddy, half, whole;
	bool apart;
};
/* Which frames the step being shown touches (anim.c): prepare once a
 * frame, then 0 (not touched), 1 (the block) or 2 (its buddy) per pfn. */
struct step_marker tui_step_marker(const struct tui *t);
/* A field of an event by name, `none` when the kind lacks it or there is
 * no event (anim.c). */
int64_t tui_field(const struct event *e, const char *name, int64_t none);
/* The first step of the operation the step `cur` belongs to. */
uint32_t tui_op_first_step(const struct session *s, uint32_t cur);
int tui_mark(const struct step_marker *mk, uint32_t pfn);

extern const struct view view_zones, view_buddy, view_frames, view_events, view_source;
extern const struct view view_pgtable;
extern const struct view view_textbook;
/* view_heap.c: glibc's heap inside the textbook view; returns the next row. */
struct malloc_heap;
int tui_draw_heap(struct tui *t, const struct machine *m, const struct malloc_heap *h, struct rect in, int y,
		  const struct event *e);
extern const struct view view_vma;
extern const struct view view_kmap; /* view_kmap.c: pkmap and kmap_local */
extern const struct view view_lru;
extern const struct view view_swap;
/* The tree of page tables from row y of `in`, the table at lit_pfn lit;
 * rows used (view_pgtree.c). */
int tui_draw_pgtree(struct tui *t, struct rect in, int y, uint32_t lit_pfn);
extern const struct view view_slab;

/* The command line (cmdline.c): open it with some text; a key for it,
 * true when Enter gave t->line to run; free its history. */
void cmdline_open(struct tui *t, const char *text);
bool cmdline_key(struct tui *t, int ch);
void cmdline_free(struct tui *t);

/* Quiz mode (quiz.c): after a motion, pose the question due at the
 * cursor; a key while one is up; its box. */
void tui_quiz_check(struct tui *t);
bool tui_quiz_key(struct tui *t, int ch);
void tui_quiz_draw(struct tui *t);

/* Search the event log for a pattern ("" repeats the last) (view_events.c). */
void tui_search(struct tui *t, const char *pattern);

/* The keys, as the help overlay and the README list them. */
extern const char tui_keys_help[];

/* bars (view_status.c); overlays (popup.c) */
void tui_draw_status(struct tui *t);
void tui_draw_caption(struct tui *t, struct rect r);
/* Rows the caption needs, at most max (at least 1). */
int tui_caption_rows(const struct tui *t, int max);
/* The zones pane's width that cuts no zone line (view_zones.c). */
int tui_zones_width(struct tui *t);
void tui_draw_bottom(struct tui *t);
void tui_draw_overlay(struct tui *t);
/* SLOB's free lists (view_slob.c), below the slab view's caches; returns the next row */
int view_slob_draw(struct tui *t, const struct machine *m, struct rect in, int y, int ymax);
/* A key while an overlay is up (popup.c): scrolls it or closes it. */
bool tui_popup_key(struct tui *t, int ch);

/* Run the TUI; the exit status. */
struct tui_opts {
	const char *file;
	const char *theme;
	bool ascii;
	bool no_source; /* start with the source pane hidden */
	bool quiz;      /* start in quiz mode */
	int quiz_every; /* also ask before each operation with this event kind, -1 none */
};
int tui_run(const struct tui_opts *o, const struct scenario_opts *so);
/* Draw `frames` frames offscreen at rows x cols; seconds per frame. */
double tui_bench(const char *file, int frames, int rows, int cols, const struct scenario_opts *so);

#endif
