/*
 * src/mm/journal.c and the time-travel half of machine.c: every step can be
 * undone and redone exactly (machine_seek), the history can be cut at the
 * cursor (machine_truncate, or implicitly by a new operation), and what is
 * recorded reads back as the events that were emitted (machine_event_at).
 *
 * The state at each step is identified by machine_hash(), recorded by a
 * listener right after the step, when the checker also runs.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

/* 4 MiB of 4K pages = 1024 frames (all DMA), 6 orders: cheap to check. */
static struct machine *small_journaled(void)
{
	struct mm_config c = config_textbook(4 * MiB);
	c.max_order = 6;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	return m;
}

/* A random walk of allocations (orders 0..3) and frees of held blocks. */
struct walk {
	uint64_t seed;
	unsigned n;
	uint32_t pfn[1024];
	uint8_t order[1024];
};

static void random_op(struct machine *m, struct walk *w)
{
	uint64_t r = xorshift64(&w->seed);
	if (w->n && r % 100 < 45) {
		unsigned i = (unsigned)((r >> 8) % w->n);
		int order = (r >> 20) & 1 ? w->order[i] : -1;
		must_free(m, w->pfn[i], order);
		w->n--;
		w->pfn[i] = w->pfn[w->n];
		w->order[i] = w->order[w->n];
		return;
	}
	unsigned order = (unsigned)((r >> 8) % 4);
	uint32_t gfp = (r >> 16) % 4 == 0 ? GFP_ATOMIC : GFP_KERNEL;
	uint32_t pfn;
	int rc = alloc_pages(m, order, gfp, -1, &pfn);
	assert_int_not_equal(rc, MM_EINVAL);
	if (rc == MM_OK) {
		assert_true(w->n < 1024);
		w->pfn[w->n] = pfn;
		w->order[w->n] = (uint8_t)order;
		w->n++;
	}
}

static void run_ops(struct machine *m, struct walk *w, unsigned ops)
{
	for (unsigned i = 0; i < ops; i++)
		random_op(m, w);
}

/* Seek and assert the state is the one recorded for that step. */
static void seek_and_compare(struct machine *m, const struct recorder *r, uint32_t step)
{
	machine_seek(m, step);
	assert_int_equal(m->j.cursor, step);
	assert_int_equal(m->nsteps, step);
	assert_int_equal(m->nops, step ? r->ev[step - 1].op : 0);
	if (machine_hash(m) != r->hashes[step])
		fail_msg("after seeking to step %u the state differs from the one recorded", step);
	assert_machine_ok(m);
}

static void assert_same_event(const struct event *a, const struct event *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->step, b->step);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->line, b->line);
	assert_memory_equal(a->f, b->f, sizeof a->f);
}

/*
 * 100 000 steps of random alloc/free with the checker after each, then
 * random jumps back and forth, to both ends and one step at a time: every
 * position must give back exactly the recorded state.
 */
static void test_random_walk_round_trips(void **state)
{
	(void)state;
	struct machine *m = small_journaled();
	struct recorder r = {.keep = true, .check = true, .hash = true};
	recorder_attach(m, &r);
	struct walk w = {.seed = 0x9e3779b97f4a7c15ull};
	while (m->j.nsteps < 100000)
		random_op(m, &w);
	uint32_t end = m->j.nsteps;
	assert_int_equal(m->nsteps, end);
	assert_int_equal(r.n, end);
	assert_int_equal(r.nhash, (size_t)end + 1);
	assert_int_equal(m->j.nops, m->nops);
	/* The walk went through out-of-memory, merges and tail placement. */
	assert_true(find_kind(&r, 0, EV_FAIL) < r.n);
	assert_true(find_kind(&r, 0, EV_MERGE) < r.n);
	assert_true(find_kind(&r, 0, EV_SLOWPATH) < r.n);

	/* What the journal recorded reads back as the events emitted. */
	for (uint32_t s = 0; s < end; s++) {
		struct event e;
		machine_event_at(m, s, &e);
		assert_same_event(&e, &r.ev[s]);
	}

	seek_and_compare(m, &r, 0);
	seek_and_compare(m, &r, end);
	uint64_t rng = 42;
	for (int i = 0; i < 1000; i++)
		seek_and_compare(m, &r, (uint32_t)(xorshift64(&rng) % (end + 1)));
	seek_and_compare(m, &r, end);
	for (uint32_t s = end; s-- > end - 2000;)
		seek_and_compare(m, &r, s);
	for (uint32_t s = end - 2000; s <= end; s++)
		seek_and_compare(m, &r, s);
	seek_and_compare(m, &r, 0);
	/* Past the end: the cursor stops at the last step. */
	machine_seek(m, end + 10);
	assert_int_equal(m->j.cursor, end);
	assert_true(machine_hash(m) == r.hashes[end]);
	machine_free(m);
	recorder_free(&r);
}

