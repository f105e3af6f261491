/* NUMA (src/mm/numa.c, mempolicy.c): zonelist order from a distance
 * matrix worked by hand through find_next_best_node, distance tables
 * refused, zone_statistics' counters and the numastat file, the policies'
 * choice of node for faults (interleave order, bind, preferred), bad
 * policies refused with nothing changed, undo and redo. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/numa.h"
#include "mm/pgtable.h"
#include "mm/proc.h"
#include "mm/procs.h"

static struct mm_config four_nodes(unsigned cpus)
{
	struct mm_config c = config_mem(64 * MiB);
	c.nodes = 4;
	c.cpus = cpus;
	static const uint8_t d[4][4] = {{10, 20, 30, 40}, {20, 10, 20, 30}, {30, 20, 10, 20}, {40, 30, 20, 10}};
	c.distance_n = 4;
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			c.distance[a][b] = d[a][b];
	return c;
}

static void assert_order(const struct machine *m, unsigned local, const char *want)
{
	char got[64] = "";
	for (unsigned i = 0; i < m->nr_nodes; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%u", i ? " " : "", numa_zonelist_node(m, local, i));
	assert_string_equal(got, want);
}

/* One CPU per node.  Node 1: candidates 0 (20, +1 below, +1 cpus = 22),
 * 2 (21, load 1 from node 0's walk) and 3 (31): 2, then 0 (same distance
 * group: no load), then 3.  Node 2: 3 (21 * 64 + 2) before 1 (22 * 64 +
 * 1) before 0 (32). */
static void test_zonelist_by_distance(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){four_nodes(4)});
	assert_order(m, 0, "0 1 2 3");
	assert_order(m, 1, "1 2 0 3");
	assert_order(m, 2, "2 3 1 0");
	assert_order(m, 3, "3 2 1 0");
	assert_int_equal(node_distance(m, 1, 3), 30);
	machine_free(m);
	/* equal distances, only node 0 with a CPU: node 2 takes 3 (20), then 1
	 * (21: below it), then 0 (22: below it and with CPUs) */
	struct mm_config c = config_mem(64 * MiB);
	c.nodes = 4;
	m = boot(&c);
	assert_order(m, 1, "1 2 3 0");
	assert_order(m, 2, "2 3 1 0");
	assert_int_equal(node_distance(m, 0, 3), 20);
	machine_free(m);
}

static void test_bad_distances_refused(void **state)
{
	(void)state;
	struct mm_config c = four_nodes(4);
	c.distance[1][2] = 25;
	assert_config_refused(&c, "distance: not symmetric: node 1 to 2 is 25, node 2 to 1 is 20");
	c = four_nodes(4);
	c.distance[2][2] = 0;
	assert_config_refused(&c, "distance: node 2 to itself must be 10, not 0");
	c = four_nodes(4);
	c.distance[0][3] = c.distance[3][0] = 10;
	assert_config_refused(&c, "distance: node 0 to node 3 is 10; a remote distance is 11..254");
	c = four_nodes(4);
	c.nodes = 2;
	assert_config_refused(&c, "distance: a 4x4 table for 2 node(s)");
}

/* An allocation from CPU 0 on node 1 is a hit there, and "other"; one
 * that falls back from node 1 to node 0 is a miss on node 0 and foreign
 * on node 1. */
static void test_zone_statistics(void **state)
{
	(void)state;
	struct mm_config c = config_mem(64 * MiB);
	c.nodes = 2;
	c.zones_given = true;
	c.zone_size[ZONE_DMA] = 16 * MiB;
	c.zone_size[ZONE_DMA32] = 16 * MiB;
	c.zone_size[ZONE_NORMAL] = 32 * MiB;
	struct machine *m = boot(&c);
	unsigned n1 = machine_zone(m, 1, ZONE_NORMAL)->id, n0 = machine_zone(m, 0, ZONE_DMA32)->id;
	uint64_t before_hit = numa_stats(m, n1)[NUMA_HIT], before_other = numa_stats(m, n1)[NUMA_OTHER];
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, 1, &pfn), MM_OK);
	assert_int_equal(numa_stats(m, n1)[NUMA_HIT], before_hit + 1);
	assert_int_equal(numa_stats(m, n1)[NUMA_OTHER], before_other + 1);
	/* drain node 1's Normal until its watermark sends a page to node 0 */
	for (int i = 0; i < 9000 && pfn_zone(m, pfn)->node == 1; i++)
		assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, 1, &pfn), MM_OK);
	assert_int_equal(pfn_zone(m, pfn)->id, n0);
	assert_int_equal(numa_stats(m, n0)[NUMA_MISS], 1);
	assert_int_equal(numa_stats(m, n1)[NUMA_FOREIGN], 1);
	struct strbuf sb = {0};
	assert_int_equal(mm_proc(m, "node1/numastat", &sb), 0);
	assert_non_null(strstr(sb.s, "\nnuma_foreign 1\ninterleave_hit 0\nlocal_node 0\n"));
	assert_int_equal(strncmp(sb.s, "numa_hit ", 9), 0);
	strbuf_free(&sb);
	assert_int_equal(mm_proc(m, "node2/numastat", &sb), -1);
	assert_int_equal(mm_proc(m, "node0/distance", &sb), 0);
	assert_string_equal(sb.s, "10 20\n");
	strbuf_free(&sb);
	assert_machine_ok(m);
	machine_free(m);
}

/* A task with an anonymous mapping of `pages` pages at *a. */
static uint32_t task_with_mapping(struct machine *m, unsigned pages, uint64_t *a)
{
	uint32_t pid;
	assert_int_equal(process_create(m, "numa", &pid), MM_OK);
	assert_int_equal(do_mmap(m, pid, 0, pages * 4096ull, PROT_R | PROT_W, MAP_PRIVATE | MAP_ANONYMOUS, a), MM_OK);
	return pid;
}

