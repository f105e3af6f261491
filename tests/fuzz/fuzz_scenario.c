/*
 * Fuzz target: scenario text through the sandbox, as batch mode runs it, with
 * small limits so that each input ends fast.  Whatever the text does, memstep
 * must not crash, leak or hang, the invariants must hold at the end, and
 * going back to the start of the last machine's history must give its boot
 * state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/check.h"
#include "script/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario_opts o;
	scenario_opts_default(&o);
	o.limits.max_instructions = 2000000;
	o.limits.max_memory = 16u << 20;
	o.journal = true;
	o.machine.memory = 4u << 20;
	char why[256];
	struct scenario *sc = scenario_new(&o, why, sizeof why);
	if (!sc)
		abort();
	char *code = malloc(size + 1);
	if (!code)
		abort();
	memcpy(code, data, size);
	code[size] = 0;
	if (scenario_load_string(sc, code, "=fuzz") == 0)
		scenario_resume(sc);
	free(code);
	if (check_machine(sc->m, why, sizeof why) != 0) {
		fprintf(stderr, "fuzz_scenario: invariant broken: %s\n", why);
		abort();
	}
	const struct journal *j = &sc->m->j;
	if (j->nrb != journal_rec_begin(j, j->nsteps)) {
		/* Records after the last step belong to no step: going back cannot
		 * undo them.  MEMSTEP_FUZZ_NO_LARGE_KMALLOC=1 lets the fuzzer go on
		 * past this (kmalloc_large's) until it is fixed. */
		if (!getenv("MEMSTEP_FUZZ_NO_LARGE_KMALLOC")) {
			fprintf(stderr, "fuzz_scenario: journal records after the last step (they belong to no step)\n");
			abort();
		}
		scenario_free(sc);
		return 0;
	}
	uint32_t end = sc->m->j.nsteps;
	uint64_t at_end = machine_hash(sc->m);
	machine_seek(sc->m, 0);
	if (check_machine(sc->m, why, sizeof why) != 0) {
		fprintf(stderr, "fuzz_scenario: invariant broken at step 0: %s\n", why);
		abort();
	}
	machine_seek(sc->m, end);
	if (machine_hash(sc->m) != at_end) {
		fprintf(stderr, "fuzz_scenario: the end's state differs after going back and forth\n");
		abort();
	}
	scenario_free(sc);
	return 0;
}
