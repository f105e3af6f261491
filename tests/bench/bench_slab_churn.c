/*
 * kmalloc churn under SLUB and under SLAB (mm/slab.c, 6.7): a report, not
 * a test (always exits 0).  With 10^3, 10^4 and 10^5 objects held live,
 * OPS random operations (each a kmalloc of 32..2048 bytes into a free slot
 * of the live set, or a kfree of a held object), journal off, on a 4 GiB
 * x86_64 machine of 2 CPUs.  Target: SLAB within 2x of SLUB.
 *
 * Usage: bench_slab_churn [OPS]   (default 1,000,000)
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

/* Seconds for `ops` operations over a live set of `live` slots, or -1. */
static double churn(unsigned slab, unsigned live, unsigned long ops)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = 4ull << 30;
	c.cpus = 2;
	c.slab = slab;
	char why[256];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_slab_churn: %s\n", why);
		return -1;
	}
	uint64_t *held = calloc(2 * (size_t)live, sizeof *held), seed = 0x5eed;
	for (unsigned i = 0; i < live; i += 2) { /* half full to start */
		struct kobj o;
		if (kmalloc(m, 32u << (i % 7), GFP_KERNEL, &o) == MM_OK)
			held[2 * i] = slab_obj_addr(m, o.slab, o.index);
	}
	double t0 = now();
	for (unsigned long n = 0; n < ops; n++) {
		uint64_t x = next(&seed);
		unsigned k = (unsigned)(x % live);
		if (held[2 * k]) {
			if (kfree(m, held[2 * k]) != MM_OK) {
				fprintf(stderr, "bench_slab_churn: kfree: %s\n", m->error);
				break;
			}
			held[2 * k] = 0;
		} else {
			struct kobj o;
			if (kmalloc(m, 32 + (x >> 32) % 2017, GFP_KERNEL, &o) != MM_OK) {
				fprintf(stderr, "bench_slab_churn: kmalloc: %s%s\n", m->error, m->reason);
				break;
			}
			held[2 * k] = slab_obj_addr(m, o.slab, o.index);
		}
	}
	double t = now() - t0;
	free(held);
	machine_free(m);
	return t;
}

int main(int argc, char **argv)
{
	unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000ul;
	static const unsigned lives[] = {1000, 10000, 100000};
	printf("bench_slab_churn: %lu kmalloc/kfree operations, 4 GiB x86_64, 2 CPUs, journal off\n", ops);
	for (int i = 0; i < 3; i++) {
		double slub = churn(SLAB_ALLOCATOR_SLUB, lives[i], ops);
		double slab = churn(SLAB_ALLOCATOR_SLAB, lives[i], ops);
		printf("  %6u live slots: SLUB %.3f s, SLAB %.3f s: SLAB/SLUB %.2f%s\n", lives[i], slub, slab,
		       slab / slub, slab <= 2 * slub ? "  (target <= 2: met)" : "  (target <= 2: MISSED)");
	}
	return 0;
}
