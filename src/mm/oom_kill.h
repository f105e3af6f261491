/*
 * The OOM killer (oom_kill.c).  The allocator's slow path calls
 * out_of_memory(m, false, &victim) as its last resort (inside its own
 * operation: operations nest); oom() in scenarios is sysrq-f (sysrq true):
 * with no eligible task it only says so.
 */
#ifndef MM_OOM_KILL_H
#define MM_OOM_KILL_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define OOM_UNKILLABLE INT64_MIN /* oom_badness's LONG_MIN */

/* totalram_pages() + total_swap_pages */
uint64_t oom_totalpages(const struct machine *m);
/* oom_badness: rss + swap entries + page-table pages, plus oom_score_adj
 * in thousandths of totalpages; OOM_UNKILLABLE for init, exited tasks
 * and oom_score_adj -1000. */
int64_t oom_badness(const struct machine *m, uint32_t pid, uint64_t totalpages);
/* /proc/PID/oom_score: the badness scaled to 0..2000 as proc_oom_score does */
uint64_t oom_score(const struct machine *m, uint32_t pid);
/* select_bad_process and oom_kill_process; *victim 0 when none was
 * eligible.  One event per candidate with its score, then the kill. */
int out_of_memory(struct machine *m, bool sysrq, uint32_t *victim);
/* writing /proc/PID/oom_score_adj; MM_EINVAL outside -1000..1000 */
int set_oom_score_adj(struct machine *m, uint32_t pid, int adj);

#endif
