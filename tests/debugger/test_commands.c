/*
 * The command table (src/debugger/commands.c): which lines are commands and
 * which are Lua, and what each command says when its arguments are wrong.
 */
#include "dbg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/event.h"

static const struct command *find(const char *line)
{
	return command_find(line);
}

static void assert_command(const char *line, const char *name)
{
	const struct command *c = find(line);
	if (!c)
		fail_msg("`%s` should be the command %s, not Lua", line, name);
	if (strcmp(c->name, name) != 0)
		fail_msg("`%s` should be the command %s, not %s", line, name, c->name);
}

static void assert_lua(const char *line)
{
	const struct command *c = find(line);
	if (c)
		fail_msg("`%s` is Lua, not the command %s", line, c->name);
}

/* ---- command_find ---- */

static void test_find_names_and_aliases(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{"step", "step"}, {"s", "step"}, {"next", "next"}, {"n", "next"},
		{"continue", "continue"}, {"c", "continue"}, {"reverse-step", "reverse-step"},
		{"rs", "reverse-step"}, {"reverse-next", "reverse-next"}, {"rn", "reverse-next"},
		{"reverse-continue", "reverse-continue"}, {"rc", "reverse-continue"},
		{"goto", "goto"}, {"g", "goto"}, {"break", "break"}, {"b", "break"},
		{"watch", "watch"}, {"delete", "delete"}, {"d", "delete"}, {"info", "info"},
		{"i", "info"}, {"list", "list"}, {"l", "list"}, {"play", "play"}, {"pause", "pause"},
		{"restart", "restart"}, {"run", "run"}, {"save", "save"}, {"help", "help"},
		{"h", "help"}, {"quit", "quit"}, {"q", "quit"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		assert_command(pairs[i][0], pairs[i][1]);
	/* Every entry of the table is found by its name and by its alias. */
	for (const struct command *c = commands; c->name; c++) {
		assert_ptr_equal(find(c->name), c);
		if (c->alias)
			assert_ptr_equal(find(c->alias), c);
	}
}

static void test_find_with_arguments(void **state)
{
	(void)state;
	assert_command("step 3", "step");
	assert_command("  s 3", "step");
	assert_command("s\t2", "step");
	assert_command("next  ", "next");
	assert_command("b split if order >= 3", "break");
	assert_command("break merge if zone == \"DMA\"", "break");
	assert_command("goto one", "goto");
	assert_command("info frame 3", "info");
	assert_command("watch pfn 4", "watch");
	assert_command("help break", "help");
}

static void test_find_lua_lines(void **state)
{
	(void)state;
	assert_lua("s = alloc_pages(0)");
	assert_lua("s=alloc_pages(0)");
	assert_lua("n.x");
	assert_lua("n.x = 3");
	assert_lua("b(1)");
	assert_lua("b (1)");
	assert_lua("c = 2");
	assert_lua("n[1] = 2");
	assert_lua("l:method()");
	assert_lua("h \"text\"");
	assert_lua("h 'text'");
	assert_lua("h {1}");
	assert_lua("a = alloc_pages(2)");
	assert_lua("print(a.pfn)");
	assert_lua("steps = 1");
	assert_lua("STEP");
	assert_lua("");
	assert_lua("   ");
}

/* ---- command_execute: Lua and empty lines ---- */

static void test_execute_empty_and_lua(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	assert_string_equal(dbg_run(s, "", 0), "");
	assert_string_equal(dbg_run(s, "   \t", 0), "");
	/* Lines starting with an alias are Lua when Lua says so. */
	dbg_run(s, "s = 41", 0);
	assert_string_equal(dbg_run(s, "print(s + 1)", 0), "42\n");
	dbg_run(s, "n = {x = 7}", 0);
	assert_string_equal(dbg_run(s, "n.x", 0), "7\n");
	dbg_run(s, "function b(v) return v * 2 end", 0);
	assert_string_equal(dbg_run(s, "b(1)", 0), "2\n");
	assert_has(dbg_run(s, "error('boom')", -1), "boom");
	assert_has(dbg_run(s, "this(is not lua", -1), "')' expected");
	dbg_free(s);
}

/* A line shaped like a command that is none says so, with the nearest
 * command; a Lua line that merely starts with a word is still Lua, and
 * `lua CODE` or `=EXPR` are Lua whatever they look like. */
static void test_unknown_commands(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_run(s, "stpe", -1), "unknown command \"stpe\" (did you mean step?)\n");
	assert_string_equal(dbg_run(s, "brek split", -1), "unknown command \"brek\" (did you mean break?)\n");
	assert_string_equal(dbg_run(s, "contniue", -1), "unknown command \"contniue\" (did you mean continue?)\n");
	assert_string_equal(dbg_run(s, "reverse-stpe 2", -1),
			    "unknown command \"reverse-stpe\" (did you mean reverse-step?)\n");
	assert_has(dbg_run(s, "foo", -1), "unknown command \"foo\" (`help` lists the commands");
	assert_int_equal(session_cursor(s), 0); /* nothing ran */
	/* a global's name alone is Lua: its value */
	dbg_run(s, "x = 7", 0);
	assert_string_equal(dbg_run(s, "x", 0), "7\n");
	/* Lua that starts with a word */
	assert_string_equal(dbg_run(s, "print 'hi'", 0), "hi\n");
	assert_string_equal(dbg_run(s, "local y = 2 print(y)", 0), "2\n");
	/* explicit Lua: a global named like a command */
	dbg_run(s, "lua step = 3", 0);
	assert_string_equal(dbg_run(s, "=step", 0), "3\n");
	assert_string_equal(dbg_run(s, "  = step + 1", 0), "4\n");
	assert_string_equal(dbg_run(s, "lua", -1), "lua: which code? e.g. `lua step = 1`\n");
	assert_int_equal(session_cursor(s), 0);
	/* the suggestion is the nearest command, never a far one */
	assert_string_equal(command_suggest("nxet")->name, "next");
	assert_string_equal(command_suggest("delte")->name, "delete");
	assert_null(command_suggest("foo"));
	assert_null(command_suggest("alloc"));
	/* Lua cut short continues on the next line; commands never do */
	assert_true(command_incomplete(s, "function f()"));
	assert_true(command_incomplete(s, "t = {"));
	assert_true(command_incomplete(s, "lua for i = 1, 2 do"));
	assert_true(command_incomplete(s, "=(1 +"));
	assert_false(command_incomplete(s, "f(1 2"));
	assert_false(command_incomplete(s, "x = 1"));
	assert_false(command_incomplete(s, "break split if (order"));
	dbg_free(s);
}

