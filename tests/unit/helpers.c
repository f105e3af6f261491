/* Shared helpers for the unit tests (see helpers.h). */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mm_config config_mem(uint64_t memory)
{
	struct mm_config c;
	mm_config_default(&c);
	c.memory = memory;
	return c;
}

struct machine *boot(const struct mm_config *c)
{
	char why[256] = "";
	struct machine *m = machine_new(c, why, sizeof why);
	if (!m)
		fail_msg("machine_new refused the config: %s", why);
	assert_machine_ok(m);
	return m;
}

void assert_config_refused(const struct mm_config *c, const char *message)
{
	char why[256] = "";
	struct machine *m = machine_new(c, why, sizeof why);
	if (m) {
		machine_free(m);
		fail_msg("machine_new accepted a config it should refuse with \"%s\"", message);
	}
	assert_string_equal(why, message);
}

void assert_machine_ok(const struct machine *m)
{
	char why[256] = "";
	if (check_machine(m, why, sizeof why) != 0)
		fail_msg("invariant broken after step %u: %s", m->nsteps, why);
}

/* ---- the recording listener ---- */

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	assert_non_null(p);
	*cap = n;
	return p;
}

static void record_hash(struct recorder *r, size_t step, uint64_t h)
{
	r->hashes = grow(r->hashes, &r->caphash, step + 1, sizeof *r->hashes);
	r->hashes[step] = h;
	if (step + 1 > r->nhash)
		r->nhash = step + 1;
}

static void on_event(void *ctx, const struct machine *m, const struct event *e)
{
	struct recorder *r = ctx;
	if (r->keep) {
		r->ev = grow(r->ev, &r->cap, r->n + 1, sizeof *r->ev);
		r->ev[r->n] = *e;
	}
	r->n++;
	if (r->check) {
		char why[256] = "";
		if (check_machine(m, why, sizeof why) != 0)
			fail_msg("invariant broken after step %u (%s): %s", e->step, ev_kinds[e->kind].name, why);
	}
	if (r->hash)
		record_hash(r, e->step, machine_hash(m));
}

void recorder_attach(struct machine *m, struct recorder *r)
{
	m->listener = on_event;
	m->listener_ctx = r;
	if (r->hash)
		record_hash(r, m->nsteps, machine_hash(m));
}

void recorder_clear(struct recorder *r)
{
	r->n = 0;
}

void recorder_free(struct recorder *r)
{
	free(r->ev);
	free(r->hashes);
	memset(r, 0, sizeof *r);
}

void assert_kinds(const struct recorder *r, size_t from, size_t to, const char *kinds)
{
	char got[4096] = "";
	size_t at = 0;
	if (to > r->n)
		to = r->n;
	for (size_t i = from; i < to && at < sizeof got; i++)
		at += (size_t)snprintf(got + at, sizeof got - at, "%s%s", i > from ? " " : "",
				       ev_kinds[r->ev[i].kind].name);
	assert_string_equal(got, kinds);
}

int64_t ev_get(const struct event *e, const char *field)
{
	int i = ev_field_index(e->kind, field);
	if (i < 0)
		fail_msg("a %s event has no field %s", ev_kinds[e->kind].name, field);
	return e->f[i];
}

size_t find_kind(const struct recorder *r, size_t from, enum ev_kind kind)
{
	while (from < r->n && r->ev[from].kind != kind)
		from++;
	return from;
}

/* "DMA" (node 0) or "node1/Normal" as a global zone id. */
static int64_t parse_zone(const char *s)
{
	unsigned node = 0;
	const char *slash = strchr(s, '/');
	if (strncmp(s, "node", 4) == 0 && slash) {
		node = (unsigned)atoi(s + 4);
		s = slash + 1;
	}
	for (unsigned t = 0; t < MAX_NR_ZONES; t++)
		if (strcmp(zone_type_names[t], s) == 0)
			return node * MAX_NR_ZONES + t;
	fail_msg("unknown zone %s", s);
	return -1;
}

static int64_t parse_value(const struct ev_field *f, const char *s)
{
	uint32_t mask;
	switch (f->type) {
	case FT_ZONE:
		return parse_zone(s);
	case FT_GFP:
		if (!gfp_parse(s, &mask))
			fail_msg("bad gfp %s", s);
		return mask;
	default:
		return strtoll(s, NULL, 0);
	}
}

