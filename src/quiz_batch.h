/* Grading quiz answers headless: `memstep --batch --quiz=ANSWERS FILE.lua`. */
#ifndef MEMSTEP_QUIZ_BATCH_H
#define MEMSTEP_QUIZ_BATCH_H

#include "script/scenario.h"

/* Run FILE, pose each question in turn and take the next answer from the
 * answers file (one a line: a choice's number, letter or text; blank lines
 * and # comments skipped).  Prints each question, the answer given and
 * the right one, then the score.  Exit status 0 all right, 1 some wrong or
 * missing, 2 a file cannot be read or the scenario is wrong. */
int quiz_batch_run(const char *file, const char *answers, int every, const struct scenario_opts *so);

#endif
