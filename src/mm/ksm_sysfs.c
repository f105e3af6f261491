/*
 * /sys/kernel/mm/ksm (mm/ksm.c's ksm_attrs, Linux 6.18): one number per
 * file, as its *_show functions print them.  pages_volatile and
 * general_profit are derived as the kernel derives them; the knobs the
 * model does not act on (advisor, chains, zero pages) show their defaults,
 * and smart_scan shows 0 since the model's scan skips no page.  Writing
 * run, pages_to_scan and sleep_millisecs: ksm_set.
 */
#include "ksm.h"

#include <string.h>

static void u(struct strbuf *out, uint64_t v) { strbuf_printf(out, "%llu\n", (unsigned long long)v); }

#define SHOW(name, expr)                                                   \
	static void show_##name(const struct machine *m, struct strbuf *out) \
	{                                                                  \
		const struct ksm_state *s = ksm_state(m);                  \
		(void)s;                                                   \
		u(out, (expr));                                            \
	}

SHOW(full_scans, s->seqnr)
SHOW(pages_scanned, s->pages_scanned)
SHOW(pages_shared, s->pages_shared)
SHOW(pages_sharing, s->pages_sharing)
SHOW(pages_unshared, s->pages_unshared)
SHOW(pages_skipped, 0)
SHOW(pages_to_scan, s->pages_to_scan)
SHOW(run, s->run)
SHOW(sleep_millisecs, s->sleep_millisecs)
SHOW(max_page_sharing, 256)
SHOW(merge_across_nodes, 1)
SHOW(smart_scan, 0)
SHOW(stable_node_chains, 0)
SHOW(stable_node_dups, 0)
SHOW(stable_node_chains_prune_millisecs, 2000)
SHOW(use_zero_pages, 0)
SHOW(ksm_zero_pages, 0)
SHOW(advisor_max_cpu, 70)
SHOW(advisor_max_pages_to_scan, 30000)
SHOW(advisor_min_pages_to_scan, 500)
SHOW(advisor_target_scan_time, 200)

/* pages_volatile_show: what is neither shared nor in an unstable tree */
static void show_pages_volatile(const struct machine *m, struct strbuf *out)
{
	const struct ksm_state *s = ksm_state(m);
	int64_t v = (int64_t)s->rmap_items - s->pages_shared - s->pages_sharing - s->pages_unshared;
	u(out, v < 0 ? 0 : (uint64_t)v);
}

/* general_profit_show: the pages saved less the rmap_items' memory */
static void show_general_profit(const struct machine *m, struct strbuf *out)
{
	const struct ksm_state *s = ksm_state(m);
	int64_t p = (int64_t)s->pages_sharing * (int64_t)page_bytes(m) - (int64_t)s->rmap_items * KSM_RMAP_ITEM_BYTES;
	strbuf_printf(out, "%lld\n", (long long)p);
}

static void show_advisor_mode(const struct machine *m, struct strbuf *out)
{
	(void)m;
	strbuf_printf(out, "[none] scan-time\n");
}

#define K(name) {"kernel/mm/ksm/" #name, show_##name, NULL}
const struct mm_proc_file ksm_files[] = {
	K(advisor_max_cpu), K(advisor_max_pages_to_scan), K(advisor_min_pages_to_scan), K(advisor_mode),
	K(advisor_target_scan_time), K(full_scans), K(general_profit), K(ksm_zero_pages), K(max_page_sharing),
	K(merge_across_nodes), K(pages_scanned), K(pages_shared), K(pages_sharing), K(pages_skipped),
	K(pages_to_scan), K(pages_unshared), K(pages_volatile), K(run), K(sleep_millisecs), K(smart_scan),
	K(stable_node_chains), K(stable_node_chains_prune_millisecs), K(stable_node_dups), K(use_zero_pages),
	{NULL, NULL, NULL},
};

static uint32_t *knob_cell(const struct machine *m, const char *knob)
{
	struct ksm_state *s = ksm_state(m);
	return !strcmp(knob, "run")		? &s->run
	       : !strcmp(knob, "pages_to_scan")	? &s->pages_to_scan
	       : !strcmp(knob, "sleep_millisecs") ? &s->sleep_millisecs
						  : NULL;
}

/* run_store, pages_to_scan_store, sleep_millisecs_store's checks */
int ksm_knob_check(struct machine *m, const char *knob, uint64_t value)
{
	if (!knob_cell(m, knob))
		return mm_error(m, "ksm: no knob '%s' (run, pages_to_scan, sleep_millisecs)", knob);
	if (!strcmp(knob, "run") && value > 1)
		return mm_error(m, "ksm: run=%llu: the model has 0 (stop) and 1 (merge); 2 (unmerge all) is not modelled",
				(unsigned long long)value);
	if (value > UINT32_MAX || (!strcmp(knob, "sleep_millisecs") && value > 60000) ||
	    (!strcmp(knob, "pages_to_scan") && !value))
		return mm_error(m, "ksm: %s=%llu is out of range", knob, (unsigned long long)value);
	return MM_OK;
}

int ksm_set(struct machine *m, const char *knob, uint64_t value)
{
	if (ksm_knob_check(m, knob, value))
		return MM_EINVAL;
	uint32_t *cell = knob_cell(m, knob);
	struct ksm_state *s = ksm_state(m);
	mm_op_begin(m);
	jset32(&m->j, cell, (uint32_t)value);
	EMIT(m, EV_KSM_KNOB, cell == &s->run ? 0 : cell == &s->pages_to_scan ? 1 : 2, (int64_t)value);
	mm_op_end(m);
	return MM_OK;
}
