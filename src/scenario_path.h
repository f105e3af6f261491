/* Finding a scenario by name: `memstep 01-buddy-basics`. */
#ifndef MEMSTEP_SCENARIO_PATH_H
#define MEMSTEP_SCENARIO_PATH_H

#include <stddef.h>

/* The file to load for `arg`: arg itself when it names a file (or has a
 * '/'), else NAME or NAME.lua in each directory of $MEMSTEP_PATH (colon-
 * separated), then in the installed scenarios (MEMSTEP_SCENARIO_DIR).
 * Returns arg when nothing is found, so the error names what was typed. */
const char *scenario_path(const char *arg, char *buf, size_t n);

#endif
