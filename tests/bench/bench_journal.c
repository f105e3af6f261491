/*
 * Journal benchmark: a report, not a test (always exits 0).
 *
 *   bench_journal goto STEPS [SEEKS [narrow|wide]]   a churn history of STEPS steps, then
 *       SEEKS gotos (1000 by default) to random steps, each from where the
 *       last one left the cursor: median and worst latency, checkpoint
 *       memory, and the state checked (machine_hash) at steps whose hash was
 *       taken while recording;
 *   bench_journal churn OPS on|off|nock [narrow|wide]   OPS churn operations with the
 *       journal on, off, or on without checkpoints: time it from outside
 *       to get the on/off ratio (each run also prints its own CPU time per
 *       operation, which a shared machine's load inflates less).
 * BENCH_CK_EVERY=N in the environment fixes the checkpoint spacing of
 * `goto` (to compare spacings against the adaptive one).
 *
 * Two churns of alloc/free of orders 0..3 (a last argument picks one):
 * - narrow (the default): up to 1,000 blocks held on a 1 GiB machine, as
 *   tests/bench/churn_1m.lua does: the few blocks held stay in the cache;
 * - wide: bench_buddy's, up to 100,000 blocks on 4 GiB: every step touches
 *   frames anywhere in a 24 MiB frame array, so a replay waits on memory
 *   and a checkpoint interval changes most of the state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_machine.h"

#include "mm/check.h"
#include "mm/checkpoint.h"
#include "mm/machine.h"
#include "mm/page_alloc.h"

#define POOL_MAX 100000u
#define PROBES 8

static uint32_t pfns[POOL_MAX];
static uint8_t orders[POOL_MAX];
static uint32_t held;
static uint32_t POOL = 1000;
static uint64_t memory = 1ull << 30;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static void churn_one(struct machine *m, bool fill)
{
	uint64_t r = rng_next(&rng);
	if (held == 0 || (held < POOL && ((r & 1) || fill))) {
		unsigned order = (unsigned)(r >> 1) & 3;
		uint32_t pfn;
		if (alloc_pages(m, order, GFP_KERNEL, -1, &pfn) == MM_OK) {
			pfns[held] = pfn;
			orders[held++] = (uint8_t)order;
		}
	} else {
		uint32_t i = (uint32_t)(((r >> 32) * held) >> 32);
		free_pages(m, pfns[i], orders[i]);
		held--;
		pfns[i] = pfns[held];
		orders[i] = orders[held];
	}
}

static struct machine *boot(void)
{
	struct machine *m = bench_boot("bench_journal", memory);
	while (held < POOL / 2)
		churn_one(m, true);
	return m;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void bench_goto(uint32_t steps, unsigned seeks)
{
	held = 0;
	struct machine *m = boot();
	machine_journal(m, true);
	if (getenv("BENCH_CK_EVERY")) /* to try another spacing than the adaptive one */
		m->j.ck_every = (uint32_t)strtoul(getenv("BENCH_CK_EVERY"), NULL, 10);
	uint32_t probe[PROBES];
	uint64_t hash[PROBES];
	unsigned np = 0;
	for (unsigned i = 0; i < PROBES; i++)
		probe[i] = (uint32_t)((uint64_t)steps * (2 * i + 1) / (2 * PROBES));
	double t0 = now();
	while (m->j.nsteps < steps && !m->j.full) {
		churn_one(m, false);
		if (np < PROBES && m->j.nsteps >= probe[np]) {
			probe[np] = m->j.nsteps; /* an operation's end at or after it */
			hash[np++] = machine_hash(m);
		}
	}
	double rec = now() - t0;
	struct journal_bytes b;
	journal_bytes(&m->j, &b);
	size_t jb = b.rec + b.steps + b.fields + b.ops;
	printf("%s churn, history: %u steps recorded in %.1f s%s; journal %.0f MiB (%.1f bytes a step), "
	       "checkpoints %u, %.0f MiB (%.1f%% of the journal)\n",
	       POOL == 1000 ? "narrow" : "wide", m->j.nsteps, rec, m->j.full ? " (the journal filled)" : "", (double)jb / (1 << 20),
	       (double)jb / m->j.nsteps, ckpt_count(m->j.ck), (double)b.ck / (1 << 20), 100.0 * (double)b.ck / (double)jb);

	double *lat = malloc(seeks * sizeof *lat), *cpu = malloc(seeks * sizeof *cpu);
	uint64_t r = 12345;
	double worst_from_end = 0;
	for (unsigned i = 0; i < seeks; i++) {
		uint32_t t = (uint32_t)(rng_next(&r) % ((uint64_t)m->j.nsteps + 1));
		double s0 = now(), c0 = cpu_now();
		machine_seek(m, t);
		lat[i] = now() - s0;
		cpu[i] = cpu_now() - c0;
	}
	/* the far ends: the end to 0 and back */
	for (int k = 0; k < 2; k++) {
		machine_seek(m, m->j.nsteps);
		double s0 = now();
		machine_seek(m, 0);
		double d = now() - s0;
		if (d > worst_from_end)
			worst_from_end = d;
	}
	qsort(lat, seeks, sizeof *lat, cmp);
	qsort(cpu, seeks, sizeof *cpu, cmp);
	printf("goto over %u random targets: median %.2f ms, 90%% %.2f ms, worst %.2f ms (target < 20): %s; "
	       "end to 0: %.2f ms\n",
	       seeks, lat[seeks / 2] * 1e3, lat[seeks * 9 / 10] * 1e3, lat[seeks - 1] * 1e3,
	       lat[seeks - 1] < 0.020 ? "met" : "MISSED", worst_from_end * 1e3);
	printf("  the same in this thread's CPU time (what a shared machine's load does not add): median %.2f ms, "
	       "90%% %.2f ms, worst %.2f ms\n",
	       cpu[seeks / 2] * 1e3, cpu[seeks * 9 / 10] * 1e3, cpu[seeks - 1] * 1e3);
	printf("  memory: %.1f bytes a step with the checkpoints\n", (double)(jb + b.ck) / m->j.nsteps);
	unsigned ok = 0;
	for (unsigned i = 0; i < np; i++) {
		machine_seek(m, probe[i]);
		ok += machine_hash(m) == hash[i];
	}
	char why[256];
	bool consistent = check_machine(m, why, sizeof why) == 0;
	printf("  state after goto equal to the state recorded at %u of %u probed steps; checker %s\n", ok, np,
	       consistent ? "passes" : why);
	free(lat);
	free(cpu);
	machine_free(m);
}

