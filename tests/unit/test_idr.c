/*
 * Tests for src/mm/idr.c: ids in order from 1 across block boundaries, a
 * machine running more than 256 processes in its life (the old fixed
 * table's size), exited ones keeping their pid, undo across a block's
 * allocation, and the refusal once every id is used.
 */
#include "helpers.h"

#include "mm/idr.h"
#include "mm/procs.h"

/* 1100 fork/exit-like lives: more ids than one block, each pid found. */
static void test_many_processes(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	struct machine *m = boot(&c);
	uint32_t pid = 0;
	for (uint32_t i = 1; i <= IDR_BLOCK + 76; i++) {
		assert_int_equal(process_create(m, "p", &pid), MM_OK);
		assert_int_equal(pid, i);
		if (i % 2)
			assert_int_equal(do_exit(m, pid), MM_OK);
	}
	assert_int_equal(procs_root(m)->tasks.n, IDR_BLOCK + 76);
	assert_non_null(task_by_pid(m, IDR_BLOCK + 76));
	assert_int_equal(task_by_pid(m, IDR_BLOCK + 76)->pid, IDR_BLOCK + 76);
	assert_int_equal(task_by_pid(m, 1)->state, TASK_DEAD);
	assert_non_null(task_mm(m, IDR_BLOCK + 76));
	assert_null(task_by_pid(m, IDR_BLOCK + 77));
	assert_null(task_by_pid(m, 0));
	assert_machine_ok(m);
	machine_free(m);
}

/* Creating the process whose pid opens a new block, undone, leaves the
 * state exactly as it was; redone, the pid is found again. */
static void test_block_undo(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	struct machine *m = boot(&c);
	machine_journal(m, true);
	uint32_t pid;
	for (uint32_t i = 1; i <= IDR_BLOCK; i++)
		assert_int_equal(process_create(m, "p", &pid), MM_OK);
	uint64_t before = machine_hash(m);
	uint32_t at = m->nsteps;
	assert_int_equal(process_create(m, "next", &pid), MM_OK);
	assert_int_equal(pid, IDR_BLOCK + 1);
	uint32_t end = m->nsteps;
	uint64_t after = machine_hash(m);
	machine_seek(m, at);
	assert_true(machine_hash(m) == before);
	assert_null(task_by_pid(m, IDR_BLOCK + 1));
	machine_seek(m, end);
	assert_true(machine_hash(m) == after);
	assert_int_equal(task_by_pid(m, IDR_BLOCK + 1)->pid, IDR_BLOCK + 1);
	assert_machine_ok(m);
	machine_free(m);
}

/* Once IDR_MAX ids are used the table says so (here on a bare table in a
 * machine's arena, not 65536 processes). */
static void test_full(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	struct machine *m = boot(&c);
	struct arena *a = &m->procs->arena;
	uint32_t off = arena_alloc(m, a, sizeof(struct idr));
	struct idr *t = arena_ptr(a, off);
	for (uint32_t i = 1; i <= IDR_MAX; i++)
		assert_int_equal(idr_alloc(m, a, t, i * 8), i);
	assert_int_equal(idr_alloc(m, a, t, 8), 0);
	assert_int_equal(t->n, IDR_MAX);
	assert_int_equal(idr_find(a, t, IDR_MAX), IDR_MAX * 8);
	assert_int_equal(idr_find(a, t, IDR_BLOCK + 1), (IDR_BLOCK + 1) * 8);
	assert_int_equal(idr_find(a, t, IDR_MAX + 1), 0);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_processes),
		cmocka_unit_test(test_block_undo),
		cmocka_unit_test(test_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
