/*
 * vmalloc benchmark: a report, not a test (always exits 0).
 *
 * For N live areas (three sizes, 10x apart), N one-page vmallocs, then N
 * vfree/vmalloc pairs at N live areas (each frees a random live area and
 * makes a new one), then N vfrees in a shuffled order.  The cost per
 * operation should not grow with N: the busy and free trees make each
 * placement and each lookup O(log n), where a walk of the busy list made
 * them O(n).  The journal is off (the cost of the algorithm, not of
 * recording); the machine is x86_64, so every page is also mapped.
 *
 * Times are CPU time of the process (the machine may be shared), with the
 * wall-clock total beside.
 *
 * Usage: bench_vmalloc [N1 N2 N3]   (default 1000 10000 100000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

#include "mm/machine.h"
#include "mm/vmalloc.h"

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t must_vmalloc(struct machine *m, uint64_t size)
{
	uint32_t a;
	if (vmalloc(m, size, &a) != MM_OK) {
		fprintf(stderr, "bench_vmalloc: vmalloc: %s%s\n", m->error, m->reason);
		exit(1);
	}
	return vmap_start(vmap_at(m, a));
}

static void must_vfree(struct machine *m, uint64_t addr)
{
	if (vfree(m, addr) != MM_OK) {
		fprintf(stderr, "bench_vmalloc: vfree: %s\n", m->error);
		exit(1);
	}
}

static void run(unsigned n)
{
	struct mm_config c;
	char why[256];
	mm_config_default(&c);
	c.memory = 2ull << 30;
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_vmalloc: machine_new: %s\n", why);
		exit(1);
	}
	uint64_t *live = malloc(n * sizeof *live), rng = 42;
	double w0 = now(), t0 = cpu();
	for (unsigned i = 0; i < n; i++)
		live[i] = must_vmalloc(m, 4096);
	double t1 = cpu();
	for (unsigned i = 0; i < n; i++) {
		unsigned k = (unsigned)(rng_next(&rng) % n);
		must_vfree(m, live[k]);
		live[k] = must_vmalloc(m, 4096);
	}
	double t2 = cpu();
	for (unsigned i = n; i > 1; i--) {
		unsigned k = (unsigned)(rng_next(&rng) % i);
		uint64_t t = live[k];
		live[k] = live[i - 1];
		live[i - 1] = t;
	}
	for (unsigned i = 0; i < n; i++)
		must_vfree(m, live[i]);
	double t3 = cpu(), w3 = now();
	printf("%7u areas: vmalloc %6.0f ns/op, vfree+vmalloc pair %6.0f ns, vfree %6.0f ns/op; %.2f s CPU (%.2f s wall)\n",
	       n, (t1 - t0) * 1e9 / n, (t2 - t1) * 1e9 / n, (t3 - t2) * 1e9 / n, t3 - t0, w3 - w0);
	fflush(stdout);
	free(live);
	machine_free(m);
}

int main(int argc, char **argv)
{
	unsigned sizes[3] = {1000, 10000, 100000};
	for (int i = 1; i < argc && i <= 3; i++)
		sizes[i - 1] = (unsigned)strtoul(argv[i], NULL, 10);
	printf("bench_vmalloc: one-page areas on a 2 GiB x86_64 machine, journal off\n");
	for (int i = 0; i < 3; i++)
		run(sizes[i]);
	return 0;
}
