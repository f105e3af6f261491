/*
 * Moving through a scenario (src/debugger/session.c): step, next, continue
 * and their reverses, goto, pause() points, the identity of the state at a
 * position however it is reached, typed operations in the past, the lazy
 * run of long scenarios, and `save`.
 */
#include "dbg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/checkpoint.h"
#include "mm/event.h"

static void step(struct session *s, long n, enum stop_reason want, uint32_t pos)
{
	dbg_at(s, session_step(s, n), want, pos);
}

static void next(struct session *s, long n, enum stop_reason want, uint32_t pos)
{
	dbg_at(s, session_next(s, n), want, pos);
}

static void cont(struct session *s, bool reverse, enum stop_reason want, uint32_t pos)
{
	dbg_at(s, session_continue(s, reverse), want, pos);
}

static void go(struct session *s, uint32_t to, enum stop_reason want, uint32_t pos)
{
	dbg_at(s, session_goto(s, to), want, pos);
}

/* ---- positions ---- */

static void test_load_is_paused_before_the_first_step(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_int_equal(session_cursor(s), 0);
	assert_int_equal(session_known(s), 8); /* only the first operation ran */
	assert_true(session_running(s));
	assert_int_equal(session_line(s), 3);  /* where the script stands */
	/* The title said before any step is there to show. */
	const struct note *t = session_note(s, NOTE_TITLE);
	assert_non_null(t);
	assert_string_equal(t->text, "walk");
	struct strbuf out = {0};
	command_report_start(s, &out);
	char got[256];
	snprintf(got, sizeof got, "%s", out.s ? out.s : "");
	strbuf_free(&out);
	assert_string_equal(got, "== walk ==\nstep 0 of 8+\n");
	dbg_free(s);
}

static void test_step_and_reverse_step(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	step(s, 1, STOP_DONE, 1);
	assert_step_kind(s, 1, "alloc");
	step(s, 3, STOP_DONE, 4);
	assert_step_kind(s, 4, "split");
	step(s, 4, STOP_DONE, 8);
	step(s, 2, STOP_DONE, 10);       /* runs op 2 on demand */
	assert_int_equal(session_known(s), 12);
	step(s, -1, STOP_DONE, 9);
	step(s, -5, STOP_DONE, 4);
	step(s, -4, STOP_DONE, 0);
	step(s, -1, STOP_START, 0);
	assert_string_equal(s->stop_msg, "at the start");
	/* Counts larger than what is left stop at the pause point or end. */
	step(s, 100, STOP_PAUSE, 12);
	assert_string_equal(s->stop_msg, "paused by the scenario");
	step(s, 100, STOP_PAUSE, 20);
	step(s, 100, STOP_END, WALK_STEPS);
	assert_string_equal(s->stop_msg, "end of the scenario");
	step(s, 1, STOP_END, WALK_STEPS);
	assert_false(session_running(s));
	step(s, -3, STOP_DONE, 23);
	step(s, -100, STOP_PAUSE, 20);  /* backwards, pause points stop too */
	dbg_free(s);
}

static void test_next_and_reverse_next(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	next(s, 1, STOP_DONE, 8);     /* the whole first operation */
	assert_int_equal(session_line(s), 5);
	next(s, 1, STOP_PAUSE, 12);   /* landing on the pause() point says so */
	next(s, 1, STOP_DONE, 16);
	next(s, 1, STOP_DONE, 18);
	next(s, -1, STOP_DONE, 16);   /* back to the start of op 4 */
	/* and of op 3, which is where the pause() point is */
	session_next(s, -1);
	assert_int_equal(session_cursor(s), 12);
	next(s, 1, STOP_DONE, 16);
	/* From the middle of an operation: forward to its end, back to its start. */
	go(s, 10, STOP_DONE, 10);
	next(s, 1, STOP_PAUSE, 12);
	go(s, 10, STOP_DONE, 10);
	next(s, -1, STOP_DONE, 8);
	go(s, 23, STOP_DONE, 23);
	session_next(s, -1);          /* to the pause() point at 20 */
	assert_int_equal(session_cursor(s), 20);
	dbg_check(s);
	go(s, 23, STOP_DONE, 23);
	next(s, 1, STOP_DONE, WALK_STEPS);
	next(s, 1, STOP_END, WALK_STEPS);
	/* Several at once. */
	go(s, 0, STOP_DONE, 0);
	next(s, 2, STOP_PAUSE, 12); /* the second lands on the pause() point */
	next(s, -2, STOP_DONE, 0);
	next(s, -1, STOP_START, 0);
	go(s, 16, STOP_DONE, 16);
	next(s, 2, STOP_PAUSE, 20); /* lands on the pause() point at 20 */
	go(s, 20, STOP_DONE, 20);
	next(s, -2, STOP_DONE, 16);
	dbg_free(s);
}

static void test_counted_motions_stop_at_pause_points(void **state)
{
	(void)state;
	/* A pause() point stops `step N` forward and back, and `reverse-next
	 * N`, before the count is done; `next N` must stop there too. */
	struct session *s = dbg_open(walk_lua);
	go(s, 8, STOP_DONE, 8);
	step(s, 8, STOP_PAUSE, 12);
	go(s, 16, STOP_DONE, 16);
	step(s, -8, STOP_PAUSE, 12);
	go(s, 16, STOP_DONE, 16);
	next(s, -2, STOP_PAUSE, 12);
	go(s, 8, STOP_DONE, 8);
	next(s, 2, STOP_PAUSE, 12);
	dbg_free(s);
}

