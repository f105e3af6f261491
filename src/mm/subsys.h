/*
 * The table of the model's subsystems, one row each, as Lua's linit.c lists
 * its libraries: booting, freeing, the invariant checker and proc() iterate
 * it, so a new subsystem is one row here plus its own files.  The state hash
 * needs no row: every subsystem keeps its mutable state in the frames, the
 * zones or journaled arenas (arena.h), which the machine hashes itself.
 * The scenario API's openers are the script layer's own table (lapi.c): the
 * model knows no Lua.
 */
#ifndef MM_SUBSYS_H
#define MM_SUBSYS_H

#include <stddef.h>

#include "strbuf.h"

struct machine;

/* A file proc(name) renders in the kernel's format. */
struct mm_proc_file {
	const char *name;
	void (*show)(const struct machine *m, struct strbuf *out);
	/* NULL when this machine has the file; else why not (a kernel built
	 * without it).  NULL for a file every machine has. */
	const char *(*absent)(const struct machine *m);
};

struct mm_subsys {
	const char *name;
	void (*init)(struct machine *m); /* after the buddy allocator has booted */
	void (*free)(struct machine *m); /* host memory only: arenas are freed by the machine */
	/* 0 when every invariant holds; else -1 with the first broken one in why */
	int (*check)(const struct machine *m, char *why, size_t whylen);
	const struct mm_proc_file *proc; /* ends with a NULL name; NULL for none */
};

/* In boot order; ends with a NULL name. */
extern const struct mm_subsys mm_subsystems[];

#endif
