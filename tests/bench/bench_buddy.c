/*
 * Buddy allocator benchmark: a report, not a test (always exits 0).
 *
 * (a) random alloc/free churn of orders 0..3 on a 4 GiB x86_64 machine, with
 *     the journal off and then on;
 * (b) bytes per frame, bytes per journal record and records per operation;
 * (c) time to boot (machine_new) and free a 64 GiB machine.
 *
 * Usage: bench_buddy [OPS]   (OPS: churn operations with the journal off,
 * 8M by default; each journal-on run does a quarter as many).  Smaller runs
 * suit valgrind.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "bench_machine.h"

#include "mm/check.h"
#include "mm/machine.h"
#include "mm/page_alloc.h"

#define POOL 100000u
/*
 * The journal grows with every operation while it is on, so a journal-on run
 * is cut into sessions of this many operations, and between two sessions
 * (untimed) the journal is emptied so memory stays bounded (~100 MiB):
 * - J_FRESH frees its buffers (journal_free), so every session grows a new
 *   journal into fresh memory, as a real session does: the headline number;
 * - J_REUSED only clears it (machine_journal off and on), so after a first
 *   untimed session sizes them, sessions write into buffers already mapped:
 *   the cost of recording alone, without growing.
 */
#define JOURNAL_CHUNK 250000ull

enum jmode { J_OFF, J_FRESH, J_REUSED };

struct pool {
	uint32_t pfn[POOL];
	uint8_t order[POOL];
	uint32_t n;
	uint64_t nomem, einval;
};

static struct machine *boot(uint64_t memory) { return bench_boot("bench_buddy", memory); }

/* One operation: allocate when the coin says so (or the pool is empty),
 * otherwise free a random held block. */
static void churn_one(struct machine *m, struct pool *p, uint64_t *rng, bool alloc_bias)
{
	uint64_t r = rng_next(rng);
	bool alloc = p->n == 0 || (p->n < POOL && ((r & 1) || alloc_bias));
	if (alloc) {
		unsigned order = (unsigned)(r >> 1) & 3;
		uint32_t pfn;
		int rc = alloc_pages(m, order, GFP_KERNEL, -1, &pfn);
		if (rc == MM_OK) {
			p->pfn[p->n] = pfn;
			p->order[p->n] = (uint8_t)order;
			p->n++;
		} else if (rc == MM_NOMEM) {
			p->nomem++;
		} else {
			p->einval++;
		}
	} else {
		uint32_t i = (uint32_t)(((r >> 32) * p->n) >> 32);
		if (free_pages(m, p->pfn[i], p->order[i]) != MM_OK)
			p->einval++;
		p->n--;
		p->pfn[i] = p->pfn[p->n];
		p->order[i] = p->order[p->n];
	}
}

struct result {
	double secs;
	uint64_t ops;
	uint64_t steps;            /* journal totals over the run */
	struct journal_bytes jb;   /* bytes, summed over the run */
	size_t journal_bytes;       /* largest journal, in bytes written */
	uint64_t nomem, einval;
	bool consistent;
};

/* A fresh machine, a pool filled to half (untimed), then ops timed operations. */
static struct result churn(uint64_t ops, enum jmode mode)
{
	bool journal = mode != J_OFF;
	static struct pool pool;
	struct result res = {0};
	uint64_t rng = 0x9E3779B97F4A7C15ull;
	struct machine *m = boot(4ull << 30);
	pool.n = 0;
	pool.nomem = pool.einval = 0;
	while (pool.n < POOL / 2)
		churn_one(m, &pool, &rng, true);

