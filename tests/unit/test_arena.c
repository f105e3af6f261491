/* Journaled arenas: allocations and writes undo and redo with the steps
 * that made them, a region reused after a dropped future starts zeroed, and
 * the machine's hash covers what arenas hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "mm/arena.h"

/* One step that allocates `bytes` and writes `value` into its first cell. */
static uint32_t alloc_step(struct machine *m, struct arena *a, uint32_t bytes, uint32_t value)
{
	mm_op_begin(m);
	uint32_t off = arena_alloc(m, a, bytes);
	jset32(&m->j, arena_ptr(a, off), value);
	EMIT(m, EV_MACHINE, 0, 0, 0, 0); /* any kind: a step to undo */
	mm_op_end(m);
	return off;
}

static void test_undo_redo_and_reuse(void **state)
{
	(void)state;
	struct mm_config c = config_mem(1 << 20);
	struct machine *m = boot(&c);
	machine_journal(m, true);
	struct arena a;
	arena_init(m, &a);
	uint64_t h0 = machine_hash(m);
	uint32_t x = alloc_step(m, &a, 64, 7);
	uint32_t y = alloc_step(m, &a, 64, 9);
	assert_int_equal(y, x + 64);
	assert_int_equal(a.used, 128);
	uint64_t h2 = machine_hash(m);
	assert_true(h2 != h0);

	machine_seek(m, 1);
	assert_int_equal(a.used, 64);
	assert_int_equal(*(uint32_t *)arena_ptr(&a, x), 7);
	machine_seek(m, 0);
	assert_int_equal(a.used, 0);
	assert_true(machine_hash(m) == h0);
	machine_seek(m, 2);
	assert_true(machine_hash(m) == h2);

	/* back to step 1, then a new step: y's region is handed out again,
	 * zeroed, though the dropped future had written 9 there */
	machine_seek(m, 1);
	uint32_t z = alloc_step(m, &a, 8, 0);
	assert_int_equal(z, y);
	uint32_t *cell = arena_ptr(&a, z);
	assert_int_equal(cell[0], 0);
	assert_int_equal(cell[1], 0);
	machine_free(m);
}

static void test_chunks_are_never_straddled(void **state)
{
	(void)state;
	struct mm_config c = config_mem(1 << 20);
	struct machine *m = boot(&c);
	struct arena a;
	arena_init(m, &a);
	uint32_t first = arena_alloc(m, &a, ARENA_CHUNK - 8);
	uint32_t second = arena_alloc(m, &a, 64);
	assert_int_equal(first, 0);
	assert_int_equal(second, ARENA_CHUNK); /* the next chunk, not its tail */
	assert_int_equal(a.nchunks, 2);
	machine_free(m);
}

/* More arenas than the first eight are registered, hashed and freed. */
static void test_many_arenas_all_hashed(void **state)
{
	(void)state;
	struct mm_config c = config_mem(1 << 20);
	struct machine *m = boot(&c);
	machine_journal(m, true);
	unsigned before = m->narenas;
	struct arena a[20];
	for (unsigned i = 0; i < 20; i++)
		arena_init(m, &a[i]);
	assert_int_equal(m->narenas, before + 20);
	uint64_t h0 = machine_hash(m);
	alloc_step(m, &a[19], 8, 5);
	assert_true(machine_hash(m) != h0);
	machine_seek(m, 0);
	assert_true(machine_hash(m) == h0);
	machine_free(m); /* ASan: every arena's chunks are freed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undo_redo_and_reuse),
		cmocka_unit_test(test_chunks_are_never_straddled),
		cmocka_unit_test(test_many_arenas_all_hashed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
