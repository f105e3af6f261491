/*
 * Reclaim benchmark: a report, not a test (always exits 0).
 *
 * The cost of reclaiming one page-cache page with 20k, 100k and 1M pages
 * on the inactive file list (x86_64, 6 GiB, journal off): memory.reclaim
 * of 20000 pages, each read once before (PG_referenced: clean, so freed at
 * the first look).  Reclaim takes pages from the list's tail and moves
 * nothing else, so the cost per page must not grow with the list.
 * The same for anonymous pages with 1 GiB of swap (each written once, so
 * young: reclaim activates the first ones it meets, then swaps out
 * pages off the tail, each leaving a shadow entry in its slot).  Every
 * young page is scanned and activated first, as the kernel does, so the
 * pages scanned per page reclaimed grow with the list: the flat figure
 * for anon is the cost per page scanned (pgscan + pgrefill).
 * Times are CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/machine.h"
#include "mm/procs.h"
#include "mm/swap.h"
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

static double per_page(uint32_t pages, bool anon, double *per_scanned)
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
	uint32_t id = 0, pid;
	uint64_t a;
	unsigned type;
	struct fault_result r;
	if (anon && (process_create(m, "bench", &pid) != MM_OK || do_swapon(m, 1ull << 30, 0, false, NULL, &type) != MM_OK ||
		     do_mmap(m, pid, 0, pages * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a) != MM_OK)) {
		fprintf(stderr, "bench_vmscan: %s\n", m->error);
		exit(0);
	}
	for (uint32_t i = 0; anon && i < pages; i++)
		handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
	for (uint32_t i = 0; !anon && i < pages; i++) {
		if (i % FILE_PAGES == 0 && file_create(m, "f", FILE_PAGES * PG, &id) != MM_OK) {
			fprintf(stderr, "bench_vmscan: %s\n", m->error);
			exit(0);
		}
		uint64_t v;
		unsigned n, disk;
		file_read(m, id, (uint64_t)(i % FILE_PAGES) * PG, PG, &v, 1, &n, &disk);
	}
	uint64_t got = 0;
	uint32_t scanned0 = vmscan_root(m)->ev.pgscan_proactive + vmscan_root(m)->ev.pgrefill;
	double t0 = now();
	memory_reclaim(m, RECLAIM, &got);
	double t = now() - t0;
	*per_scanned = t * 1e9 / (double)(vmscan_root(m)->ev.pgscan_proactive + vmscan_root(m)->ev.pgrefill - scanned0);
	if (got < RECLAIM || (!anon && node_lruvec(m, 0)->lists[LRU_INACTIVE_FILE].nr != pages - got))
		fprintf(stderr, "bench_vmscan: reclaimed %llu of %u\n", (unsigned long long)got, RECLAIM);
	machine_free(m);
	return t * 1e9 / (double)got;
}

int main(void)
{
	static const uint32_t sizes[] = {RECLAIM, 100000, 1000000};
	for (int anon = 0; anon < 2; anon++) {
		double ns[3], scan[3];
		for (int i = 0; i < 3; i++) {
			ns[i] = per_page(sizes[i], anon, &scan[i]);
			printf("reclaim one page with %7u %s pages listed: %.0f ns (%.0f ns per page scanned)\n", sizes[i],
			       anon ? "anon (to swap)" : "page-cache", ns[i], scan[i]);
		}
		/* young anon pages are activated before any is swapped: more of
		 * them with longer lists, so the flat figure is per page scanned */
		double ratio = anon ? scan[2] / scan[0] : ns[2] / ns[0];
		printf("1M vs 20k: x%.2f (target: flat, under x2): %s\n", ratio, ratio < 2 ? "met" : "MISSED");
	}
	return 0;
}
