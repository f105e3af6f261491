/*
 * kmalloc/kfree benchmark: a report, not a test (always exits 0).
 *
 * kfree finds an object's slab from its address (virt_to_slab), so its cost
 * must not grow with the number of slabs.  With 10^3, 10^4 and 10^5 objects
 * of several kmalloc caches held live (tens to thousands of slabs), time
 * PAIRS kfree(kmalloc(64)) pairs with the journal off, then a tenth as many
 * with the journal on; the per-pair cost should stay flat across the three.
 *
 * Usage: bench_slub [PAIRS]   (default 1,000,000; target: under 1 s)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/gfp.h"
#include "mm/machine.h"
#include "mm/slub.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t obj_addr(const struct machine *m, const struct kobj *o)
{
	return slab_obj_addr(m, o->slab, o->index);
}

/* Hold `live` objects of sizes 8..4096, so every cache has slabs. */
static void fill(struct machine *m, unsigned live)
{
	static const uint64_t sizes[] = {8, 64, 96, 192, 512, 1024, 4096};
	for (unsigned i = 0; i < live; i++) {
		struct kobj o;
		if (kmalloc(m, sizes[i % 7], GFP_KERNEL, &o) != MM_OK) {
			fprintf(stderr, "bench_slub: kmalloc failed while filling: %s\n", m->reason);
			exit(0);
		}
	}
}

static double pairs_time(struct machine *m, unsigned long pairs)
{
	double t0 = now();
	for (unsigned long i = 0; i < pairs; i++) {
		struct kobj o;
		if (kmalloc(m, 64, GFP_KERNEL, &o) != MM_OK || kfree(m, obj_addr(m, &o)) != MM_OK) {
			fprintf(stderr, "bench_slub: pair %lu failed: %s%s\n", i, m->error, m->reason);
			return -1;
		}
	}
	return now() - t0;
}

static uint32_t slabs(const struct machine *m)
{
	uint32_t n = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		n += cache_at(m, c)->nr_slabs;
	return n;
}

int main(int argc, char **argv)
{
	unsigned long pairs = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000ul;
	static const unsigned lives[] = {1000, 10000, 100000};
	printf("bench_slub: %lu kfree(kmalloc(64)) pairs on a 4 GiB x86_64 machine\n", pairs);
	for (int j = 0; j < 2; j++) {
		unsigned long n = j ? pairs / 10 : pairs;
		for (int i = 0; i < 3; i++) {
			struct mm_config c;
			mm_config_default(&c);
			c.memory = 4ull << 30;
			char why[256];
			struct machine *m = machine_new(&c, why, sizeof why);
			if (!m) {
				fprintf(stderr, "bench_slub: %s\n", why);
				return 0;
			}
			fill(m, lives[i]);
			machine_journal(m, j == 1);
			double t = pairs_time(m, n);
			if (t >= 0)
				printf("  journal %-3s %6u live objects in %5u slabs: %8lu pairs in %.3f s, "
				       "%.0f ns per pair%s\n",
				       j ? "on" : "off", lives[i], slabs(m), n, t, t * 1e9 / (double)n,
				       j == 0 && i == 2 && n >= 1000000 ? (t < 1.0 ? "  (target < 1 s: met)" : "  (target < 1 s: MISSED)")
							: "");
			machine_free(m);
		}
	}
	return 0;
}
