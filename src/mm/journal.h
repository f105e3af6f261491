/*
 * The journal: every change of model state is recorded as (cell, old XOR new),
 * so undoing and redoing a step are the same operation.  A step is one event
 * plus the journal records made since the previous step; an operation (one API
 * call) is a range of steps plus the scenario line that caused it.
 *
 * All journaled cells live in memory that never moves while the machine lives
 * (arrays allocated once at boot, or arenas of chunks), so a record may hold
 * the cell's address.  The journal's own arrays may move as they grow: they
 * are reached through the pointers here, never held elsewhere.
 */
#ifndef MM_JOURNAL_H
#define MM_JOURNAL_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "vmarray.h"

/* 16 bytes: the cell's address (bit 0 set for a 64-bit cell) and old ^ new. */
struct jrec {
	uintptr_t cell;
	uint64_t x;
};

/* 16 bytes; the event's fields (as many as its kind has) are in fields[]. */
struct step {
	uint32_t jend;   /* one past this step's last record */
	uint32_t op;     /* index into ops[] */
	uint32_t fields; /* index of its first field */
	uint16_t kind;
};

struct op {
	uint32_t first_step; /* index of its first step */
	int32_t line;        /* scenario line that caused it, 0 if none */
};

struct journal {
	bool on;
	bool full;       /* it could not grow: recording stopped at step nsteps, for good */
	struct jrec *rec;
	size_t nrec, caprec;
	struct step *steps;
	uint32_t nsteps;
	int64_t *fields;
	uint32_t nfields;
	struct op *ops;
	uint32_t nops;
	uint32_t cursor; /* steps applied: the state is "after step cursor" */
	bool in_op;      /* between journal_begin_op and journal_end_op */
	struct vmarray vrec, vsteps, vfields, vops;
};

void journal_free(struct journal *j);
/* false when the journal could not grow: it has stopped recording (full). */
bool journal_grow_rec(struct journal *j);

/*
 * Every record belongs to a step: the step that follows it in the same
 * operation.  Builds without NDEBUG (the test builds) assert it: a record
 * made outside an operation fails here, one made after an operation's last
 * step fails in journal_end_op.
 */
static inline void journal_push(struct journal *j, uintptr_t cell, uint64_t x)
{
	assert(j->in_op && "a journal record made outside any operation belongs to no step");
	if (j->nrec == j->caprec && !journal_grow_rec(j))
		return;
	j->rec[j->nrec].cell = cell;
	j->rec[j->nrec].x = x;
	j->nrec++;
}

/* Set a 32-bit cell, recording the change when the journal is on. */
static inline void jset32(struct journal *j, uint32_t *cell, uint32_t v)
{
	if (j->on && *cell != v)
		journal_push(j, (uintptr_t)cell, *cell ^ v);
	*cell = v;
}

static inline void jset64(struct journal *j, uint64_t *cell, uint64_t v)
{
	if (j->on && *cell != v)
		journal_push(j, (uintptr_t)cell | 1, *cell ^ v);
	*cell = v;
}

/* Record a step ending at the current record; returns its index. */
uint32_t journal_add_step(struct journal *j, uint16_t kind, const int64_t *f);
void journal_begin_op(struct journal *j, int32_t line);
/* The operation is over: every record it made must lie inside its steps. */
void journal_end_op(struct journal *j);
/* Drop an operation that produced no step (an error). */
void journal_drop_empty_op(struct journal *j);

/* Move the state to "after step target" (0 = before the first step); a
 * full journal stays where it is. */
void journal_seek(struct journal *j, uint32_t target);
/* Forget every step after the cursor; returns how many were dropped. */
uint32_t journal_truncate(struct journal *j);


#endif
