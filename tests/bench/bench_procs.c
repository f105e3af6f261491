/*
 * Process benchmark: a report, not a test (always exits 0).
 *
 * (a) 1M anonymous write faults on a 4 GiB x86_64 machine, journal off:
 *     four rounds of touching 1 GiB and unmapping it (target < 1 s);
 * (b) fork of a process with 100k mapped pages (target < 50 ms);
 * Times are CPU time (see now()).
 * (c) the cost of a fault and of an rmap walk with 10, 1000 and 10000 VMAs
 *     in the mm (it must not grow with the number of VMAs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/machine.h"
#include "mm/procs.h"

#define PG 4096ull

/* CPU time of this process: the machine the benchmarks run on is shared,
 * and wall time counts the other programs' turns too. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct machine *boot4g(void)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = 4ull << 30;
	char why[200];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_procs: %s\n", why);
		exit(0);
	}
	return m;
}

static uint64_t area(struct machine *m, uint32_t pid, uint64_t len, unsigned prot)
{
	uint64_t a = 0;
	if (do_mmap(m, pid, 0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, &a) != MM_OK)
		fprintf(stderr, "mmap failed: %s%s\n", m->error, m->reason);
	return a;
}

static void faults(void)
{
	struct machine *m = boot4g();
	uint32_t pid;
	process_create(m, "bench", &pid);
	struct fault_result r;
	uint64_t n = 0;
	double t0 = now();
	for (int round = 0; round < 4; round++) {
		uint64_t a = area(m, pid, 1ull << 30, VM_READ | VM_WRITE);
		for (uint64_t i = 0; i < (1ull << 30) / PG; i++, n++)
			handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
		do_munmap(m, pid, a, 1ull << 30);
	}
	double t = now() - t0;
	printf("anonymous write faults: %llu in %.3f s (%.0f ns each, with the munmaps) (target < 1 s): %s\n",
	       (unsigned long long)n, t, t * 1e9 / (double)n, t < 1 ? "met" : "MISSED");
	machine_free(m);
}

static void fork_100k(void)
{
	struct machine *m = boot4g();
	uint32_t pid, child;
	process_create(m, "bench", &pid);
	uint64_t a = area(m, pid, 100000 * PG, VM_READ | VM_WRITE);
	struct fault_result r;
	for (uint64_t i = 0; i < 100000; i++)
		handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
	double t0 = now();
	int rc = do_fork(m, pid, &child);
	double t = now() - t0;
	printf("fork of 100k mapped pages: %.1f ms (rc %d) (target < 50 ms): %s\n", t * 1e3, rc,
	       t < 0.05 ? "met" : "MISSED");
	t0 = now();
	do_exit(m, child);
	printf("exit of the child: %.1f ms\n", (now() - t0) * 1e3);
	machine_free(m);
}

/* n VMAs in the mm, all cut by mprotect from one area whose pages were
 * touched first, so they share one anon_vma; then time write faults in a
 * fresh area and rmap walks of a page of the cut area. */
static void scaling(unsigned nvmas)
{
	struct machine *m = boot4g();
	uint32_t pid;
	process_create(m, "bench", &pid);
	uint64_t cut = area(m, pid, nvmas * PG, VM_READ | VM_WRITE);
	struct fault_result r;
	for (unsigned i = 0; i < nvmas; i++)
		handle_access(m, pid, cut + i * PG, ACC_WRITE, i, &r);
	for (unsigned i = 1; i < nvmas; i += 2)
		do_mprotect(m, pid, cut + i * PG, PG, VM_READ);
	uint32_t pfn = r.pfn;
	uint64_t a = area(m, pid, 20000 * PG, VM_READ | VM_WRITE);
	double t0 = now();
	for (uint64_t i = 0; i < 20000; i++)
		handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
	double tf = (now() - t0) / 20000;
	struct rmap_hit hit;
	t0 = now();
	unsigned found = 0;
	for (int i = 0; i < 200000; i++)
		found += rmap_walk(m, pfn, false, &hit, 1);
	double tw = (now() - t0) / 200000;
	printf("%5u VMAs (%u sharing one anon_vma): a write fault %.0f ns, an rmap walk %.0f ns (%u found)\n",
	       task_mm(m, pid)->map_count, nvmas, tf * 1e9, tw * 1e9, found / 200000);
	machine_free(m);
}

/* n processes, each with 4 touched pages; then time write faults in the
 * last one and rmap walks of one of its pages: neither may grow with n. */
static void scaling_procs(unsigned n)
{
	struct machine *m = boot4g();
	uint32_t pid = 0;
	struct fault_result r;
	for (unsigned p = 0; p < n; p++) {
		process_create(m, "bench", &pid);
		uint64_t a = area(m, pid, 4 * PG, VM_READ | VM_WRITE);
		for (unsigned i = 0; i < 4; i++)
			handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
	}
	uint32_t pfn = r.pfn;
	uint64_t a = area(m, pid, 20000 * PG, VM_READ | VM_WRITE);
	double t0 = now();
	for (uint64_t i = 0; i < 20000; i++)
		handle_access(m, pid, a + i * PG, ACC_WRITE, i, &r);
	double tf = (now() - t0) / 20000;
	struct rmap_hit hit;
	t0 = now();
	unsigned found = 0;
	for (int i = 0; i < 200000; i++)
		found += rmap_walk(m, pfn, false, &hit, 1);
	double tw = (now() - t0) / 200000;
	printf("%5u processes: a write fault %.0f ns, an rmap walk %.0f ns (%u found)\n", procs_root(m)->tasks.n,
	       tf * 1e9, tw * 1e9, found / 200000);
	machine_free(m);
}

int main(void)
{
	faults();
	fork_100k();
	scaling(10);
	scaling(1000);
	scaling(10000);
	scaling_procs(10);
	scaling_procs(1000);
	scaling_procs(10000);
	return 0;
}
