/*
 * NUMA topology and statistics, modelled on Linux 6.18:
 * - node distances as the SLIT gives them (numa_set_distance refuses a
 *   table whose diagonal is not LOCAL_DISTANCE or whose other entries are
 *   not above it); default 10 local, 20 remote (include/linux/topology.h);
 * - build_zonelists / find_next_best_node (mm/page_alloc.c): each node's
 *   fallback order starts with itself, then repeatedly the unused node of
 *   least distance, a node below the local one or with CPUs costing one
 *   more, ties broken by node_load, which grows for the first node of each
 *   new distance group so that nodes at equal distance share the load;
 *   node_load is reset once and kept across the nodes, as
 *   __build_all_zonelists does;
 * - zone_statistics (mm/page_alloc.c): numa_hit on the zone used when its
 *   node is the preferred zone's, else numa_miss there and numa_foreign on
 *   the preferred zone; numa_local or numa_other by the node of the CPU
 *   that allocates; interleave_hit by alloc_pages_mpol (mempolicy.c);
 * - /sys/devices/system/node/nodeN/numastat (numastat_show in
 *   drivers/base/node.c: the node's zones summed) and nodeN/distance
 *   (node_read_distance); the zoneinfo lines (zoneinfo_show_print).
 * Simplified: CPUs go to nodes in contiguous blocks (cpu * nodes / cpus;
 *   with fewer CPUs than nodes, CPU i on node i), the firmware's SRAT
 *   could say otherwise; every node has memory (no memoryless nodes);
 *   allocations outside a task's fault count as CPU 0's.
 */
#include "numa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

const char *const numa_stat_names[NR_NUMA_STAT] = {"numa_hit",	   "numa_miss",	 "numa_foreign",
						   "numa_interleave", "numa_local", "numa_other"};

bool numa_check_config(const struct mm_config *c, char *why, size_t whylen)
{
	if (!c->distance_n)
		return true;
	if (c->distance_n != c->nodes) {
		snprintf(why, whylen, "distance: a %ux%u table for %u node(s)", c->distance_n, c->distance_n, c->nodes);
		return false;
	}
	for (unsigned a = 0; a < c->nodes; a++)
		for (unsigned b = 0; b < c->nodes; b++) {
			unsigned d = c->distance[a][b];
			if (a == b && d != LOCAL_DISTANCE) {
				snprintf(why, whylen, "distance: node %u to itself must be %d, not %u", a, LOCAL_DISTANCE, d);
				return false;
			}
			if (a != b && (d <= LOCAL_DISTANCE || d > 254)) {
				snprintf(why, whylen, "distance: node %u to node %u is %u; a remote distance is 11..254", a, b,
					 d);
				return false;
			}
			if (d != c->distance[b][a]) {
				snprintf(why, whylen, "distance: not symmetric: node %u to %u is %u, node %u to %u is %u", a,
					 b, d, b, a, c->distance[b][a]);
				return false;
			}
		}
	return true;
}

unsigned node_distance(const struct machine *m, unsigned a, unsigned b)
{
	if (m->cfg.distance_n)
		return m->cfg.distance[a][b];
	return a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

static bool node_has_cpus(const struct machine *m, unsigned node)
{
	for (unsigned c = 0; c < m->cfg.cpus; c++)
		if (m->numa->cpu_node[c] == node)
			return true;
	return false;
}

/* find_next_best_node; -1 when every node is used. */
static int next_best_node(const struct machine *m, unsigned node, uint64_t *used, const unsigned *load)
{
	if (!(*used >> node & 1)) {
		*used |= 1ull << node;
		return (int)node;
	}
	int best = -1;
	uint64_t min = UINT64_MAX;
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		if (*used >> n & 1)
			continue;
		uint64_t val = node_distance(m, node, n) + (n < node) + node_has_cpus(m, n);
		val = val * MAX_NODES + load[n];
		if (val < min) {
			min = val;
			best = (int)n;
		}
	}
	if (best >= 0)
		*used |= 1ull << best;
	return best;
}

static void build_all_zonelists(struct machine *m)
{
	unsigned load[MAX_NODES] = {0};
	for (unsigned local = 0; local < m->nr_nodes; local++) {
		uint64_t used = 0;
		unsigned nr = 0, prev = local;
		int node;
		while ((node = next_best_node(m, local, &used, load)) >= 0) {
			if (node_distance(m, local, (unsigned)node) != node_distance(m, local, prev))
				load[node]++;
			m->numa->order[local][nr++] = (uint8_t)node;
			prev = (unsigned)node;
		}
	}
}

void numa_init(struct machine *m)
{
	struct numa *n = xcalloc(1, sizeof *n);
	m->numa = n;
	arena_init(m, &n->arena);
	unsigned cpus = m->cfg.cpus, nodes = m->nr_nodes;
	for (unsigned c = 0; c < cpus && c < 4096; c++)
		n->cpu_node[c] = (uint16_t)(cpus >= nodes ? (uint64_t)c * nodes / cpus : c);
	build_all_zonelists(m);
	n->stats = arena_alloc(m, &n->arena, machine_nr_zones(m) * NR_NUMA_STAT * 8);
	n->ntasks = 257;
	n->tasks = arena_alloc(m, &n->arena, n->ntasks * sizeof(struct task_numa));
}