static void test_continue_stops_at_pause_points(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	cont(s, false, STOP_PAUSE, 12);
	cont(s, false, STOP_PAUSE, 20);
	cont(s, false, STOP_END, WALK_STEPS);
	cont(s, false, STOP_END, WALK_STEPS);
	cont(s, true, STOP_PAUSE, 20);
	cont(s, true, STOP_PAUSE, 12);
	cont(s, true, STOP_START, 0);
	cont(s, true, STOP_START, 0);
	dbg_free(s);
}

static void test_continue_reports_narration(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	const char *o = dbg_run(s, "c", 0);
	assert_string_equal(o, "-- after b\n[paused by the scenario]\n"
			       "step 12 of 16+ (op 2, line 5): done allocated order-1 block 0x2 from DMA\n");
	o = dbg_run(s, "rc", 0);
	assert_string_equal(o, "[at the start]\nstep 0 of 16+\n");
	dbg_free(s);
}

static void test_goto_steps_and_marks(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	go(s, 10, STOP_DONE, 10);
	go(s, 3, STOP_DONE, 3);
	go(s, 0, STOP_DONE, 0);
	go(s, 20, STOP_DONE, 20);
	go(s, 1000, STOP_END, WALK_STEPS);
	go(s, 0, STOP_DONE, 0);
	assert_string_equal(dbg_run(s, "goto one", 0),
			    "step 8 of 26 (op 1, line 3): done allocated order-0 block 0x0 from DMA\n");
	assert_int_equal(session_mark(s, "one"), 8);
	dbg_run(s, "g two", 0);
	assert_int_equal(session_cursor(s), 16);
	dbg_run(s, "goto one", 0);
	assert_int_equal(session_cursor(s), 8);
	dbg_run(s, "goto 26", 0);
	assert_int_equal(session_cursor(s), WALK_STEPS);
	dbg_run(s, "goto 0", 0);
	assert_int_equal(session_cursor(s), 0);
	dbg_free(s);
}

static void test_restart(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	go(s, 20, STOP_DONE, 20);
	const char *o = dbg_run(s, "restart", 0);
	/* a fresh start shows what the scenario says before its first step */
	assert_string_equal(o, "== walk ==\nstep 0 of 8+\n");
	assert_int_equal(session_cursor(s), 0);
	assert_int_equal(session_known(s), 8);
	assert_true(session_running(s));
	cont(s, false, STOP_PAUSE, 12);
	dbg_free(s);
}

/* ---- the state at a position is the same however it is reached ---- */

static void test_hash_identical_forward_and_back(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	uint64_t h[WALK_STEPS + 1];
	h[0] = machine_hash(session_machine(s));
	/* First time forward: the scenario runs and records. */
	for (uint32_t p = 1; p <= WALK_STEPS; p++) {
		enum stop_reason r = session_step(s, 1);
		assert_true(r == STOP_DONE || r == STOP_PAUSE);
		assert_int_equal(session_cursor(s), p);
		dbg_check(s);
		h[p] = machine_hash(session_machine(s));
	}
	/* Back one step at a time: undo. */
	for (uint32_t p = WALK_STEPS; p-- > 0;) {
		session_step(s, -1);
		assert_int_equal(session_cursor(s), p);
		dbg_check(s);
		if (machine_hash(session_machine(s)) != h[p])
			fail_msg("going back, the state at %u differs from going forward", p);
	}
	/* Forward again: redo, no re-execution. */
	for (uint32_t p = 1; p <= WALK_STEPS; p++) {
		session_step(s, 1);
		dbg_check(s);
		if (machine_hash(session_machine(s)) != h[p])
			fail_msg("going forward again, the state at %u differs", p);
	}
	/* Jumps in any order land on the same states. */
	static const uint32_t jumps[] = {3, 17, 0, 26, 9, 8, 21, 1, 25, 12, 12, 5};
	for (size_t i = 0; i < sizeof jumps / sizeof *jumps; i++) {
		go(s, jumps[i], STOP_DONE, jumps[i]);
		if (machine_hash(session_machine(s)) != h[jumps[i]])
			fail_msg("goto %u: the state differs", jumps[i]);
	}
	/* And so do whole operations, both ways. */
	static const uint32_t op_ends[] = {0, 8, 12, 16, 18, 20, 26};
	go(s, 0, STOP_DONE, 0);
	for (size_t i = 1; i < sizeof op_ends / sizeof *op_ends; i++) {
		session_next(s, 1);
		assert_int_equal(session_cursor(s), op_ends[i]);
		dbg_check(s);
		assert_true(machine_hash(session_machine(s)) == h[op_ends[i]]);
	}
	for (size_t i = sizeof op_ends / sizeof *op_ends - 1; i-- > 0;) {
		session_next(s, -1);
		assert_int_equal(session_cursor(s), op_ends[i]);
		dbg_check(s);
		assert_true(machine_hash(session_machine(s)) == h[op_ends[i]]);
	}
	dbg_free(s);
}

