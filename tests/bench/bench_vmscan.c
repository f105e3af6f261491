/*
 * Reclaim benchmark: a report, not a test (always exits 0).
 *
 * The cost of reclaiming one page-cache page with 20k, 100k and 1M pages
 * on the inactive file list (x86_64, 6 GiB, journal off): memory.reclaim
 * of 20000 pages, each read once before (PG_referenced: clean, so freed at
 * the first look).  Reclaim takes pages from the list's tail and moves
 * nothing else, so the cost per page must not grow with the list.
 * Times are CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/machine.h"
#include "mm/procs.h"
#include "mm/vmscan.h"

#define PG 4096ull
#define FILE_PAGES 262144u /* the most one file holds */
#define RECLAIM 20000u

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double per_page(uint32_t pages)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = 6ull << 30;
	char why[200];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_vmscan: %s\n", why);
		exit(0);
	}
	uint32_t id = 0;
	for (uint32_t i = 0; i < pages; i++) {
		if (i % FILE_PAGES == 0 && file_create(m, "f", FILE_PAGES * PG, &id) != MM_OK) {
			fprintf(stderr, "bench_vmscan: %s\n", m->error);
			exit(0);
		}
		uint64_t v;
		unsigned n, disk;
		file_read(m, id, (uint64_t)(i % FILE_PAGES) * PG, PG, &v, 1, &n, &disk);
	}
	uint64_t got = 0;
	double t0 = now();
	memory_reclaim(m, RECLAIM, &got);
	double t = now() - t0;
	if (got < RECLAIM || node_lruvec(m, 0)->lists[LRU_INACTIVE_FILE].nr != pages - got)
		fprintf(stderr, "bench_vmscan: reclaimed %llu of %u\n", (unsigned long long)got, RECLAIM);
	machine_free(m);
	return t * 1e9 / (double)got;
}

int main(void)
{
	static const uint32_t sizes[] = {RECLAIM, 100000, 1000000};
	double ns[3];
	for (int i = 0; i < 3; i++) {
		ns[i] = per_page(sizes[i]);
		printf("reclaim one page with %7u pages on the inactive file list: %.0f ns\n", sizes[i], ns[i]);
	}
	double ratio = ns[2] / ns[0];
	printf("1M vs 20k: x%.2f (target: flat, under x2): %s\n", ratio, ratio < 2 ? "met" : "MISSED");
	return 0;
}
