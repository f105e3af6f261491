/*
 * A debugging session: a scenario (and its machine), the cursor in its
 * journal, what the scenario said along the way (narration, pause points,
 * marks, expectations, each at the step position where it happened), and the
 * breakpoints and watches.  Every front end drives a session; none of this
 * knows a screen.
 *
 * Positions: the cursor is the number of steps applied.  "Step c" is the step
 * just taken when the cursor is c; position 0 is before the first step.
 *
 * Epochs: a scenario that calls machine{} again replaces its machine; the
 * session keeps each replaced machine with its journal, so positions run on
 * across machines and stepping back crosses into the older one.
 */
#ifndef DEBUGGER_SESSION_H
#define DEBUGGER_SESSION_H

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>

#include "mm/strbuf.h"
#include "script/scenario.h"

enum note_kind { NOTE_TITLE, NOTE_SAY, NOTE_PRINT, NOTE_PAUSE, NOTE_MARK, NOTE_EXPECT_FAILED };

struct note {
	uint32_t at; /* position */
	enum note_kind kind;
	int line;
	char *text;  /* narration, mark name, or the failed expectation */
};

enum stop_reason {
	STOP_DONE,       /* the steps asked for were taken */
	STOP_BREAKPOINT,
	STOP_WATCH,
	STOP_PAUSE,      /* a pause() point */
	STOP_END,        /* no step after this one */
	STOP_START,      /* position 0 */
	STOP_ERROR,      /* the scenario raised an error */
	STOP_INTERRUPT,  /* Ctrl-C (session.interrupt) */
};

enum watch_kind { WATCH_PFN, WATCH_ZONE };

struct breakpoint {
	int id;
	bool is_watch;
	int kind;           /* event kind; -1 for a watch */
	char *cond;         /* condition text or NULL */
	int cond_ref;       /* compiled in the current scenario, -1 if none yet */
	enum watch_kind watch;
	uint32_t arg;       /* pfn or global zone id */
	uint64_t last;      /* watched value at the last check */
	char last_text[160]; /* and as text, for "old -> new" */
	unsigned hits;
	bool disabled;      /* kept, but stops nothing until enabled */
};

struct session_host {
	/* A new machine (restart, run, machine{}): views must lay out again. */
	void (*machine_changed)(void *ctx);
};

struct epoch {
	struct machine *m; /* its steps are positions m->step_base + 1 … */
	unsigned gen;      /* the scenario's machine generation, for handles */
};

struct session {
	struct scenario *sc;
	struct epoch *epochs; /* the last is the scenario's live machine */
	int nepochs, capepochs;
	int at;               /* the epoch the cursor is in */
	struct scenario_opts opts;
	const struct session_host *host;
	void *host_ctx;

	char file[512];      /* the scenario file, "" for none */
	char **source;       /* its lines, for `list` and the source view */
	int nsource;

	struct note *notes;
	uint32_t nnotes, capnotes;

	struct breakpoint *bps;
	int nbps, capbps, next_bp_id;
	const struct breakpoint *hit; /* what stopped the last motion */
	char stop_msg[1100];          /* why it stopped, for the front end */

	bool playing;        /* play mode: the front end steps at `speed` */
	double speed;        /* steps per second */

	struct strbuf *eval_out; /* where print() goes while a typed line runs */

	struct typed_line {
		char *code;
		uint32_t at, end; /* the cursor before and after it ran */
		bool inside_op;   /* typed in the middle of an operation's steps */
	} *typed;            /* Lua lines typed in this session, for `save` */
	int ntyped, captyped;
	struct logged_line {
		char *code;
		uint32_t at;     /* the cursor when it ran */
		bool operated;   /* it made an operation (or a machine) */
	} *log;              /* every typed line that ran, never cut: `undo` replays them */
	int nlog, caplog;
	bool quit;
	/* Ctrl-C: a front end's SIGINT handler counts here.  A motion stops at
	 * the next step, typed Lua ends with an error at once, a scenario busy
	 * in its own Lua at the second press.  Each command starts at 0. */
	volatile sig_atomic_t interrupt;
	const struct machine *told_full; /* whose full journal was reported */
};

struct session *session_new(const struct scenario_opts *opts, const struct session_host *host, void *ctx,
			    char *why, size_t whylen);
void session_free(struct session *s);

/* Load FILE as the scenario (or none for NULL), paused before its first step. */
int session_load(struct session *s, const char *file, struct strbuf *out);
int session_restart(struct session *s, struct strbuf *out);

/* The machine at the cursor (an older epoch's when the cursor is there). */
static inline struct machine *session_machine(const struct session *s) { return s->epochs[s->at].m; }
static inline uint32_t session_cursor(const struct session *s)
{
	const struct machine *m = session_machine(s);
	return m->step_base + m->j.cursor;
}
/* Steps recorded so far; more may come while the scenario is suspended. */
static inline uint32_t session_known(const struct session *s)
{
	const struct machine *m = s->sc->m;
	return m->step_base + m->j.nsteps;
}
static inline bool session_running(const struct session *s) { return s->sc->state == SC_SUSPENDED; }

/* Motion.  Forward motions run the scenario lazily as they need steps. */
enum stop_reason session_step(struct session *s, long n);    /* n < 0: reverse */
enum stop_reason session_next(struct session *s, long n);    /* whole operations */
enum stop_reason session_continue(struct session *s, bool reverse);
enum stop_reason session_goto(struct session *s, uint32_t pos);
/* Run the scenario to its end without moving the cursor (to know n). */
void session_run_all(struct session *s);

/* The latest note of a kind at or before the cursor, NULL if none. */
const struct note *session_note(const struct session *s, enum note_kind kind);
/* Position of a mark, or -1. */
long session_mark(const struct session *s, const char *name);
/* Is there a step number `step` (1-based) now?  A position remembered from
 * before a run, restart or undo may be gone. */
bool session_has_step(const struct session *s, uint32_t step);
/* The event of step number `step` (1-based); an empty one if there is none. */
void session_event(const struct session *s, uint32_t step, struct event *e);
/* Scenario line of the operation at the cursor (0 if none). */
int session_line(const struct session *s);

/* Is code a Lua chunk (or an expression), one cut short that the next
 * line may complete, or wrong? */
enum lua_syntax { LUA_SYNTAX_OK, LUA_SYNTAX_INCOMPLETE, LUA_SYNTAX_ERROR };
enum lua_syntax session_lua_syntax(const struct session *s, const char *code);
/* Does code parse as a statement (so it may operate), not only as an
 * expression such as `a.pfn`? */
bool session_lua_statement(const struct session *s, const char *code);
/* Does the scenario's global `name` hold a value? */
bool session_global_defined(const struct session *s, const char *name);

/* Lua typed at a prompt; an operation in the past drops the later steps. */
int session_eval(struct session *s, const char *code, struct strbuf *out);

/* Undo the last typed line that made an operation: the session is rebuilt
 * (the scenario loaded again, the typed lines before it replayed at their
 * positions), so what it dropped — the scenario's future too — is back.
 * Nothing changes if the rebuilt state differs (the file changed). */
int session_undo(struct session *s, struct strbuf *out);

/* Breakpoints and watches. */
int session_break(struct session *s, int kind, const char *cond, struct strbuf *out);
int session_watch(struct session *s, enum watch_kind w, uint32_t arg, struct strbuf *out);
int session_delete(struct session *s, int id); /* id < 0: all; -1 if none such */
int session_enable(struct session *s, int id, bool on); /* id < 0: all; -1 if none such */

#endif
