/*
 * Thrashing benchmark: a report, not a test (always exits 0).
 *
 * Issue 12's machine: 4 GiB of RAM and 1 GiB of swap under a working set
 * of 6 GiB, 1 M accesses.  6 GiB of anonymous memory cannot live in 5 GiB,
 * so the working set is 4 GiB of anonymous memory (what RAM and swap can
 * hold) plus 2 GiB of file-backed memory (two 1 GiB files mapped shared,
 * read through their page cache, evicted and re-read).  One process
 * touches every page once (populate), then makes 1 M accesses at random
 * pages of the 6 GiB (two thirds anonymous writes, a third file reads).
 * With two thirds of the set resident about a third of them miss: each
 * miss reclaims (anon to swap, file pages dropped) and reads back, so the
 * timed part is the reclaim and swap path, with workingset refaults.
 * Journal off; CPU time.  Faults that found no memory are counted (the
 * model's slow path does not call the OOM killer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/machine.h"
#include "mm/procs.h"
#include "mm/swap.h"
#include "mm/vmscan.h"

#define PG 4096ull
#define GIB (1ull << 30)
#define ANON_PAGES (4 * GIB / PG)
#define FILE_PAGES (GIB / PG) /* per file, the most one file holds */
#define ALL_PAGES (ANON_PAGES + 2 * FILE_PAGES)
#define ACCESSES 1000000u

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct counts {
	uint64_t major, nomem, pswpin, pswpout, refault[2], activate[2];
};

static void snap(const struct machine *m, struct counts *c, uint64_t major, uint64_t nomem)
{
	const struct lruvec *l = node_lruvec(m, 0);
	c->major = major;
	c->nomem = nomem;
	c->pswpin = swap_root(m)->pswpin;
	c->pswpout = swap_root(m)->pswpout;
	for (int f = 0; f < 2; f++) {
		c->refault[f] = l->ws_refault[f];
		c->activate[f] = l->ws_activate[f];
	}
}

static void report(const char *what, double secs, uint64_t n, const struct counts *a, const struct counts *b)
{
	printf("%s: %llu accesses in %.2f s (%.0f ns each)\n", what, (unsigned long long)n, secs, secs * 1e9 / (double)n);
	printf("  major faults %llu, no memory %llu, pswpin %llu, pswpout %llu\n",
	       (unsigned long long)(b->major - a->major), (unsigned long long)(b->nomem - a->nomem),
	       (unsigned long long)(b->pswpin - a->pswpin), (unsigned long long)(b->pswpout - a->pswpout));
	printf("  workingset refaults anon %llu file %llu, activated anon %llu file %llu\n",
	       (unsigned long long)(b->refault[0] - a->refault[0]), (unsigned long long)(b->refault[1] - a->refault[1]),
	       (unsigned long long)(b->activate[0] - a->activate[0]),
	       (unsigned long long)(b->activate[1] - a->activate[1]));
}

int main(void)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = 4 * GIB;
	char why[200];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_thrash: %s\n", why);
		return 0;
	}
	uint32_t pid, f[2];
	unsigned type;
	uint64_t anon, file[2];
	process_create(m, "bench", &pid);
	if (do_swapon(m, GIB, 0, false, NULL, &type) != MM_OK ||
	    do_mmap(m, pid, 0, ANON_PAGES * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &anon) != MM_OK) {
		fprintf(stderr, "bench_thrash: %s\n", m->error);
		return 0;
	}
	for (int i = 0; i < 2; i++)
		if (file_create(m, "data", FILE_PAGES * PG, &f[i]) != MM_OK ||
		    do_mmap_file(m, pid, 0, FILE_PAGES * PG, VM_READ, MAP_SHARED, f[i], 0, &file[i]) != MM_OK) {
			fprintf(stderr, "bench_thrash: %s\n", m->error);
			return 0;
		}
	uint64_t major = 0, nomem = 0, seed = 42;
	struct fault_result r;
	struct counts c0, c1, c2;
	snap(m, &c0, 0, 0);
	double t0 = now();
	for (uint64_t p = 0; p < ALL_PAGES; p++) {
		uint64_t va = p < ANON_PAGES ? anon + p * PG : file[(p - ANON_PAGES) / FILE_PAGES] + (p - ANON_PAGES) % FILE_PAGES * PG;
		int rc = handle_access(m, pid, va, p < ANON_PAGES ? ACC_WRITE : ACC_READ, p, &r);
		nomem += rc != MM_OK;
		major += rc == MM_OK && r.major;
	}
	double t1 = now();
	snap(m, &c1, major, nomem);
	for (uint32_t i = 0; i < ACCESSES; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		uint64_t p = seed % ALL_PAGES;
		uint64_t va = p < ANON_PAGES ? anon + p * PG : file[(p - ANON_PAGES) / FILE_PAGES] + (p - ANON_PAGES) % FILE_PAGES * PG;
		int rc = handle_access(m, pid, va, p < ANON_PAGES ? ACC_WRITE : ACC_READ, i, &r);
		nomem += rc != MM_OK;
		major += rc == MM_OK && r.major;
	}
	double t2 = now();
	snap(m, &c2, major, nomem);
	printf("4 GiB RAM, 1 GiB swap, 6 GiB working set (4 GiB anon + 2 GiB file), journal off\n");
	report("populate (each page once)", t1 - t0, ALL_PAGES, &c0, &c1);
	report("1 M random accesses", t2 - t1, ACCESSES, &c1, &c2);
	printf("1 M accesses: %.2f s (target < 3 s): %s\n", t2 - t1, t2 - t1 < 3 ? "met" : "MISSED");
	machine_free(m);
	return 0;
}