/*
 * Cut the history after 100 operations and carry on: the result must be
 * what a machine that only ever did those 100 operations does next, event
 * for event (steps and operations numbered on from the cut).
 */
static void test_truncate_then_continue(void **state)
{
	(void)state;
	struct machine *a = small_journaled(), *b = small_journaled();
	struct recorder ra = {.keep = true, .check = true, .hash = true};
	struct recorder rb = {.keep = true, .check = true};
	recorder_attach(a, &ra);
	recorder_attach(b, &rb);
	struct walk wa = {.seed = 7}, wb = {.seed = 7};

	run_ops(a, &wa, 100);
	uint32_t cut = a->j.nsteps;
	uint64_t hash_at_cut = machine_hash(a);
	struct walk saved = wa;
	run_ops(a, &wa, 100);
	uint32_t end = a->j.nsteps;
	assert_int_equal(a->j.nops, 200);

	machine_seek(a, cut);
	assert_true(machine_hash(a) == hash_at_cut);
	assert_int_equal(machine_truncate(a), end - cut);
	assert_int_equal(a->j.nsteps, cut);
	assert_int_equal(a->j.nops, 100);
	assert_int_equal(a->nops, 100);
	assert_int_equal(machine_truncate(a), 0); /* nothing left to drop */

	run_ops(b, &wb, 100);
	assert_true(machine_hash(b) == hash_at_cut);
	ra.n = cut; /* forget the dropped events */
	rb.n = cut;
	wa = saved;
	run_ops(a, &wa, 100);
	run_ops(b, &wb, 100);
	assert_int_equal(a->j.nsteps, b->j.nsteps);
	assert_int_equal(ra.n, rb.n);
	for (size_t i = cut; i < ra.n; i++)
		assert_same_event(&ra.ev[i], &rb.ev[i]);
	assert_true(machine_hash(a) == machine_hash(b));

	/* The new history travels like the old. */
	seek_and_compare(a, &ra, cut);
	seek_and_compare(a, &ra, 0);
	seek_and_compare(a, &ra, a->j.nsteps);
	machine_free(a);
	machine_free(b);
	recorder_free(&ra);
	recorder_free(&rb);
}

/* Boot, 50 operations, remember the state, 50 more, seek back to the
 * remembered step. */
struct past {
	struct machine *m;
	struct recorder r;
	uint32_t cut, end;
	uint64_t hash_at_cut, hash_at_end;
};

static void go_to_past(struct past *p)
{
	p->m = small_journaled();
	p->r = (struct recorder){.keep = true, .check = true, .hash = true};
	recorder_attach(p->m, &p->r);
	struct walk w = {.seed = 99};
	run_ops(p->m, &w, 50);
	p->cut = p->m->j.nsteps;
	p->hash_at_cut = machine_hash(p->m);
	run_ops(p->m, &w, 50);
	p->end = p->m->j.nsteps;
	p->hash_at_end = machine_hash(p->m);
	machine_seek(p->m, p->cut);
	assert_true(machine_hash(p->m) == p->hash_at_cut);
}

static void leave_past(struct past *p)
{
	machine_free(p->m);
	recorder_free(&p->r);
}

/* An operation made in the past drops the later steps by itself; its
 * events are numbered on from the cursor. */
static void test_new_operation_in_the_past_truncates(void **state)
{
	(void)state;
	struct past p;
	go_to_past(&p);
	size_t first = p.r.n;
	must_alloc(p.m, 0, GFP_KERNEL);
	assert_int_equal(p.r.ev[first].step, p.cut + 1);
	assert_int_equal(p.r.ev[first].op, 51);
	assert_int_equal(p.m->j.nops, 51);
	assert_int_equal(p.m->j.nsteps, p.cut + (p.r.n - first));
	assert_int_equal(p.m->j.cursor, p.m->j.nsteps);
	struct event e;
	machine_event_at(p.m, p.cut, &e);
	assert_same_event(&e, &p.r.ev[first]);
	leave_past(&p);
}