static uint32_t fault_node(struct machine *m, uint32_t pid, uint64_t va)
{
	struct fault_result r;
	assert_int_equal(handle_access(m, pid, va, ACC_WRITE, 1, &r), MM_OK);
	uint64_t e = pt_leaf_entry(m, task_mm(m, pid)->asid, va);
	return pfn_zone(m, pte_pfn(m, e))->node;
}

/* Interleave over {0, 1, 3}: page i of the VMA (index vm_pgoff + i) goes
 * to the ((pgoff + i) mod 3)-th node of the set. */
static void test_policies_choose_the_node(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){four_nodes(4)});
	machine_journal(m, true);
	uint64_t a;
	uint32_t pid = task_with_mapping(m, 32, &a);
	assert_int_equal(fault_node(m, pid, a), 0); /* default: local, CPU 0's node */
	assert_int_equal(set_mempolicy(m, pid, MPOL_INTERLEAVE, 0xb), MM_OK);
	const unsigned set[3] = {0, 1, 3};
	uint64_t first = a >> 12; /* anonymous: vm_pgoff is the address in pages */
	for (unsigned i = 1; i <= 6; i++)
		assert_int_equal(fault_node(m, pid, a + i * 4096), set[(first + i) % 3]);
	assert_int_equal(set_task_cpu(m, pid, 2), MM_OK);
	assert_int_equal(set_mempolicy(m, pid, MPOL_BIND, 1u << 1 | 1u << 3), MM_OK);
	/* from node 2 the zonelist is 2 3 1 0: bound to {1, 3}, node 3 first */
	assert_int_equal(fault_node(m, pid, a + 10 * 4096), 3);
	assert_int_equal(mbind(m, pid, a + 16 * 4096, 4 * 4096, MPOL_PREFERRED, 1u << 1), MM_OK);
	assert_int_equal(fault_node(m, pid, a + 17 * 4096), 1);
	assert_int_equal(set_mempolicy(m, pid, MPOL_LOCAL, 0), MM_OK);
	assert_int_equal(fault_node(m, pid, a + 11 * 4096), 2);
	assert_int_equal(mpol_at(m, pid, a + 18 * 4096)->mode, MPOL_PREFERRED);
	assert_machine_ok(m);
	machine_free(m);
}

/* Records are made per chunk of pids on first use: pid 300 (beyond the
 * first chunk) takes a policy like pid 1. */
static void test_high_pids(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){four_nodes(4)});
	uint64_t a = 0;
	uint32_t pid = 0;
	for (int i = 0; i < 300; i++)
		pid = task_with_mapping(m, 2, &a);
	assert_int_equal(pid, 300);
	assert_null(task_numa(m, pid));
	assert_int_equal(mpol_at(m, pid, a)->mode, MPOL_DEFAULT);
	assert_int_equal(set_mempolicy(m, pid, MPOL_PREFERRED, 1u << 3), MM_OK);
	assert_non_null(task_numa(m, pid));
	assert_int_equal(fault_node(m, pid, a), 3);
	assert_machine_ok(m);
	machine_free(m);
}

static void test_bad_policies_change_nothing(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){four_nodes(4)});
	uint64_t a;
	uint32_t pid = task_with_mapping(m, 4, &a);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	struct snapshot s = snap(m, &r);
	assert_int_equal(set_mempolicy(m, pid, MPOL_BIND, 0), MM_EINVAL);
	assert_string_equal(m->error, "set_mempolicy: MPOL_BIND needs a non-empty set of nodes");
	assert_int_equal(set_mempolicy(m, pid, MPOL_INTERLEAVE, 1u << 4), MM_EINVAL);
	assert_int_equal(set_mempolicy(m, pid, MPOL_LOCAL, 1), MM_EINVAL);
	assert_int_equal(set_mempolicy(m, pid + 1, MPOL_LOCAL, 0), MM_EINVAL);
	assert_int_equal(mbind(m, pid, a + 8 * 4096, 4096, MPOL_BIND, 1), MM_EINVAL); /* not mapped */
	assert_int_equal(mbind(m, pid, a + 1, 4096, MPOL_BIND, 1), MM_EINVAL);
	assert_int_equal(set_task_cpu(m, pid, 4), MM_EINVAL);
	assert_unchanged(m, &r, &s);
	recorder_free(&r);
	machine_free(m);
}

static void test_undo_redo(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){four_nodes(4)});
	machine_journal(m, true);
	uint64_t a;
	uint32_t pid = task_with_mapping(m, 64, &a);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	uint32_t start = m->nsteps;
	uint64_t seed = 7;
	for (int i = 0; i < 64; i++) {
		uint64_t v = xorshift64(&seed);
		unsigned modes[] = {MPOL_BIND, MPOL_PREFERRED, MPOL_INTERLEAVE, MPOL_LOCAL};
		unsigned mode = modes[v % 4];
		set_mempolicy(m, pid, mode, mode == MPOL_LOCAL ? 0 : 1 + (v >> 8) % 15);
		if (i % 9 == 0)
			set_task_cpu(m, pid, (v >> 16) % 4);
		fault_node(m, pid, a + (uint64_t)i * 4096);
	}
	assert_undo_redo(m, &r, start, m->nsteps);
	recorder_free(&r);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zonelist_by_distance),
		cmocka_unit_test(test_bad_distances_refused),
		cmocka_unit_test(test_zone_statistics),
		cmocka_unit_test(test_policies_choose_the_node),
		cmocka_unit_test(test_high_pids),
		cmocka_unit_test(test_bad_policies_change_nothing),
		cmocka_unit_test(test_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
