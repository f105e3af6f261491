/*
 * SLOB vs SLUB: a kmalloc churn, a report, not a test (always exits 0).
 *
 * With LIVE objects of random sizes (8..1000 bytes) held, OPS operations
 * each kfree a random live object and kmalloc a new one of a random size,
 * the journal off, on a SLUB and on a SLOB machine; at three LIVE sizes
 * (10^2, 10^3, 10^4).  SLUB's cost should stay flat; SLOB's first fit
 * walks its list's pages and each page's free blocks, so it grows with the
 * pages on a list: slower by nature (the issue asks within 2x of SLUB, or
 * why not).
 *
 * Usage: bench_slob [OPS]   (default 1,000,000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/gfp.h"
#include "mm/machine.h"
#include "mm/slab_alloc.h"
#include "mm/slub.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return *s;
}

static int one(struct machine *m, uint64_t *seed, uint64_t *slot)
{
	struct kobj o;
	if (kmalloc(m, 8 + next(seed) % 993, GFP_KERNEL, &o) != MM_OK)
		return -1;
	*slot = o.large ? slab_obj_addr(m, o.rec, KOBJ_LARGE) : slab_obj_addr(m, o.slab, o.index);
	return 0;
}

/* Seconds for ops churn operations on a machine holding live objects. */
static double churn(unsigned slab, unsigned live, unsigned long ops)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = 256ull << 20;
	c.slab = slab;
	char why[256];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_slob: %s\n", why);
		exit(0);
	}
	machine_journal(m, false);
	uint64_t seed = 88172645463325252ull, *held = malloc(live * sizeof *held);
	for (unsigned i = 0; i < live; i++)
		if (one(m, &seed, &held[i])) {
			fprintf(stderr, "bench_slob: kmalloc failed while filling: %s\n", m->reason);
			exit(0);
		}
	double t0 = now();
	for (unsigned long i = 0; i < ops; i++) {
		unsigned k = (unsigned)(next(&seed) % live);
		if (kfree(m, held[k]) != MM_OK || one(m, &seed, &held[k])) {
			fprintf(stderr, "bench_slob: churn failed: %s %s\n", m->error, m->reason);
			exit(0);
		}
	}
	double t = now() - t0;
	free(held);
	machine_free(m);
	return t;
}

int main(int argc, char **argv)
{
	unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	printf("kmalloc churn: %lu x (kfree a random live object, kmalloc 8..1000 bytes), journal off\n", ops);
	printf("%10s %12s %12s %8s\n", "live", "slub s", "slob s", "slob/slub");
	for (unsigned live = 100; live <= 10000; live *= 10) {
		double u = churn(SLAB_ALLOCATOR_SLUB, live, ops), o = churn(SLAB_ALLOCATOR_SLOB, live, ops);
		printf("%10u %12.3f %12.3f %8.2f\n", live, u, o, o / u);
	}
	return 0;
}
