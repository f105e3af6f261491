/*
 * A scenario: the sandboxed Lua state, the machine it drives, and the script
 * running as a coroutine.  The script runs lazily: with `lazy` set it yields
 * after every operation that took a step, so a host (the debugger) pulls
 * operations one at a time and a long scenario starts at once.  The host
 * hears events, narration and expectations through callbacks.
 */
#ifndef SCRIPT_SCENARIO_H
#define SCRIPT_SCENARIO_H

#include <stdbool.h>

#include "mm/machine.h"
#include "sandbox.h"

enum narration { NARRATE_TITLE, NARRATE_SAY, NARRATE_PRINT };

#define MAX_SCENARIO_MACHINES 256 /* machine{} calls in one scenario */

struct scenario_host {
	void (*event)(void *ctx, const struct machine *m, const struct event *e);
	void (*narrate)(void *ctx, enum narration kind, const char *text, int line);
	/* where is "file:line" */
	void (*expect)(void *ctx, bool ok, const char *where, const char *msg);
	void (*pause)(void *ctx, int line);
	void (*mark)(void *ctx, const char *name, int line);
	/* machine{} replaced the machine.  A host with this callback owns `old`
	 * from now on (to keep its history); without it, old is freed. */
	void (*machine_changed)(void *ctx, struct machine *old, struct machine *m);
};

enum scenario_state { SC_IDLE, SC_SUSPENDED, SC_DONE, SC_ERROR };

struct scenario {
	struct sandbox sb;
	struct machine *m;
	unsigned machine_gen;   /* the machine's generation: handles of others are stale */
	unsigned gens;          /* generations given out so far */
	struct mm_config base;  /* defaults for machine{} (seed from the command line) */
	bool journal;           /* machines keep a journal (for time travel) */
	bool lazy;              /* yield after each operation */

	const struct scenario_host *host;
	void *ctx;

	lua_State *co;          /* the running script, NULL when none */
	int co_ref;
	enum scenario_state state;
	char file[512];         /* the main file, "" for none */
	char error[1024];       /* "file:line: message" when state == SC_ERROR */

	lua_State *running;     /* the thread making the current operation */
	bool in_hook;           /* inside an on() hook: no operations */
	bool in_condition;      /* inside a breakpoint condition: no operations */
	unsigned include_depth;
	char hook_error[512];   /* an on() hook failed during an operation */
	bool hooked[NR_EV_KINDS]; /* an on() hook exists for the kind: others skip the lookup */
	bool any_hook;            /* some on() hook exists (hooks see each event's line) */
	bool no_lines;            /* scenario_opts.no_lines */
	const char *file_source;  /* the main chunk's source string, once seen (lapi_line) */
	unsigned expect_passed, expect_failed;
};

struct scenario_opts {
	struct sandbox_limits limits;
	struct mm_config machine;
	bool journal, lazy;
	bool no_lines;   /* no one reads an operation's line (batch without JSON): skip finding it */
	const struct scenario_host *host;
	void *ctx;
};

void scenario_opts_default(struct scenario_opts *o);
/* NULL with why set when the default machine cannot be built. */
struct scenario *scenario_new(const struct scenario_opts *o, char *why, size_t whylen);
void scenario_free(struct scenario *sc);

/* Load a file or a chunk as the script to run (nothing runs yet). */
int scenario_load_file(struct scenario *sc, const char *path);
int scenario_load_string(struct scenario *sc, const char *code, const char *chunkname);
/* Run until the next operation completes (lazy) or the script ends. */
enum scenario_state scenario_resume(struct scenario *sc);
/* Stop and forget the running script, leaving the machine as it is. */
void scenario_detach(struct scenario *sc);

/* Evaluate a line in the scenario's globals (the REPL); what it returns, if
 * anything, is written to out as text.  0 on success, else the error in out.
 * *expression says whether it is only an expression (`a.pfn`), not also a
 * statement (`a = alloc_pages(1)`, `free_pages(a)`). */
int scenario_eval(struct scenario *sc, const char *code, char *out, size_t outlen, bool *expression);

/* Completion: the scenario's global names, gfp names and zone names that
 * start with prefix. */
void scenario_globals(struct scenario *sc, const char *prefix, void (*add)(void *ctx, const char *word),
		      void *ctx);

/* Breakpoint conditions (condition.c): a Lua expression over an event's
 * fields.  compile returns a reference or -1 with err set; test returns 1
 * or 0, or -1 with err set. */
int scenario_condition_compile(struct scenario *sc, const char *expr, char *err, size_t errlen);
int scenario_condition_test(struct scenario *sc, int ref, const struct event *e, char *err, size_t errlen);
void scenario_condition_free(struct scenario *sc, int ref);

#endif