/*
 * A rejected call in the past is no operation: it must keep the future
 * (a student's typo should not destroy the history they are exploring).
 */
static void test_rejected_call_in_the_past_keeps_the_future(void **state)
{
	(void)state;
	struct past p;
	go_to_past(&p);
	struct snapshot before = snap(p.m, &p.r);
	uint32_t pfn;
	assert_int_equal(alloc_pages(p.m, 99, GFP_KERNEL, -1, &pfn), MM_EINVAL);
	assert_int_equal(alloc_pages(p.m, 0, GFP_KERNEL, 5, &pfn), MM_EINVAL);
	assert_int_equal(free_pages(p.m, UINT32_MAX, -1), MM_EINVAL);
	assert_int_equal(free_pages(p.m, 0, 99), MM_EINVAL);
	assert_unchanged(p.m, &p.r, &before);
	assert_int_equal(p.m->j.nsteps, p.end);
	machine_seek(p.m, p.end);
	assert_true(machine_hash(p.m) == p.hash_at_end);
	leave_past(&p);
}

/* Running out of memory is an operation (it has steps): in the past it
 * drops the future like any other.  64 frames, no watermark: op 1 takes
 * the whole order-6 block, op 2 frees it; back after op 1, an order-0
 * request finds nothing. */
static void test_nomem_in_the_past_truncates(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(256 * KiB);
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	assert_int_equal(must_alloc(m, 6, GFP_KERNEL), 0);
	uint32_t cut = m->j.nsteps;
	must_free(m, 0, 6);
	machine_seek(m, cut);
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, -1, &pfn), MM_NOMEM);
	/* the failed allocation, then the kswapd it woke */
	assert_int_equal(m->j.nops, 3);
	assert_int_equal(m->j.ops[1].first_step, cut);
	assert_int_equal(m->j.cursor, m->j.nsteps);
	struct event e;
	machine_event_at(m, cut, &e);
	assert_int_equal(e.kind, EV_ALLOC);
	machine_event_at(m, m->j.ops[2].first_step - 1, &e);
	assert_int_equal(e.kind, EV_FAIL);
	machine_event_at(m, m->j.nsteps - 1, &e);
	assert_int_equal(e.kind, EV_KSWAPD_SLEEP);
	machine_free(m);
}

/* The cursor may sit inside an operation: the state is the one after that
 * step, and the operation counter is that step's. */
static void test_seek_inside_an_operation(void **state)
{
	(void)state;
	struct machine *m = small_journaled();
	struct recorder r = {.keep = true, .check = true, .hash = true};
	recorder_attach(m, &r);
	/* The first order-0 allocation splits the first order-5 block down
	 * to order 0: alloc watermark take split*5 done. */
	must_alloc(m, 0, GFP_KERNEL);
	must_alloc(m, 0, GFP_KERNEL);
	assert_kinds(&r, 0, 9, "alloc watermark take split split split split split done");
	for (uint32_t s = 0; s <= m->j.nsteps; s++)
		seek_and_compare(m, &r, s);
	seek_and_compare(m, &r, 4); /* after the first split */
	assert_int_equal(m->nops, 1);
	/* Half of the split done: block 0 is an allocated order-4 head and
	 * 16 its free buddy, so the model is consistent mid-operation. */
	assert_int_equal(frame_state(&m->frames[16]), FS_FREE);
	assert_int_equal(frame_order(&m->frames[0]), 4);
	machine_free(m);
	recorder_free(&r);
}

/* With the journal off nothing is recorded, and switching it off forgets
 * the history (records, steps, operations and cursor). */
static void test_journal_off(void **state)
{
	(void)state;
	struct machine *m = small_journaled();
	struct walk w = {.seed = 3};
	run_ops(m, &w, 20);
	assert_true(m->j.nsteps > 0);
	assert_true(m->j.nrb > 0);
	uint32_t steps = m->nsteps;
	machine_journal(m, false);
	assert_int_equal(m->j.nsteps, 0);
	assert_int_equal(m->j.nrb, 0);
	assert_int_equal(m->j.nops, 0);
	assert_int_equal(m->j.cursor, 0);
	run_ops(m, &w, 20);
	assert_int_equal(m->j.nsteps, 0);
	assert_int_equal(m->j.nrb, 0);
	assert_true(m->nsteps > steps);
	assert_machine_ok(m);
	machine_free(m);
}

