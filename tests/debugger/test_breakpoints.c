/*
 * Breakpoints and watches (src/debugger/session.c, script/condition.c):
 * conditions over an event's fields, their errors, and watches of a frame or
 * a zone, forwards and backwards.
 */
#include "dbg.h"

#include <string.h>

#include "mm/event.h"

/*
 * Two zones of 8 frames each (DMA pfns 0-7, Normal pfns 8-15).  Steps:
 *   op 1  alloc_pages(0)            1-7   alloc watermark take split*3 done (Normal: 0x8)
 *   op 2  alloc_pages(0, GFP_DMA)   8-14  alloc watermark take split*3 done (DMA: 0x0)
 *                                         splits at 11 (order 2), 12 (order 1), 13 (order 0)
 *   op 3  alloc_pages(2, GFP_DMA)  15-18  alloc watermark take done (DMA: 0x4)
 *   op 4  free_pages(a)            19-23  free merge*3 put (Normal)
 *   op 5  free_pages(b)            24-27  free merge*2 put (DMA)
 */
static const char zones_lua[] =
	"machine{memory=\"1M\", page_size=\"64K\", max_order=5, zones={DMA=\"512K\", Normal=\"512K\"}}\n"
	"local a = alloc_pages(0)\n"
	"local b = alloc_pages(0, \"GFP_DMA\")\n"
	"local c = alloc_pages(2, \"GFP_DMA\")\n"
	"free_pages(a)\n"
	"free_pages(b)\n";

static void cont(struct session *s, enum stop_reason want, uint32_t pos)
{
	dbg_at(s, session_continue(s, false), want, pos);
}

static void rcont(struct session *s, enum stop_reason want, uint32_t pos)
{
	dbg_at(s, session_continue(s, true), want, pos);
}

static void test_break_without_condition(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "b merge", 0);
	/* The pause() points of walk.lua come first, then the four merges. */
	cont(s, STOP_PAUSE, 12);
	cont(s, STOP_PAUSE, 20);
	for (uint32_t at = 22; at <= 25; at++) {
		cont(s, STOP_BREAKPOINT, at);
		assert_step_kind(s, at, "merge");
		assert_int_equal(s->hit->id, 1);
		assert_string_equal(s->stop_msg, "breakpoint 1 hit (merge)");
	}
	cont(s, STOP_END, WALK_STEPS);
	assert_string_equal(s->stop_msg, "end of the scenario");
	assert_int_equal(s->bps[0].hits, 4);
	/* Backwards: the same merges, last first, then the pause points. */
	for (uint32_t at = 25; at >= 22; at--)
		rcont(s, STOP_BREAKPOINT, at);
	rcont(s, STOP_PAUSE, 20);
	rcont(s, STOP_PAUSE, 12);
	rcont(s, STOP_START, 0);
	assert_string_equal(s->stop_msg, "at the start");
	dbg_free(s);
}

static void test_condition_true_and_false(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	/* Splits in walk.lua: steps 4..7 at orders 3, 2, 1, 0. */
	assert_string_equal(dbg_run(s, "break split if order >= 2", 0), "breakpoint 1: split if order >= 2\n");
	cont(s, STOP_BREAKPOINT, 4);
	cont(s, STOP_BREAKPOINT, 5);
	cont(s, STOP_PAUSE, 12);   /* orders 1 and 0 do not stop */
	dbg_run(s, "delete", 0);
	/* A condition that never holds never stops. */
	dbg_run(s, "b split if order > 10", 0);
	dbg_run(s, "b merge if false", 0);
	cont(s, STOP_PAUSE, 20);
	cont(s, STOP_END, WALK_STEPS);
	rcont(s, STOP_PAUSE, 20);
	assert_int_equal(s->bps[0].hits, 0);
	assert_int_equal(s->bps[1].hits, 0);
	/* The event's common fields are there too: kind, step, op, line. */
	dbg_run(s, "delete", 0);
	dbg_run(s, "b put if step == 18 and op == 4 and line == 10 and kind == 'put'", 0);
	dbg_at(s, session_goto(s, 0), STOP_DONE, 0);
	cont(s, STOP_PAUSE, 12);
	cont(s, STOP_BREAKPOINT, 18);
	dbg_free(s);
}

