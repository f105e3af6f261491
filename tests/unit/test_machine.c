/*
 * src/mm/machine.c: architectures, the default config, finding a pfn's
 * zone and block, zone labels, errors and the state hash.  (Booting is in
 * test_mm_init.c, time travel in test_journal.c.)
 */
#include <string.h>

#include "helpers.h"

static void test_arch_by_name(void **state)
{
	(void)state;
	static const char *const names[] = {"x86_64", "x86_64_la57", "x86", "x86_pae", "arm64", "arm64_48"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct arch *a = arch_by_name(names[i]);
		assert_non_null(a);
		assert_string_equal(a->name, names[i]);
		assert_int_equal(a->page_size, 4096);
	}
	assert_null(arch_by_name("sparc"));
	assert_null(arch_by_name(""));
	assert_null(arch_by_name("X86_64"));
}

static void test_config_default(void **state)
{
	(void)state;
	struct mm_config c;
	memset(&c, 0xa5, sizeof c);
	mm_config_default(&c);
	assert_ptr_equal(c.arch, arch_by_name("x86_64"));
	assert_int_equal(c.memory, 64 * MiB);
	assert_int_equal(c.page_size, 0); /* the arch's */
	assert_int_equal(c.max_order, 11);
	assert_int_equal(c.nodes, 1);
	assert_int_equal(c.cpus, 1);
	assert_false(c.zones_given);
	assert_int_equal(c.min_free_kbytes, -1);
	assert_int_equal(c.reserved, 0);
	struct machine *m = boot(&c);
	assert_int_equal(m->cfg.page_size, 4096);
	assert_int_equal(m->max_order, 11);
	machine_free(m);
}

static void test_arch_has_zone(void **state)
{
	(void)state;
	struct mm_config c = config_mem(256 * KiB);
	struct machine *m = boot(&c);
	assert_true(arch_has_zone(m, ZONE_DMA32));
	assert_false(arch_has_zone(m, ZONE_HIGHMEM));
	machine_free(m);
	c.arch = arch_by_name("x86");
	m = boot(&c);
	assert_false(arch_has_zone(m, ZONE_DMA32));
	assert_true(arch_has_zone(m, ZONE_HIGHMEM));
	machine_free(m);
}

/* Default 64M: DMA [0,4096), DMA32 [4096,16384). */
static void test_pfn_zone(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	assert_ptr_equal(pfn_zone(m, 0), machine_zone(m, 0, ZONE_DMA));
	assert_ptr_equal(pfn_zone(m, 4095), machine_zone(m, 0, ZONE_DMA));
	assert_ptr_equal(pfn_zone(m, 4096), machine_zone(m, 0, ZONE_DMA32));
	assert_ptr_equal(pfn_zone(m, 16383), machine_zone(m, 0, ZONE_DMA32));
	assert_null(pfn_zone(m, 16384));
	assert_null(pfn_zone(m, PFN_NONE));
	machine_free(m);
}

/* The classic 16 frames after one order-0 allocation: allocated 0; free
 * 1 (o0), 2 (o1), 4 (o2), 8 (o3). */
static void test_block_head(void **state)
{
	(void)state;
	struct mm_config c = config_mem(1 * MiB);
	c.page_size = 65536;
	struct machine *m = boot(&c);
	for (uint32_t p = 0; p < 16; p++)
		assert_int_equal(block_head(m, p), 0);
	must_alloc(m, 0, GFP_KERNEL);
	static const uint32_t head[16] = {0, 1, 2, 2, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 8};
	for (uint32_t p = 0; p < 16; p++)
		assert_int_equal(block_head(m, p), head[p]);
	machine_free(m);
}

static void test_zone_label(void **state)
{
	(void)state;
	char buf[32];
	struct mm_config c = config_mem(64 * MiB);
	struct machine *m = boot(&c);
	assert_string_equal(zone_label(m, ZONE_DMA32, buf, sizeof buf), "DMA32");
	machine_free(m);
	c.nodes = 2;
	m = boot(&c);
	assert_string_equal(zone_label(m, ZONE_DMA32, buf, sizeof buf), "node0/DMA32");
	assert_string_equal(zone_label(m, MAX_NR_ZONES + ZONE_NORMAL, buf, sizeof buf), "node1/Normal");
	machine_free(m);
}

static void test_mm_error(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(256 * KiB)});
	assert_int_equal(mm_error(m, "pfn 0x%x is %s", 5u, "odd"), MM_EINVAL);
	assert_string_equal(m->error, "pfn 0x5 is odd");
	machine_free(m);
}

/* Identical machines hash alike; one changed cell changes the hash. */
static void test_hash_identifies_state(void **state)
{
	(void)state;
	struct mm_config c = config_mem(256 * KiB);
	struct machine *a = boot(&c), *b = boot(&c);
	assert_true(machine_hash(a) == machine_hash(b));
	must_alloc(a, 0, GFP_KERNEL);
	assert_true(machine_hash(a) != machine_hash(b));
	must_alloc(b, 0, GFP_KERNEL);
	assert_true(machine_hash(a) == machine_hash(b));
	uint64_t h = machine_hash(a);
	a->zones[0].wmark[WMARK_LOW]++;
	assert_true(machine_hash(a) != h);
	a->zones[0].wmark[WMARK_LOW]--;
	a->frames[63].freed ^= 1;
	assert_true(machine_hash(a) != h);
	machine_free(a);
	machine_free(b);
}

/* Operations and steps are counted; an operation is one API call that
 * took steps. */
static void test_counts_steps_and_operations(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(256 * KiB)});
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	uint32_t pfn = must_alloc(m, 0, GFP_KERNEL);
	assert_int_equal(m->nops, 1);
	assert_int_equal(m->nsteps, r.n);
	must_free(m, pfn, 0);
	assert_int_equal(m->nops, 2);
	assert_int_equal(m->nsteps, r.n);
	assert_int_equal(r.ev[r.n - 1].op, 2);
	assert_int_equal(r.ev[r.n - 1].step, r.n);
	machine_free(m);
	recorder_free(&r);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_arch_by_name),
	cmocka_unit_test(test_config_default),
	cmocka_unit_test(test_arch_has_zone),
	cmocka_unit_test(test_pfn_zone),
	cmocka_unit_test(test_block_head),
	cmocka_unit_test(test_zone_label),
	cmocka_unit_test(test_mm_error),
	cmocka_unit_test(test_hash_identifies_state),
	cmocka_unit_test(test_counts_steps_and_operations),
};

int main(void)
{
	return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}
