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

/*
 * Encoding (about 35 bytes a step on the buddy churn, from 94):
 * - records are a byte stream: per record a varint key, the distance from
 *   the previous record's cell in 4-byte units (zigzag) shifted left once
 *   with bit 0 set for a 64-bit cell, then old ^ new as a varint.  The
 *   distance chain restarts from 0 at every JANCHOR-th step, so the records
 *   of any step decode after at most JANCHOR - 1 steps of decoding;
 * - a step is 12 bytes: where its records end and its fields begin (40-bit
 *   byte offsets) and its kind; its fields are zigzag varints in a second
 *   byte stream; its operation is found in ops[] by binary search;
 * - checkpoints (checkpoint.c) bound the cost of a long seek.
 */
#define JANCHOR 32u
#define JREC_MAX 20u /* the longest record: two varints of 64 bits */

struct step {
	uint32_t rend_lo; /* one past this step's last record byte */
	uint32_t f_lo;    /* its first field byte */
	uint16_t kind;
	uint8_t rend_hi, f_hi;
};

struct op {
	uint32_t first_step; /* index of its first step */
	int32_t line;        /* scenario line that caused it, 0 if none */
};

struct ckpt;

struct journal {
	bool on;
	bool full;       /* it could not grow: recording stopped at step nsteps, for good */
	uint8_t *rb;     /* the record stream */
	size_t nrb, caprb;
	uintptr_t last_cell; /* the cell of the last record, the next one's origin */
	struct step *steps;
	uint32_t nsteps;
	uint8_t *fb;     /* the field stream */
	size_t nfb;
	struct op *ops;
	uint32_t nops;
	uint32_t cursor; /* steps applied: the state is "after step cursor" */
	bool in_op;      /* between journal_begin_op and journal_end_op */
	/* writes that changed a cell, journal on or off, and seeks: a step
	 * that leaves it as it was changed no state (batch --check skips
	 * re-checking the same state) */
	uint64_t changes;
	struct vmarray vrec, vsteps, vfields, vops;
	struct ckpt *ck; /* checkpoints, NULL until the first */
	uint32_t ck_every; /* steps between checkpoints; 0 = the default */
};

void journal_free(struct journal *j);
/* Forget every step (the journal stays on or off as it was). */
void journal_clear(struct journal *j);
/* false when the journal could not grow: it has stopped recording (full). */
bool journal_grow_rec(struct journal *j);

static inline uint8_t *jput_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static inline uint64_t jget_varint(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint64_t v = *p & 0x7f;
	for (unsigned sh = 7; *p++ & 0x80; sh += 7)
		v |= (uint64_t)(*p & 0x7f) << sh;
	*pp = p;
	return v;
}

static inline uint64_t jzigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t junzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

/*
 * Every record belongs to a step: the step that follows it in the same
 * operation.  Builds without NDEBUG (the test builds) assert it: a record
 * made outside an operation fails here, one made after an operation's last
 * step fails in journal_end_op.  cell: the address, bit 0 set for 64 bits.
 */
static inline void journal_push(struct journal *j, uintptr_t cell, uint64_t x)
{
	assert(j->in_op && "a journal record made outside any operation belongs to no step");
	uintptr_t addr = cell & ~(uintptr_t)1;
	assert((addr & 3) == 0 && "journaled cells are 4-byte aligned");
	if (j->caprb - j->nrb < JREC_MAX && !journal_grow_rec(j))
		return;
	int64_t d = (int64_t)(addr - j->last_cell) / 4;
	uint8_t *p = jput_varint(j->rb + j->nrb, jzigzag(d) << 1 | (cell & 1));
	p = jput_varint(p, x);
	j->nrb = (size_t)(p - j->rb);
	j->last_cell = addr;
}

/* Set a 32-bit cell, recording the change when the journal is on. */
static inline void jset32(struct journal *j, uint32_t *cell, uint32_t v)
{
	if (*cell != v) {
		j->changes++;
		if (j->on)
			journal_push(j, (uintptr_t)cell, *cell ^ v);
	}
	*cell = v;
}

static inline void jset64(struct journal *j, uint64_t *cell, uint64_t v)
{
	if (*cell != v) {
		j->changes++;
		if (j->on)
			journal_push(j, (uintptr_t)cell | 1, *cell ^ v);
	}
	*cell = v;
}

/* Reading steps: step s (0-based) of the journal. */
static inline uint16_t journal_step_kind(const struct journal *j, uint32_t s) { return j->steps[s].kind; }
/* Its operation: the index into ops[] (binary search, O(log ops)). */
uint32_t journal_step_op(const struct journal *j, uint32_t s);
/* Its fields (as many as its kind has) into f. */
void journal_step_fields(const struct journal *j, uint32_t s, int64_t *f);
/* Bytes the journal holds (records, steps, fields, operations, checkpoints). */
struct journal_bytes {
	size_t rec, steps, fields, ops, ck;
};
void journal_bytes(const struct journal *j, struct journal_bytes *b);

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

/* For checkpoint.c: where step s's records begin, the cell they are coded
 * from, and the XOR of the records of the steps between a and b applied to
 * the state (either order: the move is the same both ways). */
static inline size_t journal_rec_begin(const struct journal *j, uint32_t s)
{
	return s ? j->steps[s - 1].rend_lo | (size_t)j->steps[s - 1].rend_hi << 32 : 0;
}
uintptr_t journal_rec_origin(const struct journal *j, uint32_t s);
void journal_apply_steps(const struct journal *j, uint32_t a, uint32_t b);


#endif