static void test_hash_matches_a_batch_run(void **state)
{
	(void)state;
	/* The end of a session's walk is the end of the same scenario run
	 * without a journal. */
	struct session *s = dbg_open(walk_lua);
	cont(s, false, STOP_PAUSE, 12);
	cont(s, false, STOP_PAUSE, 20);
	step(s, 2, STOP_DONE, 22);
	uint64_t at22 = machine_hash(session_machine(s));
	struct scenario_opts o;
	char why[256];
	scenario_opts_default(&o);
	struct scenario *sc = scenario_new(&o, why, sizeof why);
	assert_non_null(sc);
	int loaded = scenario_load_string(sc, walk_lua, "=walk");
	enum scenario_state st = scenario_resume(sc);
	uint64_t batch = machine_hash(sc->m);
	scenario_free(sc);
	assert_int_equal(loaded, 0);
	assert_int_equal(st, SC_DONE);
	cont(s, false, STOP_END, WALK_STEPS);
	assert_true(batch == machine_hash(session_machine(s)));
	assert_true(batch != at22);
	dbg_free(s);
}

static void test_no_title_again_at_the_start(void **state)
{
	(void)state;
	/* The title shows on the first look at a scenario, not again each
	 * time a motion ends at position 0. */
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "s 3", 0);
	assert_string_equal(dbg_run(s, "rc", 0), "[at the start]\nstep 0 of 8+\n");
	assert_string_equal(dbg_run(s, "rc", 0), "[at the start]\nstep 0 of 8+\n");
	assert_string_equal(dbg_run(s, "rs", 0), "[at the start]\nstep 0 of 8+\n");
	assert_string_equal(dbg_run(s, "goto 0", 0), "step 0 of 8+\n");
	dbg_free(s);
}

static void test_scenario_error_stops(void **state)
{
	(void)state;
	struct session *s = dbg_open("machine{memory=\"1M\", page_size=\"64K\", max_order=5}\n"
				     "local a = alloc_pages(0)\n"
				     "local b = alloc_pages(1)\n"
				     "error(\"oops\")\n"
				     "local c = alloc_pages(0)\n");
	cont(s, false, STOP_ERROR, 12);
	assert_has(s->stop_msg, "scenario error: ");
	assert_has(s->stop_msg, ":4: oops");
	assert_false(session_running(s));
	step(s, 1, STOP_ERROR, 12);
	cont(s, true, STOP_START, 0);
	next(s, 1, STOP_DONE, 8);
	next(s, 1, STOP_DONE, 12);
	dbg_free(s);
}

static void test_load_errors(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	struct strbuf out = {0};
	const char *bad = dbg_write("machine{memory=\"1M\", page_size=\"64K\"}\nlocal x = = 1\n");
	int rc = session_load(s, bad, &out);
	char msg[512];
	snprintf(msg, sizeof msg, "%s", out.s ? out.s : "");
	strbuf_free(&out);
	assert_int_equal(rc, -1);
	assert_has(msg, ":2:");
	assert_has(msg, "scenario.lua");
	/* An error before the first step is reported by the load itself. */
	const char *early = dbg_write("machine{memory=\"1M\", page_size=\"64K\"}\nerror(\"early\")\n");
	rc = session_load(s, early, &out);
	snprintf(msg, sizeof msg, "%s", out.s ? out.s : "");
	strbuf_free(&out);
	assert_int_equal(rc, -1);
	assert_has(msg, ":2: early");
	assert_has(dbg_run(s, "run /nonexistent.lua", -1), "cannot read /nonexistent.lua");
	/* A good file after bad ones loads. */
	rc = session_load(s, dbg_write(walk_lua), &out);
	strbuf_free(&out);
	assert_int_equal(rc, 0);
	dbg_check(s);
	cont(s, false, STOP_PAUSE, 12);
	dbg_free(s);
}

/* A failed run or restart changes nothing: the scenario, its file and
 * source, the cursor, the state, the notes and a conditional breakpoint
 * compiled in the old scenario all stay, and stepping goes on lazily. */