/* ---- command_execute: error messages ---- */

static void test_break_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_run(s, "break", -1), "break: which event kind? (see `help break`)\n");
	const char *o = dbg_run(s, "break nosuch", -1);
	assert_has(o, "break: unknown event kind 'nosuch' (kinds:");
	for (int k = 0; k < NR_EV_KINDS; k++)
		assert_has(o, ev_kinds[k].name);
	assert_string_equal(dbg_run(s, "b split if", -1), "break: expected `if CONDITION` after the kind\n");
	assert_string_equal(dbg_run(s, "b split when order > 1", -1),
			    "break: expected `if CONDITION` after the kind\n");
	assert_has(dbg_run(s, "b split if order >=", -1), "bad condition: ");
	/* Nothing was added by the failures. */
	assert_int_equal(s->nbps, 0);
	assert_string_equal(dbg_run(s, "b split if order >= 3", 0), "breakpoint 1: split if order >= 3\n");
	assert_string_equal(dbg_run(s, "b merge", 0), "breakpoint 2: merge\n");
	assert_int_equal(s->nbps, 2);
	dbg_free(s);
}

static void test_count_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	static const char *const bad[][2] = {
		{"step 0", "step: expected a positive count, not '0'\n"},
		{"s -2", "s: expected a positive count, not '-2'\n"},
		{"s x", "s: expected a positive count, not 'x'\n"},
		{"s 2x", "s: expected a positive count, not '2x'\n"},
		{"next 0", "next: expected a positive count, not '0'\n"},
		{"n -1", "n: expected a positive count, not '-1'\n"},
		{"rs 0", "rs: expected a positive count, not '0'\n"},
		{"reverse-step abc", "reverse-step: expected a positive count, not 'abc'\n"},
		{"rn -3", "rn: expected a positive count, not '-3'\n"},
		{"reverse-next 1.5", "reverse-next: expected a positive count, not '1.5'\n"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_string_equal(dbg_run(s, bad[i][0], -1), bad[i][1]);
		assert_int_equal(session_cursor(s), 0); /* a bad count does not move */
	}
	assert_has(dbg_run(s, "play 0", -1), "play: steps per second from 0.1 to 1000, not '0'");
	assert_has(dbg_run(s, "play fast", -1), "not 'fast'");
	assert_false(s->playing);
	assert_string_equal(dbg_run(s, "list x", -1), "list: expected a line number\n");
	dbg_free(s);
}

