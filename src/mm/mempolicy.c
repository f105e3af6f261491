/*
 * Memory policies, modelled on mm/mempolicy.c of Linux 6.18:
 * - set_mempolicy (do_set_mempolicy) sets the task's policy; mbind
 *   (do_mbind) sets one for a range of its address space; a fault uses the
 *   range's policy, else the task's (get_vma_policy);
 * - mpol_new's checks: MPOL_DEFAULT and MPOL_LOCAL take no nodes,
 *   MPOL_PREFERRED, MPOL_BIND and MPOL_INTERLEAVE take a non-empty set of
 *   existing nodes (EINVAL otherwise);
 * - alloc_pages_mpol / policy_nodemask: MPOL_LOCAL and the default take
 *   the local node (numa_node_id of the task's CPU); MPOL_PREFERRED its
 *   first node, falling back through that node's zonelist; MPOL_BIND the
 *   local node's zonelist restricted to the nodemask (the preferred zone is
 *   the first allowed one); MPOL_INTERLEAVE the node interleave_nid picks:
 *   the (ilx mod weight)-th node of the set, ilx being the page's index in
 *   its VMA's file (vm_pgoff + offset in pages), with fallback allowed,
 *   and interleave_hit counted when the page lands on that node.
 * Simplified: a task's record (policy, CPU, ranges) is made for its chunk of 256
 *   pids on first use; mbind keeps at most MPOL_MAX_RANGES ranges per task, the
 *   newest first, instead of splitting VMAs to hold vm_policy; no
 *   MPOL_PREFERRED_MANY, WEIGHTED_INTERLEAVE, mode flags, cpusets or
 *   migration of pages already there (MPOL_MF_MOVE); a task's CPU is set
 *   by set_task_cpu (the scheduler's choice in the kernel).
 */
#include "numa.h"

#include <string.h>

#include "page_alloc.h"
#include "procs.h"

const char *const mpol_names[NR_MPOL] = {"MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE",
					 "MPOL_LOCAL"};

uint64_t mpol_nodes(const struct mpol *p)
{
	return p->nodes_lo | (uint64_t)p->nodes_hi << 32;
}

const struct task_numa *task_numa(const struct machine *m, uint32_t pid)
{
	const uint32_t *dir = arena_ptr(&m->numa->arena, m->numa->task_dir);
	if (pid >= NUMA_TASK_DIRS * NUMA_TASK_CHUNK || !dir[pid / NUMA_TASK_CHUNK])
		return NULL;
	return (const struct task_numa *)arena_ptr(&m->numa->arena, dir[pid / NUMA_TASK_CHUNK]) + pid % NUMA_TASK_CHUNK;
}

/* pid's record for writing: its chunk is made (zeroed) on first use. */
static struct task_numa *task_numa_get(struct machine *m, uint32_t pid)
{
	uint32_t *dir = arena_ptr(&m->numa->arena, m->numa->task_dir);
	uint32_t *slot = &dir[pid / NUMA_TASK_CHUNK];
	if (!*slot)
		jset32(&m->j, slot, arena_alloc(m, &m->numa->arena, NUMA_TASK_CHUNK * sizeof(struct task_numa)));
	return (struct task_numa *)arena_ptr(&m->numa->arena, *slot) + pid % NUMA_TASK_CHUNK;
}

static const struct mpol default_policy = {MPOL_DEFAULT, 0, 0, 0};

static int check_task(struct machine *m, const char *fn, uint32_t pid)
{
	if (pid >= NUMA_TASK_DIRS * NUMA_TASK_CHUNK || !task_by_pid(m, pid))
		return mm_error(m, "%s: no task has pid %u", fn, pid);
	return MM_OK;
}

/* mpol_new's checks. */
static int check_policy(struct machine *m, const char *fn, unsigned mode, uint64_t nodes)
{
	if (mode >= NR_MPOL)
		return mm_error(m, "%s: mode %u is not a policy", fn, mode);
	uint64_t all = (m->nr_nodes == 64 ? 0 : 1ull << m->nr_nodes) - 1;
	if (nodes & ~all)
		return mm_error(m, "%s: the node set 0x%llx names a node that does not exist (nodes 0..%u)", fn,
				(unsigned long long)nodes, m->nr_nodes - 1);
	bool takes = mode == MPOL_PREFERRED || mode == MPOL_BIND || mode == MPOL_INTERLEAVE;
	if (takes && !nodes)
		return mm_error(m, "%s: %s needs a non-empty set of nodes", fn, mpol_names[mode]);
	if (!takes && nodes)
		return mm_error(m, "%s: %s takes no nodes", fn, mpol_names[mode]);
	return MM_OK;
}

static void set_pol(struct machine *m, struct mpol *p, unsigned mode, uint64_t nodes)
{
	jset32(&m->j, &p->mode, mode);
	jset32(&m->j, &p->nodes_lo, (uint32_t)nodes);
	jset32(&m->j, &p->nodes_hi, (uint32_t)(nodes >> 32));
}

