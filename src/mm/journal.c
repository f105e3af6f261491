/* The journal: XOR records, steps and operations (see journal.h for the
 * encoding). */
#include "journal.h"

#include <string.h>

#include "checkpoint.h"

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

#define OFF_MAX ((size_t)1 << 40) /* steps keep byte offsets in 40 bits */

/* Each array grows in place of its own (vmarray); the pointers follow. */
bool journal_grow_rec(struct journal *j)
{
	if (j->nrb + JREC_MAX >= OFF_MAX || !vmarray_fit(&j->vrec, j->nrb + JREC_MAX)) {
		stop(j);
		return false;
	}
	j->rb = (uint8_t *)j->vrec.base;
	j->caprb = j->vrec.cap;
	return true;
}

static bool fit_step(struct journal *j, unsigned nfields)
{
	size_t fbytes = j->nfb + (size_t)nfields * 10;
	if (j->nsteps == UINT32_MAX || fbytes >= OFF_MAX ||
	    !vmarray_fit(&j->vsteps, ((size_t)j->nsteps + 1) * sizeof *j->steps) ||
	    !vmarray_fit(&j->vfields, fbytes)) {
		stop(j);
		return false;
	}
	j->steps = (struct step *)j->vsteps.base;
	j->fb = (uint8_t *)j->vfields.base;
	return true;
}

void journal_free(struct journal *j)
{
	vmarray_free(&j->vrec);
	vmarray_free(&j->vsteps);
	vmarray_free(&j->vfields);
	vmarray_free(&j->vops);
	ckpt_free(j->ck);
	memset(j, 0, sizeof *j);
}

void journal_clear(struct journal *j)
{
	j->nrb = j->nfb = 0;
	j->nsteps = j->nops = j->cursor = 0;
	j->last_cell = 0;
	ckpt_free(j->ck);
	j->ck = NULL;
}

uint32_t journal_add_step(struct journal *j, uint16_t kind, const int64_t *f)
{
	unsigned n = ev_kinds[kind].nfields;
	if (!j->on || !fit_step(j, n))
		return j->nsteps ? j->nsteps - 1 : 0;
	struct step *s = &j->steps[j->nsteps];
	s->f_lo = (uint32_t)j->nfb;
	s->f_hi = (uint8_t)(j->nfb >> 32);
	uint8_t *p = j->fb + j->nfb;
	for (unsigned i = 0; i < n; i++)
		p = jput_varint(p, jzigzag(f[i]));
	j->nfb = (size_t)(p - j->fb);
	s->rend_lo = (uint32_t)j->nrb;
	s->rend_hi = (uint8_t)(j->nrb >> 32);
	s->kind = kind;
	j->cursor = ++j->nsteps;
	if (j->nsteps % JANCHOR == 0)
		j->last_cell = 0; /* the next step's records start a chain */
	ckpt_after_step(j);
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
	assert(j->nrb == journal_rec_begin(j, j->nsteps) &&
	       "journal records made after the operation's last step belong to no step");
	j->in_op = false;
}

void journal_drop_empty_op(struct journal *j)
{
	if (j->nops && j->ops[j->nops - 1].first_step == j->nsteps)
		j->nops--;
}

uint32_t journal_step_op(const struct journal *j, uint32_t s)
{
	/* the last operation whose first step is at or before s */
	uint32_t lo = 0, hi = j->nops;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (j->ops[mid].first_step <= s)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void journal_step_fields(const struct journal *j, uint32_t s, int64_t *f)
{
	const struct step *st = &j->steps[s];
	const uint8_t *p = j->fb + (st->f_lo | (size_t)st->f_hi << 32);
	for (unsigned i = 0; i < ev_kinds[st->kind].nfields; i++)
		f[i] = junzigzag(jget_varint(&p));
}

void journal_bytes(const struct journal *j, struct journal_bytes *b)
{
	b->rec = j->nrb;
	b->steps = (size_t)j->nsteps * sizeof *j->steps;
	b->fields = j->nfb;
	b->ops = (size_t)j->nops * sizeof *j->ops;
	b->ck = ckpt_bytes(j->ck);
}

/* Walk records from p to end starting from cell `at`: apply them or only
 * follow the chain; returns the last cell.  Records are decoded a batch at
 * a time and their cells prefetched before any is written: a long replay
 * over a large machine waits on memory, and this waits for many cells at
 * once instead of one after another. */
#define BATCH 32
static uintptr_t walk(const uint8_t *p, const uint8_t *end, uintptr_t at, bool apply)
{
	uintptr_t cell[BATCH];
	uint64_t x[BATCH];
	while (p < end) {
		unsigned n = 0;
		for (; n < BATCH && p < end; n++) {
			uint64_t key = jget_varint(&p);
			x[n] = jget_varint(&p);
			at += (uintptr_t)(junzigzag(key >> 1) * 4);
			cell[n] = at | (key & 1);
			if (apply)
				__builtin_prefetch((const void *)at, 1);
		}
		if (!apply)
			continue;
		for (unsigned i = 0; i < n; i++) {
			if (cell[i] & 1)
				*(uint64_t *)(cell[i] & ~(uintptr_t)1) ^= x[i];
			else
				*(uint32_t *)cell[i] ^= (uint32_t)x[i];
		}
	}
	return at & ~(uintptr_t)1;
}

uintptr_t journal_rec_origin(const struct journal *j, uint32_t s)
{
	uint32_t a = s - s % JANCHOR;
	if (a == s)
		return 0;
	return walk(j->rb + journal_rec_begin(j, a), j->rb + journal_rec_begin(j, s), 0, false);
}

void journal_apply_steps(const struct journal *j, uint32_t a, uint32_t b)
{
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	size_t from = journal_rec_begin(j, lo), to = journal_rec_begin(j, hi);
	if (from == to) /* rb is NULL until the first record */
		return;
	/* A chain restarts at each anchor: walk anchor to anchor. */
	uintptr_t at = journal_rec_origin(j, lo);
	for (uint32_t s = lo; s < hi;) {
		uint32_t next = s - s % JANCHOR + JANCHOR;
		if (next > hi)
			next = hi;
		at = walk(j->rb + journal_rec_begin(j, s), j->rb + journal_rec_begin(j, next), at, true);
		s = next;
		if (s % JANCHOR == 0)
			at = 0;
	}
}

void journal_seek(struct journal *j, uint32_t target)
{
	if (j->full)
		return; /* no recorded state can be reached (see stop) */
	if (target > j->nsteps)
		target = j->nsteps;
	/* Checkpoints take the state close to the target when that is
	 * cheaper; XOR is its own inverse and commutes, so one pass over the
	 * steps between two positions moves the state either way. */
	j->cursor = ckpt_seek(j, target);
	journal_apply_steps(j, j->cursor, target);
	j->cursor = target;
	j->changes++;
}

uint32_t journal_truncate(struct journal *j)
{
	uint32_t dropped = j->nsteps - j->cursor;
	if (!dropped)
		return 0;
	j->nfb = j->steps[j->cursor].f_lo | (size_t)j->steps[j->cursor].f_hi << 32;
	j->nsteps = j->cursor;
	j->nrb = journal_rec_begin(j, j->cursor);
	j->last_cell = journal_rec_origin(j, j->cursor); /* the next record's origin */
	while (j->nops && j->ops[j->nops - 1].first_step >= j->nsteps)
		j->nops--;
	ckpt_truncate(j);
	return dropped;
}
