/* Quiz questions built from the next operation's events (quiz.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mm/trace.h"
#include "quiz.h"
#include "session_impl.h"

#define MAX_SCAN 4096 /* steps of one operation looked at */

bool quiz_due(const struct session *s, const struct quiz_opts *o, uint32_t at)
{
	if (session_pause_at(s, at))
		return true;
	if (o->every < 0 || at >= session_known(s))
		return false;
	/* before an operation with an event of the chosen kind */
	struct event e, next;
	session_event(s, at + 1, &next);
	if (at >= 1) {
		session_event(s, at, &e);
		if (e.op == next.op)
			return false; /* inside an operation, not before one */
	}
	for (uint32_t st = at + 1; st <= session_known(s) && st <= at + MAX_SCAN; st++) {
		session_event(s, st, &e);
		if (e.op != next.op)
			break;
		if (e.kind == (unsigned)o->every)
			return true;
	}
	return false;
}

/* What the next operation does, as far as a question needs it. */
struct op_summary {
	struct event first, done, fail, tlb, fault, slab, last_merge;
	bool has_done, has_fail, has_tlb, has_fault, has_slab, new_slab, partial;
	int merges, splits;
};

static void summarize(const struct session *s, uint32_t at, struct op_summary *o)
{
	memset(o, 0, sizeof *o);
	session_event(s, at + 1, &o->first);
	for (uint32_t st = at + 1; st <= session_known(s) && st <= at + MAX_SCAN; st++) {
		struct event e;
		session_event(s, st, &e);
		if (e.op != o->first.op)
			break;
		switch (e.kind) {
		case EV_DONE: o->done = e, o->has_done = true; break;
		case EV_FAIL: o->fail = e, o->has_fail = true; break;
		case EV_TLB_HIT: case EV_TLB_MISS: if (!o->has_tlb) o->tlb = e, o->has_tlb = true; break;
		case EV_WALK_FAULT: o->fault = e, o->has_fault = true; break;
		case EV_SLAB_ALLOC: o->slab = e, o->has_slab = true; break;
		case EV_NEW_SLAB: o->new_slab = true; break;
		case EV_GET_PARTIAL: o->partial = true; break;
		case EV_MERGE: o->merges++, o->last_merge = e; break;
		case EV_SPLIT: o->splits++; break;
		}
	}
}

static void add_choice(struct quiz_question *q, const char *text)
{
	if (q->nchoices < QUIZ_MAX_CHOICES)
		snprintf(q->choices[q->nchoices++], sizeof q->choices[0], "%s", text);
}

static void explain(const struct session *s, const struct event *e, struct quiz_question *q)
{
	char text[512];
	ev_format_text(session_machine(s), e, text, sizeof text);
	snprintf(q->explain, sizeof q->explain, "step %u: %s", e->step, text);
}

static int64_t fld(const struct event *e, const char *name)
{
	return e->f[ev_field_index(e->kind, name)];
}

/* Which zone serves the allocation, or does it fail? */
static void ask_zone(const struct session *s, const struct op_summary *o, struct quiz_question *q)
{
	const struct machine *m = session_machine(s);
	char gfp[64] = "", name[32];
	int gi = ev_field_index(o->first.kind, "gfp");
	if (o->first.kind == EV_ALLOC && gi >= 0)
		ev_field_text(m, &o->first, (unsigned)gi, gfp, sizeof gfp);
	snprintf(q->question, sizeof q->question, "The next allocation (order %lld%s%s): which zone serves it?",
		 (long long)(o->first.kind == EV_ALLOC ? fld(&o->first, "order") : 0), gfp[0] ? " " : "", gfp);
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		if (zone_populated(&m->zones[i])) {
			if (o->has_done && fld(&o->done, "zone") == m->zones[i].id)
				q->answer = q->nchoices;
			add_choice(q, zone_label(m, m->zones[i].id, name, sizeof name));
		}
	if (!o->has_done)
		q->answer = q->nchoices;
	add_choice(q, "none: it fails");
	explain(s, o->has_done ? &o->done : &o->fail, q);
}

static void ask_tlb(const struct session *s, const struct op_summary *o, struct quiz_question *q)
{
	char va[32];
	ev_field_text(session_machine(s), &o->tlb, (unsigned)ev_field_index(o->tlb.kind, "va"), va, sizeof va);
	snprintf(q->question, sizeof q->question, "Translating %s: what happens?", va);
	add_choice(q, "a TLB hit: no walk");
	add_choice(q, "a TLB miss: the walk finds the page");
	add_choice(q, "a TLB miss: the walk faults");
	q->answer = o->tlb.kind == EV_TLB_HIT ? 0 : o->has_fault ? 2 : 1;
	explain(s, o->has_fault ? &o->fault : &o->tlb, q);
}

