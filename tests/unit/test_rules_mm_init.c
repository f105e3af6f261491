/*
 * machine_new's limits (mm_init.c check_config) at their edges: each limit
 * is accepted where it is reached and refused one past it, with the
 * message naming the limit.  (test_mm_init.c holds the refusals of values
 * far outside; the mutation run found the edges themselves untested.)
 */
#include "helpers.h"

#include <string.h>

static void accepted(const struct mm_config *c)
{
	struct machine *m = boot(c);
	machine_free(m);
}

static void test_max_order_edges(void **state)
{
	(void)state;
	struct mm_config c = config_mem(4 * MiB);
	c.max_order = MAX_ORDER_LIMIT;
	accepted(&c);
	c.max_order = 1;
	accepted(&c);
	c.max_order = MAX_ORDER_LIMIT + 1;
	assert_config_refused(&c, "max_order (the number of orders) must be from 1 to 20, not 21");
	c.max_order = 0;
	assert_config_refused(&c, "max_order (the number of orders) must be from 1 to 20, not 0");
}

static void test_nodes_and_cpus_edges(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.nodes = MAX_NODES;
	accepted(&c);
	c.nodes = MAX_NODES + 1;
	assert_config_refused(&c, "nodes must be from 1 to 64, not 65");
	c.nodes = 0;
	assert_config_refused(&c, "nodes must be from 1 to 64, not 0");
	c = config_mem(64 * MiB);
	c.cpus = 4096;
	accepted(&c);
	c.cpus = 4097;
	assert_config_refused(&c, "cpus must be from 1 to 4096, not 4097");
	c.cpus = 0;
	assert_config_refused(&c, "cpus must be from 1 to 4096, not 0");
	/* one page per node is enough, one fewer is not */
	c = config_mem(4 * 4096);
	c.nodes = 4;
	accepted(&c);
	c.nodes = 5;
	assert_config_refused(&c, "5 nodes need at least one page each");
}

static void test_page_size_reserved_and_min_free_edges(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * KiB);
	c.page_size = 16;
	accepted(&c);
	c = config_mem(1 * MiB);
	c.page_size = 65536;
	accepted(&c);
	c = config_mem(256 * KiB);
	c.reserved = 256 * KiB - 4096;
	accepted(&c);
	c.reserved = 256 * KiB;
	assert_config_refused(&c, "reserved must be a multiple of the page size and less than memory");
	c = config_mem(64 * MiB);
	c.min_free_kbytes = 4 * 1024 * 1024;
	accepted(&c);
	c.min_free_kbytes = 4 * 1024 * 1024 + 1;
	assert_config_refused(&c, "min_free_kbytes is at most 4194304");
	/* the TLB's ways must divide its entries */
	c = config_mem(64 * MiB);
	c.tlb_entries = 8;
	c.tlb_ways = 8;
	accepted(&c);
	c.tlb_ways = 16;
	assert_config_refused(&c, "tlb: 16 ways do not divide 8 entries");
	c.tlb_ways = 3;
	assert_config_refused(&c, "tlb: 3 ways do not divide 8 entries");
}

/* The largest machine: exactly MAX_FRAMES frames (of 16 bytes here, so
 * 512 MiB).  Boot touches only the block heads, so this costs little; the
 * checker, which reads every frame, is not run on it. */
static void test_max_frames_edge(void **state)
{
	(void)state;
	struct mm_config c = config_mem((uint64_t)MAX_FRAMES * 16);
	c.page_size = 16;
	c.max_order = MAX_ORDER_LIMIT;
	c.min_free_kbytes = 0;
	char why[256] = "";
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m)
		fail_msg("machine_new refused %u frames: %s", MAX_FRAMES, why);
	assert_int_equal(m->nr_frames, MAX_FRAMES);
	machine_free(m);
	c.memory += 16;
	assert_config_refused(&c, "memory of 33554433 pages is more than the 33554432 pages memstep models");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_max_frames_edge),
	cmocka_unit_test(test_max_order_edges),
	cmocka_unit_test(test_nodes_and_cpus_edges),
	cmocka_unit_test(test_page_size_reserved_and_min_free_edges),
};

int main(void)
{
	return cmocka_run_group_tests_name("rules_mm_init", tests, NULL, NULL);
}
