/* The journal: XOR records, steps and operations (see journal.h). */
#include "journal.h"

#include <string.h>

/* The journal cannot grow (the host is out of memory or address space, or
 * a 32-bit index would overflow): stop recording.  The state has moved on
 * from the last step recorded, so no motion can reach a recorded state any
 * more: time travel ends there, and the machine goes on without a journal. */
static void stop(struct journal *j)
{
	j->on = false;
	j->full = true;
	j->cursor = j->nsteps;
}

/* Each array grows in place of its own (vmarray); the pointers follow. */
bool journal_grow_rec(struct journal *j)
{
	/* steps keep record indices in 32 bits */
	if (j->nrec >= UINT32_MAX || !vmarray_fit(&j->vrec, (j->nrec + 1) * sizeof *j->rec)) {
		stop(j);
		return false;
	}
	j->rec = (struct jrec *)j->vrec.base;
	j->caprec = j->vrec.cap / sizeof *j->rec;
	return true;
}

static bool fit_step(struct journal *j, unsigned nfields)
{
	if (j->nsteps == UINT32_MAX || j->nfields > UINT32_MAX - nfields ||
	    !vmarray_fit(&j->vsteps, ((size_t)j->nsteps + 1) * sizeof *j->steps) ||
	    !vmarray_fit(&j->vfields, ((size_t)j->nfields + nfields) * sizeof *j->fields)) {
		stop(j);
		return false;
	}
	j->steps = (struct step *)j->vsteps.base;
	j->fields = (int64_t *)j->vfields.base;
	return true;
}

void journal_free(struct journal *j)
{
	vmarray_free(&j->vrec);
	vmarray_free(&j->vsteps);
	vmarray_free(&j->vfields);
	vmarray_free(&j->vops);
	memset(j, 0, sizeof *j);
}

static uint32_t step_begin(const struct journal *j, uint32_t s)
{
	return s ? j->steps[s - 1].jend : 0;
}

uint32_t journal_add_step(struct journal *j, uint16_t kind, const int64_t *f)
{
	unsigned n = ev_kinds[kind].nfields;
	if (!j->on || !fit_step(j, n))
		return j->nsteps ? j->nsteps - 1 : 0;
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
	if (j->nops == UINT32_MAX || !vmarray_fit(&j->vops, ((size_t)j->nops + 1) * sizeof *j->ops)) {
		stop(j);
		return;
	}
	j->ops = (struct op *)j->vops.base;
	j->ops[j->nops].first_step = j->nsteps;
	j->ops[j->nops].line = line;
	j->nops++;
	j->in_op = true;
}

void journal_end_op(struct journal *j)
{
	assert(j->nrec == step_begin(j, j->nsteps) &&
	       "journal records made after the operation's last step belong to no step");
	j->in_op = false;
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

void journal_seek(struct journal *j, uint32_t target)
{
	if (j->full)
		return; /* no recorded state can be reached (see stop) */
	if (target > j->nsteps)
		target = j->nsteps;
	/* XOR is its own inverse and commutes, so one pass over the range
	 * between the two positions moves the state either way. */
	uint32_t lo = target < j->cursor ? target : j->cursor;
	uint32_t hi = target < j->cursor ? j->cursor : target;
	size_t from = step_begin(j, lo), to = step_begin(j, hi);
	if (from != to) /* rec is NULL until the first record */
		apply(j->rec + from, j->rec + to);
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
