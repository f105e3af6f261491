/*
 * The OOM killer (mm/oom_kill.c and fs/proc/base.c, Linux 6.18):
 * - out_of_memory: totalpages is totalram_pages() + total_swap_pages
 *   (constrained_alloc without a constraint); select_bad_process walks every
 *   process in creation order (for_each_process) through oom_evaluate_task:
 *   init (is_global_init), tasks without an mm and oom_score_adj -1000 are
 *   skipped; the highest oom_badness wins, a later task on a tie (only a
 *   lower score is passed over);
 * - oom_badness: get_mm_rss (MM_ANONPAGES + MM_FILEPAGES + MM_SHMEMPAGES) +
 *   MM_SWAPENTS +
 *   mm_pgtables_bytes / PAGE_SIZE (the PTE, PMD and PUD tables: every table
 *   but the top one here), plus oom_score_adj * (totalpages / 1000);
 * - oom_kill_process / __oom_kill_process: the victim is killed
 *   (SIGKILL: its memory returns through exit_mmap, as the exit and the
 *   OOM reaper would give it back), counted in vmstat's oom_kill; its
 *   "Killed process" line carries total-vm, anon-rss, file-rss, shmem-rss, pgtables
 *   and oom_score_adj;
 * - sysrq-f (moom_callback) with no eligible task kills nothing;
 * - /proc/PID/oom_score: (1000 + badness * 1000 / totalpages) * 2 / 3,
 *   0 for an unkillable task (proc_oom_score).
 * Simplifications: no memcg, cpuset or mempolicy constraint, no
 * oom_kill_allocating_task, no panic_on_oom, no wait for a victim still
 * exiting (the kill completes at once), no processes sharing an mm.
 */
#include "oom_kill.h"

#include "procs.h"
#include "swap.h"

uint64_t oom_totalpages(const struct machine *m)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		total += m->zones[i].managed;
	return total + swap_root(m)->total_swap_pages;
}

static uint64_t mm_pgtables(const struct machine *m, const struct mm_struct *mm)
{
	const struct pt_mm *o = pt_mm(m, mm->asid);
	return o && o->nr_tables ? o->nr_tables - 1 : 0;
}

int64_t oom_badness(const struct machine *m, uint32_t pid, uint64_t totalpages)
{
	const struct task *t = task_by_pid(m, pid);
	const struct mm_struct *mm = task_mm(m, pid);
	if (!t || !mm || pid == 1 || t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return OOM_UNKILLABLE;
	int64_t points = (int64_t)mm->rss_anon + mm->rss_file + mm->rss_shmem + mm->swapents;
	points += (int64_t)mm_pgtables(m, mm);
	return points + (int64_t)t->oom_score_adj * (int64_t)(totalpages / 1000);
}

uint64_t oom_score(const struct machine *m, uint32_t pid)
{
	uint64_t total = oom_totalpages(m);
	int64_t b = oom_badness(m, pid, total);
	if (b == OOM_UNKILLABLE || !total)
		return 0;
	return (uint64_t)((1000 + b * 1000 / (int64_t)total) * 2 / 3);
}

int set_oom_score_adj(struct machine *m, uint32_t pid, int adj)
{
	struct task *t = task_by_pid(m, pid);
	if (!t)
		return mm_error(m, "oom_score_adj: there is no process %u", pid);
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return mm_error(m, "oom_score_adj: %d is outside %d..%d", adj, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX);
	mm_op_begin(m);
	jset32(&m->j, (uint32_t *)&t->oom_score_adj, (uint32_t)adj);
	EMIT(m, EV_OOM_SCORE_ADJ, pid, adj);
	mm_op_end(m);
	return MM_OK;
}

static uint64_t kb(const struct machine *m, uint64_t pages) { return (pages << m->page_shift) >> 10; }

int out_of_memory(struct machine *m, bool sysrq, uint32_t *victim)
{
	uint64_t total = oom_totalpages(m);
	const struct procs_root *pr = procs_root(m);
	mm_op_begin(m);
	EMIT(m, EV_OOM, sysrq, (int64_t)total);
	uint32_t chosen = 0;
	int64_t chosen_points = OOM_UNKILLABLE;
	for (uint32_t pid = 1; pid <= pr->tasks.n; pid++) {
		const struct mm_struct *mm = task_mm(m, pid);
		if (!mm)
			continue;
		int64_t points = oom_badness(m, pid, total);
		bool pick = points != OOM_UNKILLABLE && points >= chosen_points;
		if (pick) {
			chosen = pid;
			chosen_points = points;
		}
		EMIT(m, EV_OOM_BADNESS, pid, mm->rss_anon + mm->rss_file + mm->rss_shmem, mm->swapents,
		     (int64_t)mm_pgtables(m, mm),
		     task_by_pid(m, pid)->oom_score_adj, points == OOM_UNKILLABLE ? -1 : points,
		     points == OOM_UNKILLABLE ? 2 : pick);
	}
	*victim = chosen;
	if (!chosen) {
		EMIT(m, EV_OOM_NONE, sysrq);
		mm_op_end(m);
		return MM_OK;
	}
	const struct task *t = task_by_pid(m, chosen);
	const struct mm_struct *mm = task_mm(m, chosen);
	struct swap_root *r = swap_root(m);
	jset32(&m->j, &r->oom_kill, r->oom_kill + 1);
	EMIT(m, EV_OOM_KILL, chosen, chosen_points, (int64_t)kb(m, mm->total_vm), (int64_t)kb(m, mm->rss_anon),
	     (int64_t)kb(m, mm->rss_file), (int64_t)kb(m, mm->rss_shmem), (int64_t)kb(m, mm_pgtables(m, mm)),
	     t->oom_score_adj);
	do_exit(m, chosen);
	mm_op_end(m);
	return MM_OK;
}