static void test_failed_run_changes_nothing(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_has(dbg_run(s, "break take if order == 1", 0), "breakpoint 1");
	go(s, 10, STOP_DONE, 10);
	dbg_eval(s, "x = 42", 0);
	uint64_t hash = machine_hash(session_machine(s));
	char file[sizeof s->file];
	memcpy(file, s->file, sizeof file);
	int nsource = s->nsource;
	uint32_t nnotes = s->nnotes, known = session_known(s);
	const char *syntax = dbg_write("machine{memory=\"1M\", page_size=\"64K\"}\nlocal x = = 1\n");
	const char *early = dbg_write("machine{memory=\"2M\"}\nerror(\"early\")\n");
	char runs[3][600];
	snprintf(runs[0], sizeof runs[0], "run /nonexistent-dir/nosuch.lua");
	snprintf(runs[1], sizeof runs[1], "run %s", syntax);
	snprintf(runs[2], sizeof runs[2], "run %s", early);
	for (int i = 0; i < 3; i++) {
		dbg_run(s, runs[i], -1);
		assert_int_equal(session_cursor(s), 10);
		assert_int_equal(session_known(s), known);
		assert_true(machine_hash(session_machine(s)) == hash);
		assert_string_equal(s->file, file);
		assert_int_equal(s->nsource, nsource);
		assert_int_equal(s->nnotes, nnotes);
		assert_true(session_running(s));
		assert_string_equal(dbg_eval(s, "x", 0), "42\n");
		assert_has(dbg_run(s, "info where", 0), "step 10 of");
		dbg_check(s);
	}
	/* the scenario goes on from where it was, breakpoint condition and all */
	cont(s, false, STOP_BREAKPOINT, 11);
	cont(s, false, STOP_PAUSE, 12);
	/* a restart whose file has gone bad keeps the session too */
	FILE *f = fopen(file, "w");
	fputs("local = 1\n", f);
	fclose(f);
	assert_has(dbg_run(s, "restart", -1), ":1:");
	assert_int_equal(session_cursor(s), 12);
	assert_string_equal(s->file, file);
	cont(s, false, STOP_PAUSE, 20);
	/* a run that loads: a front end's remembered position 20 is gone, and
	 * asking for its event is safe (the TUI's animation did, and crashed) */
	char line[600];
	snprintf(line, sizeof line, "run %s", dbg_write(walk_lua));
	dbg_run(s, line, 0);
	assert_int_equal(session_cursor(s), 0);
	assert_false(session_has_step(s, 20));
	assert_true(session_has_step(s, 1));
	struct event e;
	session_event(s, 20, &e);
	assert_int_equal(e.step, 20);
	assert_int_equal(e.op, 0);
	dbg_free(s);
}

/* undo takes back the last typed operation and brings back what it
 * dropped, the scenario's future included; one at a time, newest first. */
static void test_undo(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_run(s, "undo", -1), "undo: no typed operation to undo\n");
	go(s, 12, STOP_DONE, 12);
	uint64_t at12 = machine_hash(session_machine(s));
	uint32_t known = session_known(s);
	dbg_eval(s, "x = alloc_pages(0)", 0);
	dbg_eval(s, "y = 5", 0); /* no operation: undo passes over it */
	uint64_t after_x = machine_hash(session_machine(s));
	uint32_t at_x = session_cursor(s);
	dbg_eval(s, "free_pages(x)", 0);
	assert_false(session_running(s));
	assert_has(dbg_run(s, "undo", 0), "undone: free_pages(x)\n");
	assert_int_equal(session_cursor(s), at_x);
	assert_true(machine_hash(session_machine(s)) == after_x);
	assert_string_equal(dbg_eval(s, "frame(x.pfn).state", 0), "allocated\n");
	assert_string_equal(dbg_eval(s, "y", 0), "5\n");
	dbg_check(s);
	assert_has(dbg_run(s, "undo", 0), "undone: x = alloc_pages(0)\n");
	assert_int_equal(session_cursor(s), 12);
	assert_true(machine_hash(session_machine(s)) == at12);
	assert_true(session_running(s)); /* the scenario is back, with its future */
	assert_true(session_known(s) >= known);
	assert_string_equal(dbg_eval(s, "x", 0), "nil\n");
	cont(s, false, STOP_PAUSE, 20);
	cont(s, false, STOP_END, WALK_STEPS);
	assert_string_equal(dbg_run(s, "undo", -1), "undo: no typed operation to undo\n");
	dbg_free(s);
}

/* A file changed on disk replays differently: undo changes nothing. */
static void test_undo_refused(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	go(s, 12, STOP_DONE, 12);
	dbg_eval(s, "x = alloc_pages(0)", 0);
	uint64_t h = machine_hash(session_machine(s));
	FILE *f = fopen(s->file, "w");
	fputs("machine{memory=\"1M\", page_size=\"64K\", max_order=5}\nalloc_pages(3)\n", f);
	fclose(f);
	assert_has(dbg_run(s, "undo", -1), "nothing changed");
	assert_int_equal(session_cursor(s), 16);
	assert_true(machine_hash(session_machine(s)) == h);
	assert_string_equal(dbg_eval(s, "x.pfn", 0), "1\n");
	dbg_check(s);
	dbg_free(s);
}

/* A front end asks before Lua that may operate while steps lie ahead. */
static void test_confirm(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	char q[300];
	go(s, 12, STOP_DONE, 12);
	assert_true(command_confirm(s, "x = alloc_pages(0)", q, sizeof q));
	assert_has(q, "You are at step 12, in the past: an operation here drops steps 13-16+");
	assert_true(command_confirm(s, "lua alloc_pages{order=1}", q, sizeof q));
	assert_false(command_confirm(s, "x = 42", q, sizeof q));
	assert_false(command_confirm(s, "=frame(3).state", q, sizeof q));
	assert_false(command_confirm(s, "step", q, sizeof q));
	assert_false(command_confirm(s, "frame(3).state", q, sizeof q)); /* an expression only */
	session_run_all(s);
	go(s, WALK_STEPS, STOP_DONE, WALK_STEPS);
	assert_false(command_confirm(s, "x = alloc_pages(0)", q, sizeof q)); /* nothing ahead */
	dbg_free(s);
}