	machine_journal(m, journal);
	if (mode == J_REUSED) {
		for (uint64_t i = 0; i < JOURNAL_CHUNK; i++)
			churn_one(m, &pool, &rng, false);
		machine_journal(m, false);
		machine_journal(m, true);
	}
	double secs = 0, t0 = now();
	for (uint64_t done = 0; done < ops;) {
		uint64_t chunk = journal && ops - done > JOURNAL_CHUNK ? JOURNAL_CHUNK : ops - done;
		for (uint64_t i = 0; i < chunk; i++)
			churn_one(m, &pool, &rng, false);
		done += chunk;
		if (journal) {
			struct journal_bytes b;
			journal_bytes(&m->j, &b);
			res.steps += m->j.nsteps;
			res.jb.rec += b.rec;
			res.jb.steps += b.steps;
			res.jb.fields += b.fields;
			res.jb.ops += b.ops;
			res.jb.ck += b.ck;
			size_t bytes = b.rec + b.steps + b.fields + b.ops;
			if (bytes > res.journal_bytes)
				res.journal_bytes = bytes;
			if (done < ops) {
				secs += now() - t0;
				if (mode == J_FRESH)
					journal_free(&m->j);
				machine_journal(m, false);
				machine_journal(m, true);
				t0 = now();
			}
		}
	}
	res.secs = secs + now() - t0;
	res.ops = ops;
	res.nomem = pool.nomem;
	res.einval = pool.einval;

	char why[256];
	machine_journal(m, false);
	res.consistent = check_machine(m, why, sizeof why) == 0;
	if (!res.consistent)
		printf("  warning: the machine is inconsistent after the run: %s\n", why);
	machine_free(m);
	return res;
}

static const char *verdict(bool met) { return met ? "met" : "MISSED"; }

static void report_churn(const char *name, const struct result *r, double target)
{
	double mops = (double)r->ops / r->secs / 1e6;
	if (target > 0)
		printf("buddy churn, journal %s: %.2f M ops/s (target %g): %s\n", name, mops, target,
		       verdict(mops >= target));
	else
		printf("buddy churn, journal %s: %.2f M ops/s\n", name, mops);
	printf("  %llu ops in %.3f s, %.1f ns/op; %llu allocations failed (nomem), %llu rejected\n",
	       (unsigned long long)r->ops, r->secs, r->secs * 1e9 / (double)r->ops,
	       (unsigned long long)r->nomem, (unsigned long long)r->einval);
}

int main(int argc, char **argv)
{
	uint64_t ops = argc > 1 ? strtoull(argv[1], NULL, 10) : 8000000;
	if (ops < 4)
		ops = 4;

	printf("memstep buddy benchmark: 4 GiB x86_64, orders 0..3, GFP_KERNEL, pool of %u blocks "
	       "(prefilled to %u)\n",
	       POOL, POOL / 2);

	/* (a) */
	struct result off = churn(ops, J_OFF);
	report_churn("off", &off, 10);
	struct result on = churn(ops / 4, J_FRESH);
	report_churn("on", &on, 4);
	struct result reused = churn(ops / 4, J_REUSED);
	report_churn("on, buffers reused (no growth, for comparison)", &reused, 0);

	/* (b) */
	size_t fb = sizeof(struct frame);
	printf("bytes per frame: %zu (target <= 24): %s\n", fb, verdict(fb <= 24));
	double st = (double)on.steps, total = (double)(on.jb.rec + on.jb.steps + on.jb.fields + on.jb.ops);
	printf("journal bytes per step: %.1f (target <= 48): %s\n", total / st, verdict(total / st <= 48));
	printf("  records %.1f, step entry %.1f, fields %.1f, op entries %.1f; steps per op %.2f\n",
	       (double)on.jb.rec / st, (double)on.jb.steps / st, (double)on.jb.fields / st, (double)on.jb.ops / st,
	       st / (double)on.ops);
	printf("  journal memory: %.0f bytes per op, largest %.1f MiB (emptied every %llu ops); "
	       "checkpoints %.1f bytes per step more\n",
	       total / (double)on.ops, (double)on.journal_bytes / (1 << 20), JOURNAL_CHUNK, (double)on.jb.ck / st);

	/* (c) */
	double best = 1e9, best_free = 1e9;
	for (int i = 0; i < 5; i++) {
		double t0 = now();
		struct machine *m = boot(64ull << 30);
		double t1 = now();
		machine_free(m);
		double t2 = now();
		if (t1 - t0 < best)
			best = t1 - t0;
		if (t2 - t1 < best_free)
			best_free = t2 - t1;
	}
	printf("64 GiB machine ready in %.4f s, best of 5 (target < 0.5): %s\n", best, verdict(best < 0.5));
	printf("  freed in %.4f s\n", best_free);
	return 0;
}