static void test_goto_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_run(s, "goto", -1), "goto: which step or mark?\n");
	assert_string_equal(dbg_run(s, "goto nowhere", -1), "goto: no step or mark 'nowhere'\n");
	assert_int_equal(session_cursor(s), 0);
	assert_string_equal(dbg_run(s, "g -1", -1), "goto: no step or mark '-1'\n");
	/* A mark ahead of what ran so far is found by running on. */
	assert_has(dbg_run(s, "goto two", 0), "step 16 of 26");
	assert_int_equal(session_cursor(s), 16);
	dbg_free(s);
}

static void test_watch_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	const char *usage = "usage: watch pfn N | watch zone NAME [NODE]\n";
	assert_string_equal(dbg_run(s, "watch", -1), usage);
	assert_string_equal(dbg_run(s, "watch pfn", -1), usage);
	assert_string_equal(dbg_run(s, "watch pfn x", -1), usage);
	assert_string_equal(dbg_run(s, "watch pfn 1 2", -1), usage);
	assert_string_equal(dbg_run(s, "watch frame 1", -1), usage);
	assert_string_equal(dbg_run(s, "watch zone", -1), usage);
	assert_string_equal(dbg_run(s, "watch pfn 16", -1), "watch: pfn 0x10 is outside memory (pfns 0x0..0xf)\n");
	assert_string_equal(dbg_run(s, "watch zone Foo", -1), "watch: unknown zone 'Foo'\n");
	assert_string_equal(dbg_run(s, "watch zone DMA 1", -1), "watch: no node '1'\n");
	assert_string_equal(dbg_run(s, "watch zone DMA x", -1), "watch: no node 'x'\n");
	assert_int_equal(s->nbps, 0);
	assert_string_equal(dbg_run(s, "watch pfn 15", 0), "watch 1: frame 0xf\n");
	assert_string_equal(dbg_run(s, "watch zone dma", 0), "watch 2: zone DMA\n");
	assert_string_equal(dbg_run(s, "watch zone DMA 0", 0), "watch 3: zone DMA\n");
	dbg_free(s);
}

static void test_delete(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_run(s, "delete 1", -1), "delete: no breakpoint 1\n");
	dbg_run(s, "b split", 0);
	dbg_run(s, "watch pfn 3", 0);
	dbg_run(s, "b merge if order > 1", 0);
	assert_string_equal(dbg_run(s, "delete 7", -1), "delete: no breakpoint 7\n");
	assert_string_equal(dbg_run(s, "d x", -1), "delete: no breakpoint x\n");
	assert_int_equal(s->nbps, 3);
	assert_string_equal(dbg_run(s, "delete 2", 0), "");
	assert_int_equal(s->nbps, 2);
	assert_string_equal(dbg_run(s, "delete 2", -1), "delete: no breakpoint 2\n");
	const char *o = dbg_run(s, "info breakpoints", 0);
	assert_has(o, "  1  break split  (hit 0 times)\n");
	assert_has(o, "  3  break merge if order > 1  (hit 0 times)\n");
	assert_lacks(o, "watch");
	assert_string_equal(dbg_run(s, "delete", 0), "deleted every breakpoint and watch\n");
	assert_int_equal(s->nbps, 0);
	assert_string_equal(dbg_run(s, "info breakpoints", 0), "no breakpoints or watches\n");
	/* Ids are not reused. */
	assert_string_equal(dbg_run(s, "b done", 0), "breakpoint 4: done\n");
	dbg_free(s);
}

