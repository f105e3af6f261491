/*
 * glibc malloc model benchmark: a report, not a test (always exits 0).
 *
 * malloc/free pairs on the model of ptmalloc2 (src/mm/textbook/malloc.h):
 * one size again and again (the tcache's path), then random sizes from 16
 * bytes to 4 KiB among 1,000 live blocks (fastbins, the unsorted bin,
 * small and large bins, splits and merges with top).  The target
 * is a pair under 1 us.  Journal off (the algorithm), then on (what a
 * scenario pays to be able to step back).  CPU time of the process.
 *
 * Usage: bench_glibc_malloc [PAIRS]   (default 1000000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

#include "mm/machine.h"
#include "mm/textbook/malloc.h"

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void run(unsigned pairs, bool journal)
{
	struct mm_config c;
	char why[256];
	mm_config_default(&c);
	c.memory = 64ull << 20;
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_glibc_malloc: machine_new: %s\n", why);
		exit(1);
	}
	machine_journal(m, journal);
	struct ma_config hc = {.max_heap = 64ull << 20};
	uint32_t h = malloc_heap_new(m, &hc);
	enum { LIVE = 1000 };
	uint64_t live[LIVE] = {0}, rng = 42;
	double t0 = cpu();
	for (unsigned i = 0; i < pairs; i++)
		ma_free(m, h, ma_malloc(m, h, 24));
	double t1 = cpu();
	for (unsigned i = 0; i < LIVE; i++)
		live[i] = ma_malloc(m, h, 16 + rng_next(&rng) % 4080);
	double t2 = cpu();
	for (unsigned i = 0; i < pairs; i++) {
		unsigned k = (unsigned)(rng_next(&rng) % LIVE);
		ma_free(m, h, live[k]);
		live[k] = ma_malloc(m, h, 16 + rng_next(&rng) % 4080);
	}
	double t3 = cpu();
	const char *dead = ma_dead(m, malloc_heap_at(m, h));
	printf("journal %-3s: malloc(24)+free %6.0f ns/pair; free+malloc of 16..4096 bytes among %u live %6.0f ns/pair%s%s\n",
	       journal ? "on" : "off", (t1 - t0) * 1e9 / pairs, LIVE, (t3 - t2) * 1e9 / pairs, dead ? "; DIED: " : "",
	       dead ? dead : "");
	fflush(stdout);
	machine_free(m);
}

int main(int argc, char **argv)
{
	unsigned pairs = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000;
	printf("bench_glibc_malloc: %u pairs each (target: a malloc/free pair under 1 us)\n", pairs);
	run(pairs, false);
	run(pairs / 10 ? pairs / 10 : 1, true);
	return 0;
}