void numa_free(struct machine *m)
{
	free(m->numa);
	m->numa = NULL;
}

static void count(struct machine *m, unsigned zone_id, enum numa_stat s)
{
	uint64_t *c = &numa_stats(m, zone_id)[s];
	jset64(&m->j, c, *c + 1);
}

void zone_statistics(struct machine *m, unsigned preferred, unsigned z)
{
	unsigned node = m->zones[z].node;
	count(m, z, node == m->zones[preferred].node ? NUMA_HIT : NUMA_MISS);
	if (node != m->zones[preferred].node)
		count(m, preferred, NUMA_FOREIGN);
	count(m, z, node == m->numa->cur_node ? NUMA_LOCAL : NUMA_OTHER);
}

void numa_count_interleave_hit(struct machine *m, unsigned zone_id)
{
	count(m, zone_id, NUMA_INTERLEAVE_HIT);
}

void numa_zoneinfo(const struct machine *m, unsigned zone_id, struct strbuf *out)
{
	for (unsigned s = 0; s < NR_NUMA_STAT; s++)
		strbuf_printf(out, "\n      %-12s %llu", numa_stat_names[s],
			      (unsigned long long)numa_stats(m, zone_id)[s]);
}

int numa_node_file(const struct machine *m, const char *name, struct strbuf *out)
{
	unsigned node;
	int len = 0;
	char file[16];
	if (sscanf(name, "node%u/%15s%n", &node, file, &len) != 2 || name[len] || node >= m->nr_nodes)
		return -1;
	if (strcmp(file, "distance") == 0) {
		for (unsigned b = 0; b < m->nr_nodes; b++)
			strbuf_printf(out, "%s%u", b ? " " : "", node_distance(m, node, b));
		strbuf_printf(out, "\n");
		return 0;
	}
	if (strcmp(file, "numastat"))
		return -1;
	uint64_t sum[NR_NUMA_STAT] = {0};
	for (unsigned t = 0; t < MAX_NR_ZONES; t++)
		for (unsigned s = 0; s < NR_NUMA_STAT; s++)
			sum[s] += numa_stats(m, node * MAX_NR_ZONES + t)[s];
	static const char *const names[NR_NUMA_STAT] = {"numa_hit",	"numa_miss",  "numa_foreign",
							"interleave_hit", "local_node", "other_node"};
	for (unsigned s = 0; s < NR_NUMA_STAT; s++)
		strbuf_printf(out, "%s %llu\n", names[s], (unsigned long long)sum[s]);
	return 0;
}

int check_numa(const struct machine *m, char *why, size_t whylen)
{
	uint64_t total[NR_NUMA_STAT] = {0};
	for (unsigned z = 0; z < machine_nr_zones(m); z++)
		for (unsigned s = 0; s < NR_NUMA_STAT; s++)
			total[s] += numa_stats(m, z)[s];
	/* every allocation is a hit or a miss, and local or other */
	if (total[NUMA_HIT] + total[NUMA_MISS] != total[NUMA_LOCAL] + total[NUMA_OTHER])
		return check_fail(why, whylen, "numa: %llu hits + misses but %llu local + other",
				  (unsigned long long)(total[NUMA_HIT] + total[NUMA_MISS]),
				  (unsigned long long)(total[NUMA_LOCAL] + total[NUMA_OTHER]));
	if (total[NUMA_MISS] != total[NUMA_FOREIGN])
		return check_fail(why, whylen, "numa: %llu misses but %llu foreign", (unsigned long long)total[NUMA_MISS],
				  (unsigned long long)total[NUMA_FOREIGN]);
	uint64_t all = (m->nr_nodes == 64 ? 0 : 1ull << m->nr_nodes) - 1;
	for (uint32_t pid = 0; pid < m->numa->ntasks; pid++) {
		const struct task_numa *t = task_numa(m, pid);
		for (uint32_t i = 0; i <= t->nr_ranges && i <= MPOL_MAX_RANGES; i++) {
			const struct mpol *p = i < t->nr_ranges ? &t->range[i].pol : &t->pol;
			uint64_t nodes = mpol_nodes(p);
			if (p->mode >= NR_MPOL || (nodes & ~all))
				return check_fail(why, whylen, "pid %u: a mempolicy names nodes 0x%llx, beyond nodes 0..%u",
						  pid, (unsigned long long)nodes, m->nr_nodes - 1);
			bool needs = p->mode == MPOL_BIND || p->mode == MPOL_PREFERRED || p->mode == MPOL_INTERLEAVE;
			if (needs != (nodes != 0))
				return check_fail(why, whylen, "pid %u: mempolicy %s with nodes 0x%llx", pid,
						  mpol_names[p->mode], (unsigned long long)nodes);
		}
		if (t->nr_ranges > MPOL_MAX_RANGES || t->cpu >= m->cfg.cpus)
			return check_fail(why, whylen, "pid %u: %u mbind ranges, cpu %u", pid, t->nr_ranges, t->cpu);
	}
	return 0;
}
