/*
 * Slab and kmalloc handles across time travel: a handle whose allocation,
 * or whose cache, was undone by going back says which, and names the
 * cache it had, even after the records it pointed at were reused; `goto 0`
 * after a large kmalloc leaves the frames as they were at boot.
 */
#include <string.h>

#include "dbg.h"
#include "mm/machine.h"

static void test_undone_allocation_is_named(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	dbg_run(s, "o = kmalloc(64)", 0);
	dbg_run(s, "goto 0", 0);
	assert_has(dbg_run(s, "kfree(o)", -1), "object 0xffff888001000000 of cache kmalloc-64 no longer exists "
						 "(its allocation at step 17 was undone: this is step 0)");
	dbg_free(s);
}

static void test_undone_cache_is_named_after_reuse(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	dbg_run(s, "x = kmem_cache_create('x', 100)", 0);
	dbg_run(s, "y = kmem_cache_alloc(x)", 0);
	dbg_run(s, "goto 0", 0);
	/* new records take the undone cache's and slab's places */
	dbg_run(s, "for i = 1, 40 do kmalloc(100) end", 0);
	const char *out = dbg_run(s, "kfree(y)", -1);
	assert_has(out, "of cache x no longer exists (the cache's creation was undone)");
	assert_lacks(out, "cache ?");
	assert_lacks(out, "double free");
	dbg_free(s);
}

static void test_goto_0_after_large_kmalloc(void **state)
{
	(void)state;
	struct session *s = dbg_new();
	uint64_t booted = machine_hash(session_machine(s));
	dbg_run(s, "b = kmalloc('64K')", 0);
	assert_string_equal(dbg_run(s, "frame(b.pfn).state", 0), "kmalloc\n");
	dbg_run(s, "goto 0", 0);
	dbg_check(s);
	assert_true(machine_hash(session_machine(s)) == booted);
	dbg_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DBG_TEST(test_undone_allocation_is_named),
		DBG_TEST(test_undone_cache_is_named_after_reuse),
		DBG_TEST(test_goto_0_after_large_kmalloc),
	};
	return cmocka_run_group_tests(tests, NULL, dbg_group_teardown);
}
