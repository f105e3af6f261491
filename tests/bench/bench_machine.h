/* Shared by the benchmarks of src/mm: a default x86_64 machine of this size. */
#ifndef BENCH_MACHINE_H
#define BENCH_MACHINE_H

#include <stdio.h>
#include <stdlib.h>

#include "mm/machine.h"

static inline struct machine *bench_boot(const char *who, uint64_t memory)
{
	struct mm_config c;
	char why[256];
	mm_config_default(&c);
	c.memory = memory;
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "%s: machine_new: %s\n", who, why);
		exit(1);
	}
	return m;
}

#endif
