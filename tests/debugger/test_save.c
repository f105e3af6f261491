/*
 * `save` (src/debugger/save.c): the saved file, replayed in a fresh session
 * to its end, reaches the state the session showed at the cursor (the same
 * machine_hash, the same number of steps) — on a plain machine, on a TLB
 * machine (scenarios/10-tlb.lua) and on a toy machine (13-toy-machine.lua);
 * and a write that fails says so.
 */
#include "dbg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The saved file's text. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[16384];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Save s to a new file, replay it in a fresh session to its end, and
 * compare the state and the step count with s at its cursor. */
static const char *save_and_replay(struct session *s, const char *name)
{
	const char *path = dbg_path(name);
	char line[600];
	snprintf(line, sizeof line, "save %s", path);
	dbg_run(s, line, 0);
	struct session *r = dbg_new();
	struct strbuf out = {0};
	int rc = session_load(r, path, &out);
	if (rc != 0)
		fail_msg("the saved file does not load: %s\n%s", out.s, slurp(path));
	strbuf_free(&out);
	session_run_all(r);
	session_goto(r, session_known(r));
	if (r->sc->state == SC_ERROR)
		fail_msg("the saved file failed: %s\n%s", r->sc->error, slurp(path));
	dbg_check(r);
	if (session_cursor(r) != session_cursor(s) ||
	    machine_hash(session_machine(r)) != machine_hash(session_machine(s)))
		fail_msg("the replay reached step %u (hash %llx), the session was at step %u (hash %llx):\n%s",
			 session_cursor(r), (unsigned long long)machine_hash(session_machine(r)), session_cursor(s),
			 (unsigned long long)machine_hash(session_machine(s)), slurp(path));
	dbg_free(r);
	return slurp(path);
}

/* walk.lua's ops up to a pause, then typed operations in the past: the
 * saved file has both (it used to drop the scenario's own operations). */
static void test_scenario_then_typed(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "next 3", 0);
	assert_int_equal(session_cursor(s), 12);
	dbg_eval(s, "x = alloc_pages(0)", 0);
	dbg_eval(s, "y = alloc_pages(2)", 0);
	dbg_eval(s, "print(x.pfn, y.pfn)", 0);
	dbg_eval(s, "free_pages(x)", 0);
	const char *text = save_and_replay(s, "typed.lua");
	assert_has(text, "x = alloc_pages(0)\ny = alloc_pages(2)\n");
	assert_has(text, "local memstep_cut = 12\n");
	/* back over the last typed operation: the file leaves it out */
	dbg_run(s, "reverse-next", 0);
	text = save_and_replay(s, "back.lua");
	assert_lacks(text, "free_pages(x)");
	dbg_free(s);
}

/* No typed line: the scenario up to the cursor, at an operation's end. */
static void test_scenario_only(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "goto 16", 0);
	save_and_replay(s, "cursor.lua");
	/* the cursor inside an operation, no line typed: the file cannot stop
	 * there either, and says so... */
	dbg_run(s, "goto 3", 0);
	assert_has(dbg_run(s, "save /dev/null", 0), "at step 3, inside an operation");
	dbg_run(s, "goto 0", 0);
	const char *text = save_and_replay(s, "start.lua");
	assert_lacks(text, "include");
	dbg_free(s);
}

/* Typed lines on a fresh machine, machine{} among them. */
static void test_typed_only(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	dbg_eval(s, "machine{memory=\"1M\", page_size=\"64K\", zones={DMA=\"512K\", Normal=\"512K\"}}", 0);
	dbg_eval(s, "a = alloc_pages(2)", 0);
	dbg_eval(s, "b = alloc_pages(0, \"GFP_DMA\")", 0);
	dbg_eval(s, "free_pages(a)", 0);
	save_and_replay(s, "fresh.lua");
	dbg_free(s);
}

/* A lecture scenario, copied into the test's folder: the saved file goes
 * there too, and include reads only files under the including file's folder. */
static struct session *open_scenario(const char *name)
{
	const char *dir = getenv("MEMSTEP_SCENARIOS");
	assert_non_null(dir);
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	static char code[1 << 16];
	size_t len = fread(code, 1, sizeof code - 1, in);
	fclose(in);
	code[len] = 0;
	return dbg_open(code);
}

/* A saved file that would include the scenario from outside its own
 * folder is written, with a note that replaying it needs the two in one
 * folder (include's sandbox rule). */
static void test_save_outside_refused(void **state)
{
	(void)state;
	struct session *s = dbg_open("local a = alloc_pages(0)\n");
	dbg_run(s, "next", 0);
	const char *out = dbg_run(s, "save /dev/null", 0);
	assert_has(out, "is outside");
	assert_has(out, "a scenario includes only files under its own");
	dbg_free(s);
}

/* 10-tlb.lua: a save used to replay with 64 TLB entries instead of 4. */
static void test_tlb_machine(void **state)
{
	(void)state;
	struct session *s = open_scenario("10-tlb.lua");
	dbg_run(s, "next 14", 0);
	dbg_eval(s, "extra = alloc_pages(1)", 0);
	const char *text = save_and_replay(s, "tlb.lua");
	assert_has(text, "tlb={entries=4, ways=2}");
	dbg_free(s);
}

/* 13-toy-machine.lua: a save used to write arch="toy", which fails. */
static void test_toy_machine(void **state)
{
	(void)state;
	struct session *s = open_scenario("13-toy-machine.lua");
	dbg_run(s, "next 2", 0);
	dbg_eval(s, "extra = alloc_pages(0)", 0);
	const char *text = save_and_replay(s, "toy.lua");
	assert_has(text, "arch={name=\"toy\", levels={3, 3}, offset=5, entry_size=4}");
	dbg_free(s);
}

/* A line typed inside an operation: a scenario replays whole operations,
 * and save says where the file parts from the session. */
static void test_inside_an_operation(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "step 3", 0);
	dbg_eval(s, "x = alloc_pages(0)", 0);
	const char *o = dbg_run(s, "save /dev/null", 0);
	assert_has(o, "at step 3, inside an operation");
	dbg_free(s);
}

static void test_write_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_run(s, "save", -1), "save: which file?\n");
	assert_has(dbg_run(s, "save /nonexistent-dir/x.lua", -1), "save: cannot write /nonexistent-dir/x.lua: ");
	assert_has(dbg_run(s, "save /dev/full", -1), "save: writing /dev/full failed: No space left on device");
	dbg_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DBG_TEST(test_scenario_then_typed), DBG_TEST(test_scenario_only), DBG_TEST(test_typed_only),
		DBG_TEST(test_tlb_machine),	    DBG_TEST(test_toy_machine),	  DBG_TEST(test_inside_an_operation),
		DBG_TEST(test_write_errors),	    DBG_TEST(test_save_outside_refused),
	};
	return cmocka_run_group_tests(tests, NULL, dbg_group_teardown);
}