static void test_condition_on_enum_and_pfn_fields(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	/* side is an enum field (a name), buddy a pfn (a number). */
	dbg_run(s, "b merge if buddy == 4", 0);
	dbg_run(s, "b put if side == 'head'", 0);
	cont(s, STOP_PAUSE, 12);
	cont(s, STOP_PAUSE, 20);
	cont(s, STOP_BREAKPOINT, 24); /* merge with buddy 0x4 */
	assert_int_equal(s->hit->id, 1);
	cont(s, STOP_BREAKPOINT, 26); /* the order-4 block goes at the head */
	assert_int_equal(s->hit->id, 2);
	dbg_free(s);
}

static void test_condition_over_zone_names(void **state)
{
	(void)state;
	struct session *s = dbg_open(zones_lua);
	dbg_run(s, "b split if zone == \"DMA\"", 0);
	cont(s, STOP_BREAKPOINT, 11);
	cont(s, STOP_BREAKPOINT, 12);
	cont(s, STOP_BREAKPOINT, 13);
	cont(s, STOP_END, 27);
	dbg_run(s, "delete", 0);
	dbg_run(s, "b split if zone == \"Normal\" and order <= 1", 0);
	dbg_run(s, "b merge if zone == 'DMA'", 0);
	rcont(s, STOP_BREAKPOINT, 26);
	assert_int_equal(s->hit->id, 3);
	rcont(s, STOP_BREAKPOINT, 25);
	rcont(s, STOP_BREAKPOINT, 6);
	assert_int_equal(s->hit->id, 2);
	rcont(s, STOP_BREAKPOINT, 5);
	rcont(s, STOP_START, 0);
	/* A zone name that no zone has is simply never equal. */
	dbg_run(s, "delete", 0);
	dbg_run(s, "b take if zone == 'HighMem'", 0);
	cont(s, STOP_END, 27);
	dbg_free(s);
}

static void test_condition_error_stops_with_message(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	/* A runtime error in the condition stops at the first event of the kind
	 * and says which breakpoint and why. */
	dbg_run(s, "b take if order.x == 1", 0);
	enum stop_reason r = session_continue(s, false);
	dbg_at(s, r, STOP_BREAKPOINT, 3);
	assert_has(s->stop_msg, "breakpoint 1: condition failed: ");
	assert_has(s->stop_msg, "index");
	/* The report a front end shows carries the message. */
	const char *o = dbg_run(s, "c", 0);
	assert_has(o, "[breakpoint 1: condition failed: ");
	assert_has(o, "step 11 of 12+");
	/* comparing a number with a string */
	dbg_run(s, "delete", 0);
	dbg_run(s, "b done if pfn < 'x'", 0);
	o = dbg_run(s, "c", 0);
	assert_has(o, "[breakpoint 2: condition failed: ");
	assert_has(o, "attempt to compare");
	assert_int_equal(session_cursor(s), 12);
	dbg_free(s);
}

static void test_condition_unknown_field(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	/* alloc events have order, gfp and node, but no pfn. */
	dbg_run(s, "b alloc if pfn == 0", 0);
	dbg_at(s, session_step(s, 1), STOP_BREAKPOINT, 1);
	assert_has(s->stop_msg, "breakpoint 1: condition failed: ");
	assert_has(s->stop_msg, "alloc events have no field 'pfn'");
	dbg_run(s, "delete", 0);
	/* A misspelt field of the right kind, backwards this time. */
	dbg_at(s, session_goto(s, WALK_STEPS), STOP_DONE, WALK_STEPS);
	dbg_run(s, "b merge if ordr == 3", 0);
	rcont(s, STOP_BREAKPOINT, 25);
	assert_has(s->stop_msg, "merge events have no field 'ordr'");
	dbg_free(s);
}

static void test_condition_unknown_field_lists_fields(void **state)
{
	(void)state;
	/* condition.c: "a name the event lacks is an error that lists the
	 * fields it has". */
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "b alloc if pfn == 0", 0);
	dbg_at(s, session_step(s, 1), STOP_BREAKPOINT, 1);
	assert_has(s->stop_msg, "alloc events have no field 'pfn'");
	assert_has(s->stop_msg, "order");
	assert_has(s->stop_msg, "gfp");
	assert_has(s->stop_msg, "node");
	dbg_free(s);
}

