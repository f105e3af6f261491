/*
 * Compaction benchmark: a report, not a test (always exits 0).
 *
 * A 4 GiB x86_64 machine whose one zone (Normal) is fully fragmented: two
 * processes fault in pages in turn until memory is nearly full, then one
 * exits, so every other frame is free and no two free frames are buddies.
 * compact_memory (order -1) then runs on the zone with the journal off, as
 * --batch runs it (target < 1 s); the report gives the pages moved and the
 * largest free block before and after.  Times are CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/compaction.h"
#include "mm/machine.h"
#include "mm/procs.h"

#define PG 4096ull

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int largest(const struct machine *m, const struct zone *z)
{
	for (int o = (int)m->max_order - 1; o >= 0; o--)
		if (z->free_area[o].nr_free)
			return o;
	return -1;
}

int main(void)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = 4ull << 30;
	c.zones_given = true;
	c.zone_size[ZONE_NORMAL] = 4ull << 30;
	char why[200];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "bench_compaction: %s\n", why);
		return 0;
	}
	struct zone *z = machine_zone(m, 0, ZONE_NORMAL);
	uint32_t keep, gone;
	process_create(m, "keep", &keep);
	process_create(m, "gone", &gone);
	uint64_t pages = (z->free_pages - 16384) / 2, a, b;
	do_mmap(m, keep, 0, pages * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &a);
	do_mmap(m, gone, 0, pages * PG, VM_READ | VM_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &b);
	struct fault_result r;
	for (uint64_t i = 0; i < pages; i++) {
		handle_access(m, keep, a + i * PG, ACC_WRITE, i, &r);
		handle_access(m, gone, b + i * PG, ACC_WRITE, i, &r);
	}
	do_exit(m, gone);
	int before = largest(m, z);
	uint32_t free0 = z->free_area[0].nr_free;
	double t0 = now();
	enum compact_result res;
	compact_zone_op(m, z, -1, &res);
	double t = now() - t0;
	printf("compact_memory of a fragmented 4 GiB zone: %u pages moved, %u scanned by the migrate scanner and %u "
	       "by the free scanner, in %.3f s (target < 1 s): %s\n",
	       z->compact.ev[CE_PGMIGRATE_SUCCESS], z->compact.ev[CE_COMPACTMIGRATE_SCANNED],
	       z->compact.ev[CE_COMPACTFREE_SCANNED], t, t < 1 ? "met" : "MISSED");
	printf("  before: %u free single frames, largest free block order %d; after: %u, order %d (%s)\n", free0, before,
	       z->free_area[0].nr_free, largest(m, z), compact_result_names[res]);
	/* every page of the process that stayed still reads its value */
	uint64_t bad = 0;
	for (uint64_t i = 0; i < pages; i += 4099) {
		handle_access(m, keep, a + i * PG, ACC_READ, 0, &r);
		bad += r.value != i;
	}
	printf("  contents checked after: %s\n", bad ? "WRONG" : "kept");
	machine_free(m);
	return 0;
}