/* Boot itself is not journaled: the first step undoes to the booted state. */
static void test_boot_is_step_zero(void **state)
{
	(void)state;
	struct machine *m = small_journaled();
	uint64_t booted = machine_hash(m);
	assert_int_equal(m->j.nrb, 0);
	must_alloc(m, 3, GFP_KERNEL);
	assert_true(machine_hash(m) != booted);
	machine_seek(m, 0);
	assert_true(machine_hash(m) == booted);
	assert_int_equal(m->nops, 0);
	machine_free(m);
}

#ifndef NDEBUG
/* Run `stray` in a child; true when it died of an assertion (SIGABRT). */
static bool aborts(void (*stray)(struct machine *m))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(2); /* the assertion's message is expected */
		struct machine *m = small_journaled();
		stray(m);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void write_after_last_step(struct machine *m)
{
	mm_op_begin(m);
	EMIT(m, EV_MACHINE, 1, 2, 3, 4);
	jset32(&m->j, &m->zones[0].free_pages, 7); /* after the op's last step */
	mm_op_end(m);
}

static void write_outside_an_op(struct machine *m)
{
	must_alloc(m, 0, GFP_KERNEL);
	jset32(&m->j, &m->zones[0].free_pages, 7);
}

static void write_inside_a_step(struct machine *m)
{
	mm_op_begin(m);
	jset32(&m->j, &m->zones[0].free_pages, 7); /* before the step that owns it: fine */
	EMIT(m, EV_MACHINE, 1, 2, 3, 4);
	mm_op_end(m);
}

/* Test builds refuse a journal record that belongs to no step. */
static void test_stray_records_abort(void **state)
{
	(void)state;
	assert_true(aborts(write_after_last_step));
	assert_true(aborts(write_outside_an_op));
	assert_false(aborts(write_inside_a_step));
}
#endif
static void test_seek_before_any_record(void **state)
{
	(void)state;
	/* No record array exists yet: seeking must not offset a NULL pointer
	 * (UBSan under clang caught it), and changes nothing. */
	struct machine *m = small_journaled();
	assert_null(m->j.rb);
	uint64_t h = machine_hash(m);
	machine_seek(m, 0);
	machine_seek(m, 5);
	assert_int_equal(m->j.cursor, 0);
	assert_true(machine_hash(m) == h);
	machine_free(m);
}

static void test_full_journal_stops_recording(void **state)
{
	(void)state;
	/* journal.c's stop(), as a failed growth calls it (the 40-bit record
	 * offset overflowing takes the same path): recording ends at the last
	 * step, the machine goes on, and no seek moves the state any more. */
	struct machine *m = small_journaled();
	uint32_t a = must_alloc(m, 2, GFP_KERNEL);
	uint32_t steps = m->j.nsteps;
	size_t nrb = m->j.nrb;
	m->j.nrb = (size_t)1 << 40; /* the next record cannot be indexed */
	m->j.caprb = m->j.nrb;
	journal_grow_rec(&m->j);
	m->j.nrb = nrb;
	assert_true(m->j.full);
	assert_false(m->j.on);
	must_free(m, a, 2);
	uint32_t b = must_alloc(m, 0, GFP_KERNEL);
	assert_int_equal(m->j.nsteps, steps);
	uint64_t h = machine_hash(m);
	machine_seek(m, 0);
	assert_true(machine_hash(m) == h);
	assert_machine_ok(m);
	must_free(m, b, 0);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
#ifndef NDEBUG
	cmocka_unit_test(test_stray_records_abort),
#endif
	cmocka_unit_test(test_random_walk_round_trips),
	cmocka_unit_test(test_truncate_then_continue),
	cmocka_unit_test(test_new_operation_in_the_past_truncates),
	cmocka_unit_test(test_rejected_call_in_the_past_keeps_the_future),
	cmocka_unit_test(test_nomem_in_the_past_truncates),
	cmocka_unit_test(test_seek_inside_an_operation),
	cmocka_unit_test(test_journal_off),
	cmocka_unit_test(test_boot_is_step_zero),
	cmocka_unit_test(test_seek_before_any_record),
	cmocka_unit_test(test_full_journal_stops_recording),
};

int main(void)
{
	return cmocka_run_group_tests_name("journal", tests, NULL, NULL);
}
