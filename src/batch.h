/* Batch mode: run a scenario headless, print its trace, narration and
 * failed expectations, and exit 0/1/2/3 as DESIGN.md defines. */
#ifndef MEMSTEP_BATCH_H
#define MEMSTEP_BATCH_H

#include <stdbool.h>

#include "script/scenario.h"

enum trace_mode { TRACE_TEXT, TRACE_JSON, TRACE_NONE };

enum { EXIT_HELD = 0, EXIT_EXPECT_FAILED = 1, EXIT_BAD_SCENARIO = 2, EXIT_INVARIANT = 3 };

struct batch_opts {
	const char *file;     /* may be NULL when only -e chunks run */
	const char **chunks;  /* -e CODE, run after the file */
	int nchunks;
	enum trace_mode trace;
	bool check;           /* the invariant checker after every step */
};

int batch_run(const struct batch_opts *b, struct scenario_opts *so);

#endif
