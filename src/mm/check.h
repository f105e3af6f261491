/* The invariant checker: everything that must hold between any two steps. */
#ifndef MM_CHECK_H
#define MM_CHECK_H

#include <stddef.h>

#include "machine.h"

/* 0 when every invariant holds; otherwise -1 and the first broken one in why. */
int check_machine(const struct machine *m, char *why, size_t whylen);
/* The buddy allocator's own invariants (the page_alloc row of subsys.c). */
int check_buddy(const struct machine *m, char *why, size_t whylen);

/* Write the broken invariant to why; returns -1 (for checkers' returns). */
int check_fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
