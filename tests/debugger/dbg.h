/*
 * Shared helpers for the debugger unit tests: sessions over scenarios written
 * to temporary files, commands run with their output captured, and the
 * invariant checker at every position a test visits.
 */
#ifndef TEST_DBG_H
#define TEST_DBG_H

/* cmocka needs these before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "debugger/commands.h"
#include "debugger/session.h"
#include "mm/check.h"

/*
 * walk.lua, the scenario most tests step through (a 1M machine of 64K pages
 * with 5 orders: 16 frames, one zone, DMA).  Its steps:
 *   op 1  line 3   steps  1-8   alloc_pages(0): alloc watermark take split*4 done
 *         mark "one" at 8
 *   op 2  line 5   steps  9-12  alloc_pages(1): alloc watermark take done
 *         pause() at 12, say "after b" at 12
 *   op 3  line 8   steps 13-16  alloc_pages(0): alloc watermark take done
 *         mark "two" at 16
 *   op 4  line 10  steps 17-18  free_pages(b): free put
 *   op 5  line 11  steps 19-20  free_pages(a): free put
 *         pause() at 20
 *   op 6  line 13  steps 21-26  free_pages(c): free merge*4 put
 */
extern const char walk_lua[];
#define WALK_STEPS 26u

/* Write code to a new temporary file; the path lives until dbg_cleanup. */
const char *dbg_write(const char *code);
/* A temporary path that does not exist yet (for `save`). */
const char *dbg_path(const char *name);
/* Remove every temporary file and directory made so far. */
void dbg_cleanup(void);

/* A session with the default machine and no scenario. */
struct session *dbg_new(void);
/* A session with code loaded as its scenario (must load). */
struct session *dbg_open(const char *code);
/* Free a session made by dbg_new or dbg_open. */
void dbg_free(struct session *s);
/* cmocka teardown: free the sessions a failed test left behind. */
int dbg_teardown(void **state);
/* After the whole group: what dbg_cleanup() removes. */
int dbg_group_teardown(void **state);
#define DBG_TEST(f) cmocka_unit_test_teardown(f, dbg_teardown)

/* Run a line; rc must be want_rc (0 or -1).  The output, valid until the
 * next call. */
const char *dbg_run(struct session *s, const char *line, int want_rc);
/* Evaluate typed Lua through session_eval; same contract. */
const char *dbg_eval(struct session *s, const char *code, int want_rc);

/* Fail with the checker's message if an invariant is broken. */
void dbg_check(const struct session *s);
/* A motion stopped for this reason at this position; the checker passes. */
void dbg_at(const struct session *s, enum stop_reason got, enum stop_reason want, uint32_t pos);

/* The text contains (or not) needle. */
void assert_has(const char *text, const char *needle);
void assert_lacks(const char *text, const char *needle);

/* The event at step (1-based) is of this kind. */
void assert_step_kind(const struct session *s, uint32_t step, const char *kind);

#endif
