/*
 * The journal's promise (journal.c, machine.c): an event read back from the
 * history is the event the machine emitted (kind, step, operation, scenario
 * line, fields), and a seek puts the operation count where it was when that
 * step was taken; truncating keeps the operations before the cursor and
 * numbers the next one after them.
 */
#include "helpers.h"

#include <string.h>

static void assert_same_event(const struct event *a, const struct event *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->step, b->step);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->line, b->line);
	assert_memory_equal(a->f, b->f, ev_kinds[a->kind].nfields * sizeof a->f[0]);
}

/* Three operations from lines 10, 20 and 30: two allocations and a free. */
static struct machine *three_ops(struct recorder *r, uint32_t *pfn)
{
	struct mm_config c = config_mem(256 * KiB);
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	memset(r, 0, sizeof *r);
	r->keep = r->check = true;
	recorder_attach(m, r);
	m->origin = 10;
	pfn[0] = must_alloc(m, 0, GFP_KERNEL);
	m->origin = 20;
	pfn[1] = must_alloc(m, 2, GFP_KERNEL);
	m->origin = 30;
	must_free(m, pfn[0], 0);
	assert_int_equal(m->nops, 3);
	return m;
}

static void test_history_replays_the_live_events(void **state)
{
	(void)state;
	struct recorder r;
	uint32_t pfn[2];
	struct machine *m = three_ops(&r, pfn);
	assert_int_equal(r.n, m->nsteps);
	assert_int_equal(r.ev[0].op, 1);
	assert_int_equal(r.ev[0].line, 10);
	assert_int_equal(r.ev[r.n - 1].op, 3);
	assert_int_equal(r.ev[r.n - 1].line, 30);
	for (uint32_t s = 0; s < m->nsteps; s++) {
		struct event e;
		machine_event_at(m, s, &e);
		assert_same_event(&e, &r.ev[s]);
	}
	recorder_free(&r);
	machine_free(m);
}

static void test_seek_restores_the_operation_count(void **state)
{
	(void)state;
	struct recorder r;
	uint32_t pfn[2];
	struct machine *m = three_ops(&r, pfn);
	m->listener = NULL;
	for (uint32_t s = m->nsteps; s-- > 0;) {
		machine_seek(m, s + 1);
		assert_int_equal(m->nops, r.ev[s].op);
		assert_machine_ok(m);
	}
	machine_seek(m, 0);
	assert_int_equal(m->nops, 0);
	recorder_free(&r);
	machine_free(m);
}

/*
 * Back inside the second operation, at a step whose kind has fewer fields
 * than the one before it, a new operation drops the steps after the
 * cursor, keeps operations 1 and 2 (their events and fields intact), and
 * is operation 3.
 */
static void test_truncate_keeps_earlier_operations(void **state)
{
	(void)state;
	struct recorder r;
	uint32_t pfn[2];
	struct machine *m = three_ops(&r, pfn);
	uint32_t cursor = 1;
	while (!(r.ev[cursor - 1].op == 2 && r.ev[cursor].op == 2 &&
		 ev_kinds[r.ev[cursor - 1].kind].nfields > ev_kinds[r.ev[cursor].kind].nfields))
		cursor++;
	struct event kept[64];
	assert_true(cursor <= 64);
	memcpy(kept, r.ev, cursor * sizeof *kept);
	machine_seek(m, cursor);
	recorder_clear(&r);
	m->origin = 40;
	must_alloc(m, 0, GFP_KERNEL);
	assert_int_equal(m->nops, 3);
	assert_int_equal(m->j.nops, 3);
	assert_int_equal(r.ev[0].op, 3);
	assert_int_equal(r.ev[0].step, cursor + 1);
	assert_int_equal(m->nsteps, cursor + r.n);
	for (uint32_t s = 0; s < m->nsteps; s++) {
		struct event e;
		machine_event_at(m, s, &e);
		assert_same_event(&e, s < cursor ? &kept[s] : &r.ev[s - cursor]);
	}
	recorder_free(&r);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_history_replays_the_live_events),
	cmocka_unit_test(test_seek_restores_the_operation_count),
	cmocka_unit_test(test_truncate_keeps_earlier_operations),
};

int main(void)
{
	return cmocka_run_group_tests_name("rules_journal", tests, NULL, NULL);
}