void assert_event(const struct recorder *r, size_t i, const char *kind, const char *fields)
{
	if (i >= r->n)
		fail_msg("no event %zu: only %zu recorded", i, r->n);
	const struct event *e = &r->ev[i];
	if (strcmp(ev_kinds[e->kind].name, kind) != 0)
		fail_msg("event %zu is %s, expected %s", i, ev_kinds[e->kind].name, kind);
	char buf[512];
	snprintf(buf, sizeof buf, "%s", fields);
	for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		assert_non_null(eq);
		*eq = 0;
		int fi = ev_field_index(e->kind, tok);
		if (fi < 0)
			fail_msg("a %s event has no field %s", kind, tok);
		const struct ev_field *f = &ev_kinds[e->kind].field[fi];
		if (f->type == FT_ENUM || f->type == FT_BOOL) {
			/* The names arrays carry no length: compare by the name
			 * the event's own value selects. */
			const char *got = f->names[f->type == FT_BOOL ? e->f[fi] != 0 : e->f[fi]];
			if (strcmp(got, eq + 1) != 0)
				fail_msg("event %zu (%s): %s is %s, expected %s", i, kind, tok, got, eq + 1);
			continue;
		}
		int64_t want = parse_value(f, eq + 1);
		int64_t got = e->f[fi];
		if (got != want)
			fail_msg("event %zu (%s): %s is %lld, expected %s (%lld)", i, kind, tok, (long long)got, eq + 1,
				 (long long)want);
	}
}

void assert_nr_free(const struct zone *z, const uint32_t *want, unsigned n, const char *when)
{
	for (unsigned o = 0; o < n; o++)
		if (z->free_area[o].nr_free != want[o])
			fail_msg("%s: nr_free[%u] is %u, expected %u", when, o, z->free_area[o].nr_free, want[o]);
}

void assert_free_list(const struct machine *m, const struct zone *z, unsigned order, const char *pfns)
{
	char got[1024] = "";
	size_t at = 0;
	unsigned n = 0;
	for (uint32_t p = z->free_area[order].head; p != PFN_NONE && n++ < 64; p = m->frames[p].next)
		at += (size_t)snprintf(got + at, sizeof got - at, "%s%u", at ? " " : "", p);
	assert_string_equal(got, pfns);
}

uint32_t must_alloc(struct machine *m, unsigned order, uint32_t gfp)
{
	uint32_t pfn = PFN_NONE;
	int rc = alloc_pages(m, order, gfp, -1, &pfn);
	if (rc != MM_OK)
		fail_msg("alloc_pages(order %u) returned %d: %s%s", order, rc, m->error, m->reason);
	return pfn;
}

void must_free(struct machine *m, uint32_t pfn, int order)
{
	int rc = free_pages(m, pfn, order);
	if (rc != MM_OK)
		fail_msg("free_pages(0x%x, %d) returned %d: %s", pfn, order, rc, m->error);
}

struct snapshot snap(const struct machine *m, const struct recorder *r)
{
	return (struct snapshot){
		.hash = machine_hash(m),
		.nsteps = m->nsteps,
		.nops = m->nops,
		.jsteps = m->j.nsteps,
		.jops = m->j.nops,
		.cursor = m->j.cursor,
		.events = r ? r->n : 0,
	};
}

void assert_unchanged(const struct machine *m, const struct recorder *r, const struct snapshot *before)
{
	struct snapshot now = snap(m, r);
	assert_true(now.hash == before->hash);
	assert_int_equal(now.nsteps, before->nsteps);
	assert_int_equal(now.nops, before->nops);
	assert_int_equal(now.jsteps, before->jsteps);
	assert_int_equal(now.jops, before->jops);
	assert_int_equal(now.cursor, before->cursor);
	assert_int_equal(now.events, before->events);
}

void assert_undo_redo(struct machine *m, const struct recorder *r, uint32_t start, uint32_t end)
{
	assert_true(end < r->nhash);
	for (uint32_t s = end; s-- > start;) {
		machine_seek(m, s);
		if (machine_hash(m) != r->hashes[s])
			fail_msg("undo to step %u: the hash differs from the first time", s);
	}
	for (uint32_t s = start; s <= end; s++) {
		machine_seek(m, s);
		if (machine_hash(m) != r->hashes[s])
			fail_msg("redo to step %u: the hash differs from the first time", s);
		assert_machine_ok(m);
	}
}