static void test_condition_cannot_rename_what_it_reads(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	/* Assigning to kind (a number, or a name no kind has) then reading a
	 * missing field once crashed: the view refuses assignment... */
	dbg_run(s, "b take if (function() kind = 5; return nofield end)()", 0);
	cont(s, STOP_BREAKPOINT, 3);
	assert_has(s->stop_msg, "condition:1: a condition cannot assign (to 'kind')");
	dbg_run(s, "delete", 0);
	/* ...and rawset, which gets past that, changes nothing the error uses. */
	dbg_run(s, "b take if rawset(_ENV, 'kind', 5) and nofield", 0);
	cont(s, STOP_BREAKPOINT, 11);
	assert_has(s->stop_msg, "take events have no field 'nofield'");
	dbg_run(s, "delete", 0);
	dbg_run(s, "b take if rawset(_ENV, 'kind', 'nope') and nofield", 0);
	cont(s, STOP_PAUSE, 12);
	cont(s, STOP_BREAKPOINT, 15);
	assert_has(s->stop_msg, "take events have no field 'nofield'");
	dbg_run(s, "delete", 0);
	dbg_run(s, "b take if setmetatable(_ENV, nil)", 0);
	rcont(s, STOP_PAUSE, 12);
	rcont(s, STOP_BREAKPOINT, 11);
	assert_has(s->stop_msg, "cannot change a protected metatable");
	dbg_free(s);
}

static void test_condition_makes_no_operations(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "b take if alloc_pages(0)", 0);
	cont(s, STOP_BREAKPOINT, 3);
	assert_has(s->stop_msg, "alloc_pages cannot be called from a breakpoint condition");
	dbg_run(s, "delete", 0);
	dbg_run(s, "b take if machine{}", 0);
	cont(s, STOP_BREAKPOINT, 11);
	assert_has(s->stop_msg, "machine cannot be called from a breakpoint condition");
	dbg_run(s, "delete", 0);
	/* The scenario is still attached and runs to its end as before. */
	cont(s, STOP_PAUSE, 12);
	cont(s, STOP_PAUSE, 20);
	cont(s, STOP_END, WALK_STEPS);
	dbg_free(s);
}

static void test_condition_error_object_is_described(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "b take if error({})", 0);
	cont(s, STOP_BREAKPOINT, 3);
	assert_string_equal(s->stop_msg,
			    "breakpoint 1: condition failed: condition:1: the condition raised a table value, not a message");
	dbg_free(s);
}

static void test_condition_has_a_budget_of_its_own(void **state)
{
	(void)state;
	/* A scenario looping on operations: a condition tested at each step must
	 * not give it a new budget, or continue never ends. */
	struct session *s = dbg_open("while true do free_pages(alloc_pages(0)) end\n");
	s->sc->sb.limits.max_instructions = 200000;
	dbg_run(s, "b split if false", 0);
	assert_int_equal(session_continue(s, false), STOP_ERROR);
	assert_has(s->stop_msg, "instruction budget of 200000 instructions used up");
	dbg_check(s);
	/* An endless condition ends by its own budget, not the scenario's. */
	struct session *t = dbg_open(walk_lua);
	dbg_run(t, "b take if (function() while true do end end)()", 0);
	cont(t, STOP_BREAKPOINT, 3);
	assert_has(t->stop_msg, "condition:1: instruction budget of 10000000 instructions used up");
	dbg_run(t, "delete", 0);
	cont(t, STOP_PAUSE, 12);
	dbg_free(t);
	dbg_free(s);
}

static void test_typed_line_keeps_scenario_budget(void **state)
{
	(void)state;
	/* A line typed while a runaway scenario is suspended runs on a budget of
	 * its own: the scenario's count goes on from where it was. */
	struct session *s = dbg_open("while true do free_pages(alloc_pages(0)) end\n");
	s->sc->sb.limits.max_instructions = 200000;
	dbg_run(s, "next 100", 0);
	uint64_t used = s->sc->sb.instructions;
	assert_true(used > 0);
	/* about 40000 instructions; compiling it is charged as memory made */
	dbg_eval(s, "local n = 0 for i = 1, 10000 do n = n + i end", 0);
	assert_true(s->sc->sb.instructions - used < 5000);
	assert_int_equal(session_continue(s, false), STOP_ERROR);
	assert_has(s->stop_msg, "instruction budget of 200000 instructions used up");
	dbg_free(s);
}

