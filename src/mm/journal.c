/* The journal: XOR records, steps and operations (see journal.h). */
#include "journal.h"

#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t *cap, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 1024;
	void *q = realloc(p, n * elem);
	if (!q)
		abort(); /* the model cannot continue half-recorded */
	*cap = n;
	return q;
}

void journal_grow_rec(struct journal *j)
{
	j->rec = grow(j->rec, &j->caprec, sizeof *j->rec);
}

void journal_free(struct journal *j)
{
	free(j->rec);
	free(j->steps);
	free(j->ops);
	memset(j, 0, sizeof *j);
}

uint32_t journal_add_step(struct journal *j, uint16_t kind, const int64_t *f)
{
	if (j->nsteps == j->capsteps) {
		size_t cap = j->capsteps;
		j->steps = grow(j->steps, &cap, sizeof *j->steps);
		j->capsteps = (uint32_t)cap;
	}
	struct step *s = &j->steps[j->nsteps];
	memcpy(s->f, f, sizeof s->f);
	s->jend = (uint32_t)j->nrec;
	s->op = j->nops - 1;
	s->kind = kind;
	j->cursor = ++j->nsteps;
	return j->nsteps - 1;
}

void journal_begin_op(struct journal *j, int32_t line)
{
	if (j->nops == j->capops) {
		size_t cap = j->capops;
		j->ops = grow(j->ops, &cap, sizeof *j->ops);
		j->capops = (uint32_t)cap;
	}
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
	while (j->nops && j->ops[j->nops - 1].first_step >= j->nsteps)
		j->nops--;
	return dropped;
}