static void bench_churn(uint64_t ops, const char *mode)
{
	struct machine *m = boot();
	if (strcmp(mode, "off") != 0) {
		machine_journal(m, true);
		if (strcmp(mode, "nock") == 0)
			m->j.ck_every = UINT32_MAX;
	}
	double t0 = now(), c0 = cpu_now();
	for (uint64_t i = 0; i < ops; i++)
		churn_one(m, false);
	printf("%llu ops, journal %s: %.1f ns/op (%.1f ns/op of this thread's CPU time)\n", (unsigned long long)ops, mode,
	       (now() - t0) * 1e9 / (double)ops, (cpu_now() - c0) * 1e9 / (double)ops);
	machine_free(m);
}

static void pick(const char *which)
{
	if (strcmp(which, "wide") == 0) {
		POOL = POOL_MAX;
		memory = 4ull << 30;
	}
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "goto") == 0) {
		if (argc > 4)
			pick(argv[4]);
		bench_goto((uint32_t)strtoul(argv[2], NULL, 10), argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1000);
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "churn") == 0) {
		if (argc > 4)
			pick(argv[4]);
		bench_churn(strtoull(argv[2], NULL, 10), argv[3]);
		return 0;
	}
	if (argc == 1) { /* as scripts/bench runs it: the sizes that fit in seconds */
		bench_goto(1000000, 1000);
		bench_goto(10000000, 1000);
		pick("wide");
		bench_goto(1000000, 1000);
		bench_goto(10000000, 1000);
		return 0;
	}
	fprintf(stderr, "usage: bench_journal [goto STEPS [SEEKS [narrow|wide]] | churn OPS on|off|nock [narrow|wide]]\n");
	return 0;
}