static void test_conditions_survive_restart(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "b split if order == 1", 0);
	cont(s, STOP_BREAKPOINT, 6);
	/* A new scenario state: the condition is compiled again. */
	dbg_run(s, "restart", 0);
	assert_int_equal(session_cursor(s), 0);
	cont(s, STOP_BREAKPOINT, 6);
	assert_int_equal(s->bps[0].hits, 2);
	dbg_free(s);
}

static void test_watch_pfn(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	/* The watch sees frame 4's block: its head, and the head's state and
	 * order.  Step 3 takes the order-4 block at 0 (state), step 4 halves it
	 * (order 3), step 5 makes 4 the head of a free order-2 block; then
	 * nothing touches it until the merge with buddy 4 at 24 (head 0 again),
	 * the merge into order 4 at 25, and the put of that block at 26. */
	assert_string_equal(dbg_run(s, "watch pfn 4", 0), "watch 1: frame 0x4\n");
	cont(s, STOP_WATCH, 3);
	/* each stop says what the watched value was and what it is */
	assert_string_equal(s->stop_msg,
			    "watch 1: frame 0x4: free order-4 block at 0x0 -> allocated order-4 block at 0x0");
	cont(s, STOP_WATCH, 4);
	assert_string_equal(s->stop_msg,
			    "watch 1: frame 0x4: allocated order-4 block at 0x0 -> allocated order-3 block at 0x0");
	cont(s, STOP_WATCH, 5);
	assert_string_equal(s->stop_msg,
			    "watch 1: frame 0x4: allocated order-3 block at 0x0 -> free order-2 block at 0x4");
	cont(s, STOP_PAUSE, 12);
	cont(s, STOP_PAUSE, 20);
	cont(s, STOP_WATCH, 24);
	cont(s, STOP_WATCH, 25);
	cont(s, STOP_WATCH, 26);
	cont(s, STOP_END, WALK_STEPS);
	assert_int_equal(s->bps[0].hits, 6);
	/* Backwards, each change is seen on arriving before the step that
	 * made it. */
	rcont(s, STOP_WATCH, 25);
	rcont(s, STOP_WATCH, 24);
	rcont(s, STOP_WATCH, 23);
	rcont(s, STOP_PAUSE, 20);
	rcont(s, STOP_PAUSE, 12);
	rcont(s, STOP_WATCH, 4);
	assert_string_equal(s->stop_msg,
			    "watch 1: frame 0x4: free order-2 block at 0x4 -> allocated order-3 block at 0x0");
	rcont(s, STOP_WATCH, 3);
	rcont(s, STOP_WATCH, 2);
	rcont(s, STOP_START, 0);
	/* A frame nothing touches until the end (15: in the order-3 block at
	 * 8 from step 4 on) stops where its block changes, and only there. */
	dbg_run(s, "delete", 0);
	dbg_run(s, "watch pfn 15", 0);
	cont(s, STOP_WATCH, 3);
	cont(s, STOP_WATCH, 4);
	cont(s, STOP_PAUSE, 12);
	cont(s, STOP_PAUSE, 20);
	cont(s, STOP_WATCH, 25);
	dbg_free(s);
}

static void test_watch_zone(void **state)
{
	(void)state;
	struct session *s = dbg_open(zones_lua);
	/* The Normal zone's free lists change in op 1 (steps 3-6) and op 4
	 * (steps 19-23), never in the DMA operations between. */
	assert_string_equal(dbg_run(s, "watch zone Normal", 0), "watch 1: zone Normal\n");
	uint32_t stops[16], n = 0;
	enum stop_reason r;
	while ((r = session_continue(s, false)) == STOP_WATCH) {
		dbg_check(s);
		assert_true(n < 16);
		stops[n++] = session_cursor(s);
	}
	dbg_at(s, r, STOP_END, 27);
	for (uint32_t i = 0; i < n; i++) {
		struct event e;
		session_event(s, stops[i], &e);
		assert_true((stops[i] >= 3 && stops[i] <= 6) || (stops[i] >= 19 && stops[i] <= 23));
		assert_int_not_equal(e.kind, EV_ALLOC);
	}
	/* take at 3, three splits, and the free that ends with put: the free
	 * list counts change at each split and merge. */
	assert_true(n >= 5);
	assert_int_equal(stops[0], 3);
	assert_int_equal(stops[n - 1], 23);
	/* The DMA zone's watch never fires in Normal's operations. */
	dbg_run(s, "delete", 0);
	dbg_run(s, "watch zone DMA", 0);
	dbg_at(s, session_goto(s, 0), STOP_DONE, 0);
	cont(s, STOP_WATCH, 10);
	dbg_at(s, session_goto(s, 19), STOP_DONE, 19);
	cont(s, STOP_WATCH, 25); /* the free at 24 changes no list; the merge does */
	dbg_free(s);
}

