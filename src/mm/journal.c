/* The journal: XOR records, steps and operations (see journal.h). */
#include "journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Address space reserved per machine; only what is written uses memory. */
#define RESERVE_REC (16ull << 30)
#define RESERVE_STEPS (4ull << 30)
#define RESERVE_FIELDS (8ull << 30)
#define RESERVE_OPS (1ull << 30)

static void reserve(struct journal *j)
{
	vmarray_reserve(&j->vrec, RESERVE_REC);
	vmarray_reserve(&j->vsteps, RESERVE_STEPS);
	vmarray_reserve(&j->vfields, RESERVE_FIELDS);
	vmarray_reserve(&j->vops, RESERVE_OPS);
	j->rec = (struct jrec *)j->vrec.base;
	j->caprec = RESERVE_REC / sizeof *j->rec;
	j->steps = (struct step *)j->vsteps.base;
	j->capsteps = (uint32_t)(RESERVE_STEPS / sizeof *j->steps);
	j->fields = (int64_t *)j->vfields.base;
	j->ops = (struct op *)j->vops.base;
	j->capops = (uint32_t)(RESERVE_OPS / sizeof *j->ops);
}

static void full(const char *what)
{
	fprintf(stderr, "memstep: the journal's %s are full; run without time travel (--batch)\n", what);
	abort();
}

void journal_grow_rec(struct journal *j)
{
	if (j->rec)
		full("records");
	reserve(j);
}

void journal_free(struct journal *j)
{
	vmarray_free(&j->vrec);
	vmarray_free(&j->vsteps);
	vmarray_free(&j->vfields);
	vmarray_free(&j->vops);
	memset(j, 0, sizeof *j);
}

uint32_t journal_add_step(struct journal *j, uint16_t kind, const int64_t *f)
{
	unsigned n = ev_kinds[kind].nfields;
	if (!j->steps)
		reserve(j);
	if (j->nsteps == j->capsteps || (uint64_t)(j->nfields + n) * sizeof *j->fields > RESERVE_FIELDS)
		full("steps");
	struct step *s = &j->steps[j->nsteps];
	memcpy(j->fields + j->nfields, f, n * sizeof *f);
	s->fields = j->nfields;
	j->nfields += n;
	s->jend = (uint32_t)j->nrec;
	s->op = j->nops - 1;
	s->kind = kind;
	j->cursor = ++j->nsteps;
	return j->nsteps - 1;
}

void journal_begin_op(struct journal *j, int32_t line)
{
	if (!j->ops)
		reserve(j);
	if (j->nops == j->capops)
		full("operations");
	j->ops[j->nops].first_step = j->nsteps;
	j->ops[j->nops].line = line;
	j->nops++;
}

void journal_drop_empty_op(struct journal *j)
{
	if (j->nops && j->ops[j->nops - 1].first_step == j->nsteps)
		j->nops--;
}

static void apply(const struct jrec *r, const struct jrec *end)
{
	for (; r < end; r++) {
		if (r->cell & 1)
			*(uint64_t *)(r->cell & ~(uintptr_t)1) ^= r->x;
		else
			*(uint32_t *)r->cell ^= (uint32_t)r->x;
	}
}

static uint32_t step_begin(const struct journal *j, uint32_t s)
{
	return s ? j->steps[s - 1].jend : 0;
}

void journal_seek(struct journal *j, uint32_t target)
{
	if (target > j->nsteps)
		target = j->nsteps;
	/* XOR is its own inverse and commutes, so one pass over the range
	 * between the two positions moves the state either way. */
	uint32_t lo = target < j->cursor ? target : j->cursor;
	uint32_t hi = target < j->cursor ? j->cursor : target;
	apply(j->rec + step_begin(j, lo), j->rec + step_begin(j, hi));
	j->cursor = target;
}

uint32_t journal_truncate(struct journal *j)
{
	uint32_t dropped = j->nsteps - j->cursor;
	if (!dropped)
		return 0;
	j->nsteps = j->cursor;
	j->nrec = step_begin(j, j->cursor);
	j->nfields = j->cursor ? j->steps[j->cursor - 1].fields + ev_kinds[j->steps[j->cursor - 1].kind].nfields : 0;
	while (j->nops && j->ops[j->nops - 1].first_step >= j->nsteps)
		j->nops--;
	return dropped;
}