static void test_typed_machine_and_mark(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	go(s, 10, STOP_DONE, 10);
	uint64_t at10 = machine_hash(session_machine(s));
	/* A new machine typed at the prompt: the history up to here stays,
	 * the scenario's future goes, and booting is step 11. */
	dbg_eval(s, "machine{memory=\"2M\", page_size=\"64K\", max_order=5}", 0);
	assert_false(session_running(s));
	assert_int_equal(session_cursor(s), 11);
	assert_int_equal(session_known(s), 11);
	assert_int_equal(session_machine(s)->nr_frames, 32);
	assert_int_equal(session_mark(s, "one"), 8); /* before the cursor: kept */
	assert_int_equal(session_mark(s, "two"), -1);
	/* stepping back crosses into the first machine, as it was */
	step(s, -1, STOP_DONE, 10);
	assert_int_equal(session_machine(s)->nr_frames, 16);
	assert_true(machine_hash(session_machine(s)) == at10);
	step(s, 1, STOP_DONE, 11);
	dbg_eval(s, "p = alloc_pages(1)", 0);
	uint32_t at = session_cursor(s);
	assert_true(at > 0);
	dbg_eval(s, "mark('typed')", 0);
	dbg_eval(s, "free_pages(p)", 0);
	assert_int_equal(session_mark(s, "typed"), at);
	dbg_run(s, "goto typed", 0);
	assert_int_equal(session_cursor(s), at);
	dbg_run(s, "goto 0", 0);
	dbg_run(s, "c", 0);
	assert_int_equal(session_cursor(s), session_known(s));
	dbg_free(s);
}

/* A scenario that replaces its machine: positions run on, and stepping
 * back crosses into the older machine exactly as it was. */
static const char two_machines_lua[] =
	"machine{memory=\"1M\", page_size=\"64K\", max_order=5}\n" /* 1 */
	"a = alloc_pages(0)\n"                                    /* 2: steps 1-8 */
	"machine{memory=\"2M\", page_size=\"64K\", max_order=6}\n" /* 3: step 9 */
	"say(\"the second machine\")\n"                         /* 4 */
	"b = alloc_pages(1)\n";                                  /* 5: steps 10-17 */

static void test_stepping_across_machines(void **state)
{
	(void)state;
	struct session *s = dbg_open(two_machines_lua);
	assert_int_equal(session_machine(s)->nr_frames, 16); /* the first machine{}: no step */
	uint64_t hash[18];
	for (uint32_t p = 0; p <= 17; p++) {
		if (p)
			step(s, 1, STOP_DONE, p);
		hash[p] = machine_hash(session_machine(s));
		assert_int_equal(session_machine(s)->nr_frames, p <= 8 ? 16 : 32);
	}
	struct event e;
	session_event(s, 9, &e);
	assert_string_equal(ev_kinds[e.kind].name, "machine");
	assert_int_equal(e.line, 3);
	session_event(s, 10, &e);
	assert_int_equal(e.op, 3); /* operations are numbered on, too */
	const struct note *n = session_note(s, NOTE_SAY);
	assert_non_null(n);
	assert_int_equal(n->at, 9);
	step(s, 1, STOP_END, 17);
	for (uint32_t p = 17; p-- > 0;) {
		step(s, -1, STOP_DONE, p);
		assert_true(machine_hash(session_machine(s)) == hash[p]);
	}
	/* A line typed in the first machine runs there; the second is gone. */
	go(s, 8, STOP_DONE, 8);
	assert_int_equal(dbg_eval(s, "zone(\"DMA\").managed", 0)[0], '1'); /* 16 */
	const char *o = dbg_eval(s, "c = alloc_pages(0)", 0);
	assert_has(o, "(dropped 9 later steps; `undo` brings them back)");
	assert_int_equal(session_machine(s)->nr_frames, 16);
	assert_int_equal(session_known(s), session_cursor(s));
	assert_int_equal(s->nepochs, 1);
	dbg_check(s);
	dbg_free(s);
}

/* Every allocator at once, then every position visited forward and again
 * backward: the whole state (frames, zones and the slab, vmalloc and
 * page-table arenas) must hash the same both ways. */
static const char all_subsystems_lua[] =
	"machine{memory=\"4M\", seed=3}\n"
	"local c = kmem_cache_create(\"t\", 100)\n"
	"local mm = mm_alloc()\n"
	"local held, va = {}, 0x400000\n"
	"for i = 1, 60 do\n"
	"  local w = math.random(5)\n"
	"  if w == 1 then held[#held + 1] = {free_pages, alloc_pages(math.random(0, 2))}\n"
	"  elseif w == 2 then held[#held + 1] = {kfree, kmalloc(math.random(1, 2000))}\n"
	"  elseif w == 3 then held[#held + 1] = {function(o) kmem_cache_free(c, o) end, kmem_cache_alloc(c)}\n"
	"  elseif w == 4 then held[#held + 1] = {vfree, vmalloc(math.random(1, 3) * 4096)}\n"
	"  else local p = alloc_pages(0); map(mm, va, p, \"rw\"); translate(mm, va, \"w\")\n"
	"       local at = va; held[#held + 1] = {function(q) unmap(mm, at); free_pages(q) end, p}\n"
	"       va = va + 0x200000 end\n"
	"  if #held > 8 then local h = table.remove(held, math.random(#held)); h[1](h[2]) end\n"
	"end\n";

