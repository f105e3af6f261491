/* The line REPL: the debugger's commands and Lua at a readline prompt, or
 * read from a pipe. */
#ifndef REPL_REPL_H
#define REPL_REPL_H

#include "script/scenario.h"

/* Run the REPL on FILE (or the default machine for NULL); the exit status. */
int repl_run(const char *file, const struct scenario_opts *opts);

#endif