int set_mempolicy(struct machine *m, uint32_t pid, unsigned mode, uint64_t nodes)
{
	if (check_task(m, "set_mempolicy", pid) || check_policy(m, "set_mempolicy", mode, nodes))
		return MM_EINVAL;
	mm_op_begin(m);
	set_pol(m, &task_numa_get(m, pid)->pol, mode, nodes);
	EMIT(m, EV_MEMPOLICY, pid, mode, (int64_t)nodes, -1, -1);
	mm_op_end(m);
	return MM_OK;
}

int mbind(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned mode, uint64_t nodes)
{
	if (check_task(m, "mbind", pid) || check_policy(m, "mbind", mode, nodes))
		return MM_EINVAL;
	if (addr % m->cfg.page_size || !len)
		return mm_error(m, "mbind: the range must start on a page and be non-empty");
	uint64_t end = addr + ((len + m->cfg.page_size - 1) & ~(uint64_t)(m->cfg.page_size - 1));
	struct mm_struct *mm = task_mm(m, pid);
	/* every page of the range must be mapped (EFAULT) */
	for (uint64_t a = addr; mm && a < end;) {
		uint32_t v = find_vma(m, mm, a);
		if (!v || vma_at(m, v)->vm_start > a)
			return mm_error(m, "mbind: 0x%llx is not mapped in pid %u", (unsigned long long)a, pid);
		a = vma_at(m, v)->vm_end;
	}
	const struct task_numa *old = task_numa(m, pid);
	if (old && old->nr_ranges == MPOL_MAX_RANGES)
		return mm_error(m, "mbind: pid %u already has %u ranges (the model's limit)", pid, MPOL_MAX_RANGES);
	mm_op_begin(m);
	struct task_numa *t = task_numa_get(m, pid);
	struct mpol_range *r = &t->range[t->nr_ranges];
	jset64(&m->j, &r->start, addr);
	jset64(&m->j, &r->end, end);
	set_pol(m, &r->pol, mode, nodes);
	jset32(&m->j, &t->nr_ranges, t->nr_ranges + 1);
	EMIT(m, EV_MEMPOLICY, pid, mode, (int64_t)nodes, (int64_t)addr, (int64_t)end);
	mm_op_end(m);
	return MM_OK;
}

int set_task_cpu(struct machine *m, uint32_t pid, unsigned cpu)
{
	if (check_task(m, "set_task_cpu", pid))
		return MM_EINVAL;
	if (cpu >= m->cfg.cpus)
		return mm_error(m, "set_task_cpu: cpu %u does not exist (cpus 0..%u)", cpu, m->cfg.cpus - 1);
	mm_op_begin(m);
	jset32(&m->j, &task_numa_get(m, pid)->cpu, cpu);
	EMIT(m, EV_TASK_CPU, pid, cpu, cpu_to_node(m, cpu));
	mm_op_end(m);
	return MM_OK;
}

const struct mpol *mpol_at(const struct machine *m, uint32_t pid, uint64_t va)
{
	const struct task_numa *t = task_numa(m, pid);
	if (!t)
		return &default_policy;
	/* a range of MPOL_DEFAULT means "the task's policy", as a VMA
	 * without vm_policy */
	for (uint32_t i = t->nr_ranges; i-- > 0;)
		if (va >= t->range[i].start && va < t->range[i].end && t->range[i].pol.mode != MPOL_DEFAULT)
			return &t->range[i].pol;
	return &t->pol;
}

/* interleave_nid: the (ilx mod weight)-th node of the set. */
static unsigned interleave_nid(uint64_t nodes, uint64_t ilx)
{
	unsigned target = (unsigned)(ilx % (uint64_t)__builtin_popcountll(nodes)), nid = 0;
	for (;; nid++)
		if ((nodes >> nid & 1) && target-- == 0)
			return nid;
}

int mpol_alloc_page(struct machine *m, uint32_t pid, uint64_t va, uint64_t ilx, uint32_t gfp, uint32_t *pfn)
{
	const struct mpol *p = mpol_at(m, pid, va);
	const struct task_numa *t = task_numa(m, pid);
	unsigned local = cpu_to_node(m, t ? t->cpu : 0);
	unsigned mode = p ? p->mode : MPOL_DEFAULT, nid = local;
	uint64_t nodes = p ? mpol_nodes(p) : 0, mask = 0;
	if (mode == MPOL_PREFERRED)
		nid = (unsigned)__builtin_ctzll(nodes);
	else if (mode == MPOL_BIND)
		mask = nodes;
	else if (mode == MPOL_INTERLEAVE)
		nid = interleave_nid(nodes, ilx);
	mm_op_begin(m);
	m->numa->cur_node = local;
	int rc = __alloc_pages(m, 0, gfp, (int)nid, mask, pfn);
	m->numa->cur_node = 0;
	if (rc == MM_OK) {
		unsigned got = pfn_zone(m, *pfn)->node;
		bool hit = mode == MPOL_INTERLEAVE && got == nid;
		if (hit)
			numa_count_interleave_hit(m, pfn_zone(m, *pfn)->id);
		/* on one node the policy has no choice to make: no step for it */
		if (m->nr_nodes > 1)
			EMIT(m, EV_MPOL_ALLOC, pid, (int64_t)va, mode, nid, got, hit);
	}
	mm_op_end(m);
	return rc;
}