static void test_time_travel_across_subsystems(void **state)
{
	(void)state;
	struct session *s = dbg_open(all_subsystems_lua);
	session_run_all(s);
	uint32_t n = session_known(s);
	assert_true(n > 300);
	uint64_t *hash = test_malloc((n + 1) * sizeof *hash);
	for (uint32_t p = 0; p <= n; p++) {
		if (p)
			step(s, 1, STOP_DONE, p);
		dbg_check(s);
		hash[p] = machine_hash(session_machine(s));
	}
	for (uint32_t p = n; p-- > 0;) {
		step(s, -1, STOP_DONE, p);
		dbg_check(s);
		assert_true(machine_hash(session_machine(s)) == hash[p]);
	}
	go(s, n / 2, STOP_DONE, n / 2);
	assert_true(machine_hash(session_machine(s)) == hash[n / 2]);
	test_free(hash);
	dbg_free(s);
}

/* The same, with checkpoints every 23 steps and a second machine{}: a goto
 * to any position, from wherever the last one left the cursor, reaches the
 * state stepping there reached, in either machine. */
static void test_goto_through_checkpoints_across_machines(void **state)
{
	(void)state;
	/* the loop ten times as long: replaying a few hundred steps costs
	 * less than moving the blocks a checkpoint saved */
	const char *loop = strstr(all_subsystems_lua, " 60 do") + 6;
	char code[4096];
	snprintf(code, sizeof code,
		 "machine{memory=\"4M\", seed=3}\nlocal c = kmem_cache_create(\"t\", 100)\n"
		 "local mm = mm_alloc()\nlocal held, va = {}, 0x400000\nfor i = 1, 600 do%s"
		 "machine{memory=\"8M\", seed=4}\nc = kmem_cache_create(\"t\", 100)\n"
		 "mm = mm_alloc()\nheld, va = {}, 0x400000\nfor i = 1, 600 do%s",
		 loop, loop);
	ckpt_every_fixed = 23;
	assert_true(strstr(all_subsystems_lua, "local held, va = {}, 0x400000\nfor i = 1, 60 do") != NULL);
	struct session *s = dbg_open(code);
	session_run_all(s);
	uint32_t n = session_known(s);
	assert_int_equal(s->nepochs, 2);
	uint64_t *hash = test_malloc((n + 1) * sizeof *hash);
	for (uint32_t p = 0; p <= n; p++) {
		if (p)
			step(s, 1, STOP_DONE, p);
		hash[p] = machine_hash(session_machine(s));
	}
	uint64_t seed = 42;
	for (int i = 0; i < 300; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		uint32_t to = (uint32_t)(seed % (n + 1));
		go(s, to, STOP_DONE, to);
		if (machine_hash(session_machine(s)) != hash[to])
			fail_msg("goto %u does not reach the state stepping reached", to);
	}
	for (unsigned e = 0; e < 2; e++) {
		const struct journal *j = &s->epochs[e].m->j;
		assert_true(ckpt_count(j->ck) >= j->nsteps / 23 - 1);
		assert_true(ckpt_jumps(j->ck) > 10);
	}
	ckpt_every_fixed = 0;
	test_free(hash);
	dbg_free(s);
}

/* ---- typed operations ---- */

static void test_typed_operation_in_the_past(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	go(s, 16, STOP_DONE, 16);
	assert_int_equal(session_known(s), 18); /* op 4 recorded to show step 17 */
	go(s, 8, STOP_DONE, 8);
	uint64_t at8 = machine_hash(session_machine(s));
	const char *o = dbg_eval(s, "x = alloc_pages(2)", 0);
	assert_has(o, "(dropped 10 later steps; `undo` brings them back)\n");
	assert_has(o, "(the scenario is detached: typed operations replace its future)\n");
	assert_false(session_running(s));
	/* The typed operation is the new future: alloc watermark take done. */
	uint32_t end = session_known(s);
	assert_int_equal(session_cursor(s), end);
	assert_true(end > 8 && end < 18);
	assert_step_kind(s, 9, "alloc");
	assert_step_kind(s, end, "done");
	struct event e;
	session_event(s, end, &e);
	assert_int_equal(e.line, 0); /* typed, not a scenario line */
	assert_has(dbg_run(s, "info", 0), "(op 2, typed): done");
	/* Notes after the cursor went with the steps; mark "one" stays. */
	assert_int_equal(session_mark(s, "two"), -1);
	assert_int_equal(session_mark(s, "one"), 8);
	assert_string_equal(dbg_run(s, "goto two", -1), "goto: no step or mark 'two'\n");
	/* Nothing more comes: the scenario does not go on. */
	step(s, 1, STOP_END, end);
	cont(s, false, STOP_END, end);
	/* Time travel still works over the new history. */
	cont(s, true, STOP_START, 0);
	step(s, 8, STOP_DONE, 8);
	assert_true(machine_hash(session_machine(s)) == at8);
	next(s, 1, STOP_DONE, end);
	dbg_eval(s, "assert(x.order == 2)", 0);
	dbg_free(s);
}

