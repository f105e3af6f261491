/*
 * memblock benchmark: a report, not a test (always exits 0).
 *
 * A 64 GiB PC-like map (RAM below 640K, below 3G and from 4G, firmware
 * ranges between), booted with the scenario's boot phase: the kernel image
 * reserved, 64 early memblock_alloc calls (the memmap's share among them,
 * 1 GiB), then memblock_free_all handing the free ranges to the buddy, once
 * with the journal on and an event per block (a scenario's boot) and once
 * as the instant boot of machine_new.  The hand-over touches only block
 * heads: its cost follows the number of blocks (about 16K of order 10 for
 * 64 GiB), not the 16M frames.  Target: under 0.1 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#include "mm/machine.h"
#include "mm/memblock.h"

#define GB (1ull << 30)
#define MB (1ull << 20)

static void pc_map(struct mm_config *c, bool boot)
{
	mm_config_default(c);
	static const struct e820_entry map[] = {
		{0, 0x9fc00, E820_TYPE_RAM, ""},
		{0x9fc00, 0x60400, E820_TYPE_RESERVED, ""},
		{1 * MB, 3 * GB - 1 * MB, E820_TYPE_RAM, ""},
		{0xfec00000, 0x1000, E820_TYPE_RESERVED, ""},
		{4 * GB, 61 * GB, E820_TYPE_RAM, ""},
	};
	c->nr_e820 = sizeof map / sizeof *map;
	memcpy(c->e820, map, sizeof map);
	c->nr_boot_reserve = 1;
	c->boot_reserve[0] = (struct e820_entry){16 * MB, 64 * MB, E820_TYPE_RESERVED, "kernel"};
	c->boot = boot;
}

static struct machine *make(bool boot, double *took)
{
	struct mm_config c;
	char why[256];
	pc_map(&c, boot);
	double t0 = now();
	struct machine *m = machine_new(&c, why, sizeof why);
	*took = now() - t0;
	if (!m) {
		fprintf(stderr, "bench_memblock: machine_new: %s\n", why);
		exit(1);
	}
	return m;
}

static unsigned blocks;
static void count(void *ctx, const struct machine *m, const struct event *e)
{
	(void)ctx;
	(void)m;
	blocks += e->kind == EV_FREE_PAGES_CORE;
}

int main(void)
{
	double t_new, t_inst;
	struct machine *m = make(true, &t_new);
	machine_journal(m, true);
	m->listener = count;
	double t0 = now();
	for (unsigned i = 0; i < 64; i++) {
		uint64_t a;
		if (memblock_alloc(m, i == 0 ? 1 * GB : 64 * 1024 * (i + 1), 4096, &a) != MM_OK) {
			fprintf(stderr, "bench_memblock: memblock_alloc: %s%s\n", m->error, m->reason);
			return 0;
		}
	}
	double t1 = now();
	memblock_free_all(m, true);
	double t2 = now();
	uint64_t managed = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		managed += m->zones[i].managed;
	printf("memblock, 64 GiB map (%u frames, %u memory regions, %u reserved):\n", m->nr_frames,
	       memblock_root(m)->memory.cnt, memblock_root(m)->reserved.cnt);
	printf("  machine_new in the boot phase      %8.4f s\n", t_new);
	printf("  64 memblock_alloc (journal on)     %8.4f s\n", t1 - t0);
	printf("  memblock_free_all, %5u blocks     %8.4f s  (journal on, an event per block; target < 0.1 s)\n",
	       blocks, t2 - t1);
	printf("  managed pages after                %llu\n", (unsigned long long)managed);
	machine_free(m);
	m = make(false, &t_inst);
	printf("  machine_new, instant boot          %8.4f s  (the same hand-over, no journal)\n", t_inst);
	machine_free(m);
	return 0;
}
