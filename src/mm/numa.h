/*
 * NUMA (numa.c, mempolicy.c): node distances, the zonelists' node order,
 * the CPUs of each node, the per-zone NUMA counters, and the memory
 * policies that choose the node of a task's fault pages.
 */
#ifndef MM_NUMA_H
#define MM_NUMA_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"
#include "strbuf.h"

#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20

/* enum numa_stat_item, in the kernel's order */
enum numa_stat { NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL, NUMA_OTHER, NR_NUMA_STAT };
extern const char *const numa_stat_names[NR_NUMA_STAT];

enum mpol_mode { MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL, NR_MPOL };
extern const char *const mpol_names[NR_MPOL];

#define MPOL_MAX_RANGES 8 /* mbind ranges per task */

struct mpol {
	uint32_t mode;         /* enum mpol_mode */
	uint32_t nodes_lo, nodes_hi; /* the nodemask */
	uint32_t pad;
};
struct mpol_range {
	uint64_t start, end;   /* [start, end) */
	struct mpol pol;
};
/* One per pid (its task policy and its mbind ranges), zeroed: MPOL_DEFAULT. */
struct task_numa {
	struct mpol pol;
	uint32_t nr_ranges, cpu; /* cpu: where the task runs (numa_node_id) */
	struct mpol_range range[MPOL_MAX_RANGES];
};

struct numa {
	struct arena arena;
	uint32_t stats;                 /* arena offset of the counters, nr_zones * NR_NUMA_STAT */
	uint32_t tasks;                 /* arena offset of task_numa by pid */
	uint32_t ntasks;
	uint8_t order[MAX_NODES][MAX_NODES]; /* each node's zonelist node order */
	uint16_t cpu_node[4096];
	uint32_t cur_node; /* numa_node_id() of the allocation under way (host side, reset after it) */
};

void numa_init(struct machine *m);
void numa_free(struct machine *m);
/* machine{distance=}: diagonal 10, others 11..254, symmetric. */
bool numa_check_config(const struct mm_config *c, char *why, size_t whylen);
unsigned node_distance(const struct machine *m, unsigned a, unsigned b);
/* The i-th node of local's zonelist (build_zonelists). */
static inline unsigned numa_zonelist_node(const struct machine *m, unsigned local, unsigned i)
{
	return m->numa->order[local][i];
}
static inline unsigned cpu_to_node(const struct machine *m, unsigned cpu) { return m->numa->cpu_node[cpu]; }
static inline uint64_t *numa_stats(const struct machine *m, unsigned zone_id)
{
	return (uint64_t *)arena_ptr(&m->numa->arena, m->numa->stats) + (size_t)zone_id * NR_NUMA_STAT;
}
/* zone_statistics: count an allocation from z for preferred (zone ids). */
void zone_statistics(struct machine *m, unsigned preferred, unsigned z);
void numa_count_interleave_hit(struct machine *m, unsigned zone_id);

/* /sys/devices/system/node/nodeN/{numastat,distance}: 0, or -1 for a
 * name that is not one. */
int numa_node_file(const struct machine *m, const char *name, struct strbuf *out);
/* zoneinfo's NUMA lines of a zone. */
void numa_zoneinfo(const struct machine *m, unsigned zone_id, struct strbuf *out);

/* mempolicy.c.  nodes: a mask of node numbers. */
int set_mempolicy(struct machine *m, uint32_t pid, unsigned mode, uint64_t nodes);
int mbind(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned mode, uint64_t nodes);
int set_task_cpu(struct machine *m, uint32_t pid, unsigned cpu);
struct task_numa *task_numa(const struct machine *m, uint32_t pid);
/* alloc_pages_mpol for a fault at va in the vma (interleave index ilx). */
int mpol_alloc_page(struct machine *m, uint32_t pid, uint64_t va, uint64_t ilx, uint32_t gfp, uint32_t *pfn);
/* The policy in force at va for pid (the VMA's, else the task's). */
const struct mpol *mpol_at(const struct machine *m, uint32_t pid, uint64_t va);
uint64_t mpol_nodes(const struct mpol *p);

int check_numa(const struct machine *m, char *why, size_t whylen);

#endif