static void test_typed_operation_as_long_as_the_dropped_one(void **state)
{
	(void)state;
	/* At 8, op 2 (alloc_pages(1): 4 steps) is recorded.  A typed
	 * operation of 4 steps replaces it: the same counts of steps and
	 * operations as before, but still a new future. */
	struct session *s = dbg_open(walk_lua);
	go(s, 8, STOP_DONE, 8);
	assert_int_equal(session_known(s), 12);
	const char *o = dbg_eval(s, "x = alloc_pages(1)", 0);
	assert_has(o, "(dropped 4 later steps; `undo` brings them back)\n");
	assert_has(o, "(the scenario is detached");
	assert_false(session_running(s));
	/* The pause() and say() after op 2 went with it. */
	go(s, 0, STOP_DONE, 0);
	cont(s, false, STOP_END, 12);
	dbg_free(s);
}

static void test_typed_operation_mid_operation(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	/* After step 5 the first allocation is half-way through its splits. */
	go(s, 5, STOP_DONE, 5);
	const char *o = dbg_eval(s, "y = alloc_pages(0)", 0);
	assert_has(o, "(dropped 3 later steps; `undo` brings them back)\n");
	assert_has(o, "(the scenario is detached");
	uint32_t end = session_known(s);
	for (uint32_t p = end; p-- > 0;) {
		step(s, -1, STOP_DONE, p);
	}
	dbg_free(s);
}

static void test_typed_operation_at_the_end(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	session_run_all(s);
	go(s, WALK_STEPS, STOP_DONE, WALK_STEPS);
	const char *o = dbg_eval(s, "z = alloc_pages(1)", 0);
	assert_lacks(o, "dropped");
	assert_lacks(o, "detached");
	assert_true(session_known(s) > WALK_STEPS);
	/* A typed line that is not an operation drops nothing, even in the past. */
	go(s, 4, STOP_DONE, 4);
	uint32_t known = session_known(s);
	o = dbg_eval(s, "q = 1 + 1", 0);
	assert_string_equal(o, "");
	assert_int_equal(session_known(s), known);
	o = dbg_eval(s, "zone('DMA').free", 0);
	assert_string_equal(o, "8\n"); /* the order-4 block taken, its upper half back */
	/* Nor does a rejected call. */
	o = dbg_eval(s, "alloc_pages(9)", -1);
	assert_has(o, "order 9 is out of range");
	assert_lacks(o, "dropped");
	assert_int_equal(session_known(s), known);
	dbg_free(s);
}

static void test_typed_print_and_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_eval(s, "print('hi', 2)", 0), "hi\t2\n");
	assert_string_equal(dbg_eval(s, "1 + 2, 'x'", 0), "3\tx\n");
	assert_has(dbg_eval(s, "error('nope')", -1), "nope");
	assert_has(dbg_eval(s, "free_pages(nil)", -1), "free_pages");
	/* print() typed at the prompt is answered there, not kept as a note. */
	assert_null(session_note(s, NOTE_PRINT));
	dbg_free(s);
}

/* ---- long scenarios start at once ---- */

static const char million_lua[] =
	"machine{memory=\"1M\", page_size=\"64K\", max_order=5}\n"
	"title(\"a million\")\n"
	"for i = 1, 1000000 do\n"
	"  local p = alloc_pages(i % 3)\n"
	"  free_pages(p)\n"
	"end\n";

static void test_lazy_scenario(void **state)
{
	(void)state;
	struct session *s = dbg_open(million_lua);
	/* Loading ran one operation, not two million. */
	assert_true(session_known(s) > 0);
	assert_true(session_known(s) < 64);
	assert_true(session_running(s));
	assert_non_null(session_note(s, NOTE_TITLE));
	step(s, 30, STOP_DONE, 30);
	assert_true(session_known(s) < 64);
	assert_int_equal(session_next(s, 10), STOP_DONE);
	dbg_check(s);
	assert_true(session_cursor(s) > 30);
	assert_true(session_known(s) < 200);
	go(s, 1000, STOP_DONE, 1000);
	assert_true(session_known(s) < 1100);
	assert_true(session_running(s));
	step(s, -1000, STOP_DONE, 0);
	dbg_free(s); /* a suspended scenario is freed cleanly */
}

/* ---- save ---- */

static uint64_t batch_hash(const char *file, enum scenario_state *st)
{
	struct scenario_opts o;
	char why[256];
	scenario_opts_default(&o); /* as batch mode: no journal */
	struct scenario *sc = scenario_new(&o, why, sizeof why);
	assert_non_null(sc);
	scenario_load_file(sc, file);
	while ((*st = scenario_resume(sc)) == SC_SUSPENDED)
		;
	if (*st != SC_DONE)
		print_error("%s: %s\n", file, sc->error);
	char err[512];
	int broken = check_machine(sc->m, err, sizeof err);
	uint64_t h = machine_hash(sc->m);
	scenario_free(sc);
	if (broken)
		fail_msg("the saved scenario breaks an invariant: %s", err);
	return h;
}

static uint64_t reload_hash(const char *file)
{
	struct session *s = dbg_new();
	struct strbuf out = {0};
	int rc = session_load(s, file, &out);
	char msg[512];
	snprintf(msg, sizeof msg, "%s", out.s ? out.s : "");
	strbuf_free(&out);
	if (rc != 0)
		fail_msg("the saved file does not load: %s", msg);
	assert_int_equal(session_continue(s, false), STOP_END);
	dbg_check(s);
	uint64_t h = machine_hash(session_machine(s));
	dbg_free(s);
	return h;
}

