/* Allocation that cannot fail quietly: out of host memory, memstep says so
 * and stops, as the model cannot go on half-changed. */
#ifndef MM_XALLOC_H
#define MM_XALLOC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void *xcheck(void *p)
{
	if (!p) {
		fputs("memstep: out of host memory\n", stderr);
		abort();
	}
	return p;
}

#define xmalloc(n) xcheck(malloc(n))
#define xcalloc(n, s) xcheck(calloc((n), (s)))
#define xrealloc(p, n) xcheck(realloc((p), (n)))
#define xstrdup(s) ((char *)xcheck(strdup(s)))

#endif