/* disable keeps a breakpoint or watch but stops at none; enable brings it
 * back; both take several ids, or none for all. */
static void test_disable_enable(void **state)
{
	(void)state;
	struct session *s = dbg_open(walk_lua);
	dbg_run(s, "break take", 0);
	dbg_run(s, "watch pfn 4", 0);
	assert_string_equal(dbg_run(s, "disable 1 2", 0), "disabled 1 2\n");
	assert_has(dbg_run(s, "info breakpoints", 0), "  1  break take  (hit 0 times)  disabled\n");
	cont(s, STOP_PAUSE, 12); /* neither stops */
	assert_string_equal(dbg_run(s, "enable 1", 0), "enabled 1\n");
	cont(s, STOP_BREAKPOINT, 15);
	assert_int_equal(s->bps[0].hits, 1);
	assert_int_equal(s->bps[1].hits, 0);
	/* a watch enabled again compares with the value when the motion began */
	dbg_run(s, "disable", 0);
	dbg_run(s, "enable 2", 0);
	cont(s, STOP_PAUSE, 20);
	cont(s, STOP_WATCH, 24);
	assert_string_equal(s->stop_msg,
			    "watch 2: frame 0x4: free order-2 block at 0x4 -> allocated order-3 block at 0x0");
	assert_string_equal(dbg_run(s, "enable 7", -1), "enable: no breakpoint 7\n");
	assert_string_equal(dbg_run(s, "disable 2 x", -1), "disable: no breakpoint x\n");
	assert_string_equal(dbg_run(s, "enable", 0), "enabled every breakpoint and watch\n");
	assert_lacks(dbg_run(s, "info breakpoints", 0), "disabled");
	dbg_free(s);
}

static void test_breakpoint_and_watch_listed(void **state)
{
	(void)state;
	struct session *s = dbg_open(zones_lua);
	dbg_run(s, "b split if zone == 'DMA'", 0);
	dbg_run(s, "watch zone Normal", 0);
	dbg_run(s, "watch pfn 0", 0);
	session_run_all(s);
	dbg_at(s, session_continue(s, false), STOP_WATCH, 3);
	const char *o = dbg_run(s, "info breakpoints", 0);
	assert_string_equal(o, "  1  break split if zone == 'DMA'  (hit 0 times)\n"
			       "  2  watch zone Normal  (hit 1 time)\n"
			       "  3  watch frame 0x0  (hit 0 times)\n");
	dbg_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DBG_TEST(test_break_without_condition),
		DBG_TEST(test_condition_true_and_false),
		DBG_TEST(test_condition_on_enum_and_pfn_fields),
		DBG_TEST(test_condition_over_zone_names),
		DBG_TEST(test_condition_error_stops_with_message),
		DBG_TEST(test_condition_unknown_field),
		DBG_TEST(test_condition_unknown_field_lists_fields),
		DBG_TEST(test_condition_cannot_rename_what_it_reads),
		DBG_TEST(test_condition_makes_no_operations),
		DBG_TEST(test_condition_error_object_is_described),
		DBG_TEST(test_condition_has_a_budget_of_its_own),
		DBG_TEST(test_typed_line_keeps_scenario_budget),
		DBG_TEST(test_conditions_survive_restart),
		DBG_TEST(test_watch_pfn),
		DBG_TEST(test_watch_zone),
		DBG_TEST(test_disable_enable),
		DBG_TEST(test_breakpoint_and_watch_listed),
	};
	return cmocka_run_group_tests(tests, NULL, dbg_group_teardown);
}
