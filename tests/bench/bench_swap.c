/*
 * Swap benchmark: a report, not a test (always exits 0).
 *
 * The cost of swapping a page out (MADV_PAGEOUT: a slot from the cluster
 * allocator, the swap cache, try_to_unmap, the write, the free) and of
 * faulting it back in (do_swap_page reading the slot), 8 rounds of 12K pages of a
 * 1 GiB x86_64 machine with swap areas of 64 MiB, 1 GiB and 16 GiB,
 * journal off.  Neither may grow with the size of the area: the allocator
 * takes a slot from the CPU's cluster or the head of a cluster list, never
 * scanning the area.  Times are CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/machine.h"
#include "mm/procs.h"
#include "mm/swap.h"

#define PG 4096ull
#define PAGES 12288u /* 48 MiB: fits the smallest area */
#define ROUNDS 8

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void run(uint64_t swap_bytes, double *out_ns, double *in_ns)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = 1ull << 30;
	char why[200];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_swap: %s\n", why);
		exit(0);
	}
	uint32_t pid;
	unsigned type, paged;
	uint64_t a;
	struct fault_result r;
	process_create(m, "bench", &pid);
	if (do_swapon(m, swap_bytes, 0, false, NULL, &type) != MM_OK ||
	    do_mmap(m, pid, 0, PAGES * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a) != MM_OK) {
		fprintf(stderr, "bench_swap: %s\n", m->error);
		exit(0);
	}
	for (uint64_t i = 0; i < PAGES; i++)
		handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
	double tout = 0, tin = 0;
	uint64_t bad = 0;
	for (int round = 0; round < ROUNDS; round++) {
		double t0 = now();
		do_madvise(m, pid, a, PAGES * PG, "MADV_PAGEOUT", &paged);
		double t1 = now();
		for (uint64_t i = 0; i < PAGES; i++) {
			handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
			bad += !r.major;
		}
		tin += now() - t1;
		tout += t1 - t0;
		bad += paged != PAGES;
	}
	if (bad)
		printf("  (%llu pages not paged out or not read back)\n", (unsigned long long)bad);
	*out_ns = tout * 1e9 / (PAGES * ROUNDS);
	*in_ns = tin * 1e9 / (PAGES * ROUNDS);
	machine_free(m);
}

int main(void)
{
	static const struct {
		const char *name;
		uint64_t bytes;
	} sizes[] = {{"64 MiB", 64ull << 20}, {"1 GiB", 1ull << 30}, {"16 GiB", 16ull << 30}};
	double out[3], in[3];
	for (int i = 0; i < 3; i++) {
		run(sizes[i].bytes, &out[i], &in[i]);
		printf("swap area of %-6s: a page out %.0f ns, back in (a major write fault) %.0f ns\n", sizes[i].name,
		       out[i], in[i]);
	}
	printf("16 GiB vs 64 MiB: swap-out x%.2f, swap-in x%.2f (flat: under x1.5): %s\n", out[2] / out[0],
	       in[2] / in[0], out[2] / out[0] < 1.5 && in[2] / in[0] < 1.5 ? "met" : "MISSED");
	return 0;
}