static void assert_save_reproduces(struct session *s)
{
	uint64_t h = machine_hash(session_machine(s));
	const char *file = dbg_path("saved.lua");
	char cmd[600];
	snprintf(cmd, sizeof cmd, "save %s", file);
	assert_has(dbg_run(s, cmd, 0), "saved ");
	enum scenario_state st;
	uint64_t batch = batch_hash(file, &st);
	if (st != SC_DONE)
		fail_msg("the saved scenario does not run to its end (the error is above)");
	if (batch != h)
		fail_msg("the saved scenario, run in batch, ends in another state");
	if (reload_hash(file) != h)
		fail_msg("the saved scenario, loaded again, ends in another state");
}

static void test_save_reproduces_the_state(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	dbg_run(s, "machine{memory=\"1M\", page_size=\"64K\", zones={DMA=\"512K\", Normal=\"512K\"}}", 0);
	dbg_run(s, "a = alloc_pages(2)", 0);
	dbg_run(s, "b = alloc_pages(0, \"GFP_DMA\")", 0);
	dbg_run(s, "c = alloc_pages{order=1}", 0);
	dbg_run(s, "free_pages(a)", 0);
	dbg_run(s, "print(c.pfn)", 0);
	dbg_run(s, "n = 3", 0);
	dbg_run(s, "d = alloc_pages(n)", 0);
	dbg_run(s, "alloc_pages(30)", -1); /* an error: not saved */
	dbg_run(s, "s 1", 0);               /* commands are not saved */
	/* calls are kept as typed (print too); only bare expressions that
	 * changed nothing, like `c.pfn`, would be left out */
	assert_int_equal(s->ntyped, 8);
	assert_save_reproduces(s);
	dbg_free(s);
}

static void test_save_default_machine(void **state)
{
	(void)state;
	/* Without machine{}: the saved file names the current configuration. */
	struct session *s = dbg_new();
	dbg_run(s, "p = alloc_pages(3)", 0);
	dbg_run(s, "q = alloc_pages(0, 'GFP_ATOMIC')", 0);
	dbg_run(s, "free_pages(p)", 0);
	assert_save_reproduces(s);
	dbg_free(s);
}

static void test_save_expression_lines(void **state)
{
	(void)state;
	/* Lines typed for their value (a.pfn) are fine at the prompt; the saved
	 * scenario must still be a valid scenario. */
	struct session *s = dbg_new();
	dbg_run(s, "machine{memory=\"1M\", page_size=\"64K\"}", 0);
	dbg_run(s, "a = alloc_pages(1)", 0);
	assert_string_equal(dbg_run(s, "a.pfn", 0), "0\n");
	assert_string_equal(dbg_run(s, "zone('DMA').free", 0), "14\n");
	assert_save_reproduces(s);
	dbg_free(s);
}

static void test_save_after_going_back(void **state)
{
	(void)state;
	/* An operation undone by going back and replaced by a typed one is not
	 * part of the state any more; the saved scenario must not redo it. */
	struct session *s = dbg_new();
	dbg_run(s, "machine{memory=\"1M\", page_size=\"64K\"}", 0);
	dbg_run(s, "a = alloc_pages(0)", 0);
	dbg_run(s, "b = alloc_pages(1)", 0);
	dbg_run(s, "rn", 0);
	assert_has(dbg_run(s, "free_pages(a)", 0), "(dropped 4 later steps; `undo` brings them back)");
	assert_save_reproduces(s);
	dbg_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DBG_TEST(test_load_is_paused_before_the_first_step),
		DBG_TEST(test_step_and_reverse_step),
		DBG_TEST(test_next_and_reverse_next),
		DBG_TEST(test_counted_motions_stop_at_pause_points),
		DBG_TEST(test_continue_stops_at_pause_points),
		DBG_TEST(test_continue_reports_narration),
		DBG_TEST(test_goto_steps_and_marks),
		DBG_TEST(test_restart),
		DBG_TEST(test_hash_identical_forward_and_back),
		DBG_TEST(test_hash_matches_a_batch_run),
		DBG_TEST(test_no_title_again_at_the_start),
		DBG_TEST(test_scenario_error_stops),
		DBG_TEST(test_load_errors),
		DBG_TEST(test_failed_run_changes_nothing),
		DBG_TEST(test_undo),
		DBG_TEST(test_undo_refused),
		DBG_TEST(test_confirm),
		DBG_TEST(test_typed_machine_and_mark),
		DBG_TEST(test_stepping_across_machines),
		DBG_TEST(test_time_travel_across_subsystems),
		DBG_TEST(test_goto_through_checkpoints_across_machines),
		DBG_TEST(test_typed_operation_in_the_past),
		DBG_TEST(test_typed_operation_as_long_as_the_dropped_one),
		DBG_TEST(test_typed_operation_mid_operation),
		DBG_TEST(test_typed_operation_at_the_end),
		DBG_TEST(test_typed_print_and_errors),
		DBG_TEST(test_lazy_scenario),
		DBG_TEST(test_save_reproduces_the_state),
		DBG_TEST(test_save_default_machine),
		DBG_TEST(test_save_expression_lines),
		DBG_TEST(test_save_after_going_back),
	};
	return cmocka_run_group_tests(tests, NULL, dbg_group_teardown);
}