static void test_info_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	const char *usage = "usage: info breakpoints|zones|buddy|frame PFN|events|ops|marks|slabs|pgtable [MM]|where\n";
	assert_string_equal(dbg_run(s, "info nosuch", -1), usage);
	assert_string_equal(dbg_run(s, "info frame", -1), usage);
	assert_string_equal(dbg_run(s, "info frame x", -1), usage);
	assert_string_equal(dbg_run(s, "info frame 16", -1), "pfn 0x10 is outside memory (pfns 0x0..0xf)\n");
	assert_string_equal(dbg_run(s, "info frame 3", 0),
			    "pfn 0x3 (phys 0x30000): free, in the order-4 block at 0x0, zone DMA, node 0\n"
			    "  no step up to the cursor allocated or freed it\n");
	assert_string_equal(dbg_run(s, "info", 0), "step 0 of 8+\n  caption: walk\n");
	assert_string_equal(dbg_run(s, "info where", 0), "step 0 of 8+\n  caption: walk\n");
	assert_string_equal(dbg_run(s, "info marks", 0), "no marks yet\n");
	/* the frame's history: the steps that allocated and freed its blocks,
	 * up to the cursor and no further */
	dbg_run(s, "goto 20", 0);
	assert_string_equal(dbg_run(s, "info frame 3", 0),
			    "pfn 0x3 (phys 0x30000): free, in the order-1 block at 0x2, zone DMA, node 0\n"
			    "  history up to the cursor:\n"
			    "    step 12    (op 2, line 5): done allocated order-1 block 0x2 from DMA\n"
			    "    step 17    (op 4, line 10): free free order-1 block 0x2 in DMA\n");
	dbg_run(s, "goto 16", 0);
	assert_lacks(dbg_run(s, "info frame 3", 0), "step 17");
	/* where: the operation, its line and source, the caption */
	dbg_run(s, "goto 12", 0);
	assert_string_equal(dbg_run(s, "info where", 0),
			    "step 12 of 26+ (op 2, line 5): done allocated order-1 block 0x2 from DMA\n"
			    "  operation 2, steps 9-12, line 5: local b = alloc_pages(1)\n"
			    "  caption: walk -- after b\n");
	dbg_free(s);
}

static void add_word(void *ctx, const char *word)
{
	struct strbuf *b = ctx;
	strbuf_printf(b, "%s ", word);
}

/* One table drives `info`: every row dispatches, shows in the usage line,
 * in `help info` and in completion; nothing outside the table does. */