static void ask_slab(const struct session *s, const struct op_summary *o, struct quiz_question *q)
{
	char cache[64];
	ev_field_text(session_machine(s), &o->slab, (unsigned)ev_field_index(EV_SLAB_ALLOC, "cache"), cache,
		      sizeof cache);
	snprintf(q->question, sizeof q->question, "The next %s object: where does it come from?", cache);
	add_choice(q, "the CPU slab's freelist");
	add_choice(q, "a slab off the partial list");
	add_choice(q, "a new slab from the buddy allocator");
	q->answer = o->new_slab ? 2 : o->partial ? 1 : 0;
	explain(s, &o->slab, q);
}

/* How many merges (or splits): four numbers around the answer, in a
 * window that does not give it away by its place. */
static void ask_count(const struct session *s, const char *what, int n, const struct event *e,
		      struct quiz_question *q)
{
	snprintf(q->question, sizeof q->question, "The next operation: how many %s?", what);
	int base = n / 4 * 4;
	for (int k = base; k < base + 4; k++) {
		char c[16];
		snprintf(c, sizeof c, "%d", k);
		add_choice(q, c);
	}
	q->answer = n - base;
	explain(s, e, q);
}

/* The last step of the operation after position at (at if none). */
static uint32_t next_op_end(const struct session *s, uint32_t at)
{
	if (at >= session_known(s))
		return at;
	struct event first, e;
	session_event(s, at + 1, &first);
	uint32_t end = at + 1;
	while (end < session_known(s) && end < at + MAX_SCAN) {
		session_event(s, end + 1, &e);
		if (e.op != first.op)
			break;
		end++;
	}
	return end;
}

/* The scenario's question at `at`, its answer= function (if any) called
 * as just after the next operation returned: the script is run on until
 * that operation's result is in its variables (the step after it is
 * known), the machine put where that operation ends, then back. */
static bool scenario_question(struct session *s, uint32_t at, struct quiz_ask *a)
{
	if (!lapi_quiz_has(s->sc, at))
		return false;
	session_goto(s, at + 1); /* the next operation is recorded */
	uint32_t end = next_op_end(s, at);
	session_goto(s, end + 1);
	session_goto(s, end);
	lapi_quiz_at(s->sc, at, a);
	session_goto(s, at);
	s->stop_msg[0] = 0;
	return true;
}

bool quiz_build(struct session *s, uint32_t at, struct quiz_question *q, char *why, size_t whylen)
{
	memset(q, 0, sizeof *q);
	q->at = at;
	struct quiz_ask a;
	if (scenario_question(s, at, &a)) {
		if (a.error[0]) {
			snprintf(why, whylen, "%s", a.error);
			return false;
		}
		snprintf(q->question, sizeof q->question, "%s", a.question);
		for (int i = 0; i < a.nchoices; i++)
			add_choice(q, a.choices[i]);
		q->answer = a.answer;
		q->line = a.line;
		snprintf(q->explain, sizeof q->explain, "the scenario's answer (line %d)", a.line);
		return true;
	}
	if (at >= session_known(s)) {
		snprintf(why, whylen, "no operation follows");
		return false;
	}
	struct op_summary o;
	summarize(s, at, &o);
	q->line = o.first.line;
	if (o.has_tlb)
		ask_tlb(s, &o, q);
	else if (o.has_slab)
		ask_slab(s, &o, q);
	else if (o.first.kind == EV_ALLOC && (o.has_done || o.has_fail))
		ask_zone(s, &o, q);
	else if (o.first.kind == EV_FREE)
		ask_count(s, "merges with a free buddy", o.merges, o.merges ? &o.last_merge : &o.first, q);
	else {
		snprintf(why, whylen, "the next operation (%s) is not one the quiz asks about", ev_kinds[o.first.kind].name);
		return false;
	}
	return true;
}

int quiz_choice(const struct quiz_question *q, const char *answer)
{
	while (isspace((unsigned char)*answer))
		answer++;
	size_t n = strlen(answer);
	while (n && isspace((unsigned char)answer[n - 1]))
		n--;
	if (!n)
		return -1;
	char *end;
	long k = strtol(answer, &end, 10);
	if (end == answer + n)
		return k >= 1 && k <= q->nchoices ? (int)k - 1 : -1;
	if (n == 1 && isalpha((unsigned char)*answer)) {
		int i = tolower((unsigned char)*answer) - 'a';
		return i < q->nchoices ? i : -1;
	}
	for (int i = 0; i < q->nchoices; i++)
		if (strlen(q->choices[i]) == n && strncasecmp(q->choices[i], answer, n) == 0)
			return i;
	return -1;
}