static void test_info_table(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "step 3", 0);
	const char *usage = dbg_run(s, "info nosuch", -1);
	char *u = strdup(usage), *help = strdup(dbg_run(s, "help info", 0));
	struct strbuf words = {0};
	command_complete(s, "info ", 5, "", add_word, &words);
	int n = 0;
	for (const struct info_topic *t = info_topics; t->name; t++, n++) {
		char line[64], word[40];
		snprintf(line, sizeof line, "info %s%s", t->name, t->arg == INFO_ARG_NEEDED ? " 3" : "");
		struct strbuf ob = {0};
		command_execute(s, line, &ob); /* pgtable refuses a machine without page tables */
		assert_true(ob.len);
		assert_lacks(ob.s, "usage:");
		const char *o = ob.s;
		snprintf(word, sizeof word, "%s%s%s", t->name, t->args ? " " : "", t->args ? t->args : "");
		assert_has(u, word);
		assert_has(help, word);
		assert_has(help, t->help);
		snprintf(word, sizeof word, "%s ", t->name);
		assert_has(words.s, word);
		if (t->alias) {
			snprintf(line, sizeof line, "info %s", t->alias);
			struct strbuf ab = {0};
			command_execute(s, line, &ab);
			assert_string_equal(ab.s, o);
			strbuf_free(&ab);
		}
		if (t->arg == INFO_ARG_NONE) { /* a stray argument is refused */
			snprintf(line, sizeof line, "info %s 3", t->name);
			assert_string_equal(dbg_run(s, line, -1), u);
		}
		strbuf_free(&ob);
	}
	/* the usage has one alternative per row, completion one word per row */
	int bars = 0, spaces = 0;
	for (const char *p = u; *p; p++)
		bars += *p == '|';
	for (const char *p = words.s; *p; p++)
		spaces += *p == ' ';
	assert_int_equal(bars, n - 1);
	assert_int_equal(spaces, n);
	command_complete(s, "info fr", 5, "fr", add_word, &words);
	assert_has(words.s, " frame ");
	free(u);
	free(help);
	strbuf_free(&words);
	dbg_free(s);
}

static void test_file_errors(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	assert_string_equal(dbg_run(s, "run", -1), "run: which file?\n");
	assert_string_equal(dbg_run(s, "save", -1), "save: which file?\n");
	assert_has(dbg_run(s, "save /nonexistent-dir/x.lua", -1), "save: cannot write /nonexistent-dir/x.lua");
	assert_has(dbg_run(s, "run /nonexistent-dir/x.lua", -1), "cannot read /nonexistent-dir/x.lua");
	dbg_free(s);
}

static void test_help(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	const char *o = dbg_run(s, "help", 0);
	for (const struct command *c = commands; c->name; c++) {
		assert_has(o, c->name);
		assert_has(o, c->help);
	}
	assert_has(o, "Any other line is Lua");
	o = dbg_run(s, "help break", 0);
	assert_has(o, "break KIND [if EXPR]   (alias b)\n");
	assert_has(o, "kinds and their fields:\n");
	assert_has(o, "    split      zone pfn order buddy\n");
	assert_has(o, "    alloc      order gfp node\n");
	for (int k = 0; k < NR_EV_KINDS; k++)
		assert_has(o, ev_kinds[k].name);
	/* Help by alias names the command. */
	assert_string_equal(dbg_run(s, "help rs", 0), "reverse-step [N]   (alias rs)\n  take N steps back\n");
	assert_string_equal(dbg_run(s, "help watch", 0),
			    "watch pfn N | zone NAME [NODE]\n  stop when a frame's block or a zone's free lists change\n");
	assert_string_equal(dbg_run(s, "help nosuch", -1), "help: no command 'nosuch'\n");
	dbg_free(s);
}

static void test_quit_play_pause(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	assert_false(s->quit);
	dbg_run(s, "play 10", 0);
	assert_true(s->playing);
	assert_true(s->speed == 10);
	dbg_run(s, "pause", 0);
	assert_false(s->playing);
	dbg_run(s, "q", 0);
	assert_true(s->quit);
	dbg_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DBG_TEST(test_find_names_and_aliases),
		DBG_TEST(test_find_with_arguments),
		DBG_TEST(test_find_lua_lines),
		DBG_TEST(test_execute_empty_and_lua),
		DBG_TEST(test_unknown_commands),
		DBG_TEST(test_break_errors),
		DBG_TEST(test_count_errors),
		DBG_TEST(test_goto_errors),
		DBG_TEST(test_watch_errors),
		DBG_TEST(test_delete),
		DBG_TEST(test_info_errors),
		DBG_TEST(test_info_table),
		DBG_TEST(test_file_errors),
		DBG_TEST(test_help),
		DBG_TEST(test_quit_play_pause),
	};
	return cmocka_run_group_tests(tests, NULL, dbg_group_teardown);
}
