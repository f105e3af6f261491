/* Moving through a session's positions: step, next, continue, goto, in both
 * directions, pulling operations from the lazy scenario going forward. */
#include <stdio.h>
#include <string.h>

#include "mm/trace.h"
#include "session_impl.h"

bool session_has_step(const struct session *s, uint32_t step)
{
	return step >= 1 && step <= session_known(s);
}

void session_event(const struct session *s, uint32_t step, struct event *e)
{
	if (!session_has_step(s, step)) {
		/* a position the session no longer has (a front end remembering
		 * a cursor from before run, restart or undo): an empty event,
		 * never a read past the journal */
		memset(e, 0, sizeof *e);
		e->step = step;
		return;
	}
	const struct machine *m = s->epochs[session_epoch_of_step(s, step)].m;
	machine_event_at(m, step - m->step_base - 1, e);
}

int session_line(const struct session *s)
{
	uint32_t c = session_cursor(s);
	if (c < session_known(s))
		c++; /* the next step's operation is where the script stands */
	if (!c)
		return 0;
	struct event e;
	session_event(s, c, &e);
	return e.line;
}

/* Run the scenario on while no step lies ahead of the cursor (it runs at
 * the present), so the next step, and what is said before it, are known. */
static bool ensure_next(struct session *s)
{
	uint32_t cur = session_cursor(s);
	if (cur < session_known(s))
		return true;
	if (s->sc->state != SC_SUSPENDED)
		return false;
	while (session_known(s) == cur && s->sc->state == SC_SUSPENDED && !s->interrupt) {
		machine_seek(s->sc->m, s->sc->m->j.nsteps);
		scenario_resume(s->sc);
	}
	session_seek(s, cur);
	return session_known(s) > cur;
}

static enum stop_reason forward_one(struct session *s)
{
	if (!ensure_next(s))
		return s->interrupt ? STOP_INTERRUPT : s->sc->state == SC_ERROR ? STOP_ERROR : STOP_END;
	session_seek(s, session_cursor(s) + 1);
	return STOP_DONE;
}

static void begin_motion(struct session *s)
{
	s->hit = NULL;
	s->stop_msg[0] = 0;
	session_refresh_watches(s);
}

static void describe_stop(struct session *s, enum stop_reason r)
{
	if (s->stop_msg[0])
		return;
	switch (r) {
	case STOP_BREAKPOINT:
		snprintf(s->stop_msg, sizeof s->stop_msg, "breakpoint %d hit (%s)", s->hit->id,
			 ev_kinds[s->hit->kind].name);
		break;
	case STOP_WATCH:
		snprintf(s->stop_msg, sizeof s->stop_msg, "watch %d: the watched %s changed", s->hit->id,
			 s->hit->watch == WATCH_PFN ? "frame" : "zone");
		break;
	case STOP_PAUSE:
		snprintf(s->stop_msg, sizeof s->stop_msg, "paused by the scenario");
		break;
	case STOP_END:
		snprintf(s->stop_msg, sizeof s->stop_msg, "end of the scenario");
		break;
	case STOP_START:
		snprintf(s->stop_msg, sizeof s->stop_msg, "at the start");
		break;
	case STOP_ERROR:
		snprintf(s->stop_msg, sizeof s->stop_msg, "scenario error: %s", s->sc->error);
		break;
	case STOP_INTERRUPT:
		snprintf(s->stop_msg, sizeof s->stop_msg, "interrupted (Ctrl-C) at step %u", session_cursor(s));
		break;
	case STOP_DONE:
		break;
	}
}

/* Forward until `done` says so, a breakpoint, a pause point or the end. */
static enum stop_reason forward(struct session *s, bool (*done)(struct session *, void *), void *arg)
{
	enum stop_reason r = STOP_DONE;
	bool moved = false;
	begin_motion(s);
	while (!done(s, arg)) {
		if (s->interrupt) {
			r = STOP_INTERRUPT;
			break;
		}
		if (moved && ensure_next(s) && session_pause_at(s, session_cursor(s))) {
			r = STOP_PAUSE;
			break;
		}
		r = forward_one(s);
		if (r != STOP_DONE)
			break;
		moved = true;
		r = session_check_stop(s);
		if (r != STOP_DONE)
			break;
	}
	/* Landing on a pause() point stops a longer motion (play, next N). */
	if (r == STOP_DONE && moved && ensure_next(s) && session_pause_at(s, session_cursor(s)))
		r = STOP_PAUSE;
	/* Let the scenario say what it says before its next step. */
	ensure_next(s);
	describe_stop(s, r);
	return r;
}

static enum stop_reason backward(struct session *s, bool (*done)(struct session *, void *), void *arg)
{
	enum stop_reason r = STOP_DONE;
	begin_motion(s);
	while (!done(s, arg)) {
		uint32_t cur = session_cursor(s);
		if (s->interrupt) {
			r = STOP_INTERRUPT;
			break;
		}
		if (!cur) {
			r = STOP_START;
			break;
		}
		session_seek(s, cur - 1);
		if (session_pause_at(s, cur - 1)) {
			r = STOP_PAUSE;
			break;
		}
		r = session_check_stop(s);
		if (r != STOP_DONE)
			break;
	}
	describe_stop(s, r);
	return r;
}

static bool count_down(struct session *s, void *arg)
{
	(void)s;
	long *n = arg;
	return (*n)-- <= 0;
}

static bool never(struct session *s, void *arg)
{
	(void)s;
	(void)arg;
	return false;
}

static bool at_position(struct session *s, void *arg)
{
	return session_cursor(s) == *(uint32_t *)arg;
}

enum stop_reason session_step(struct session *s, long n)
{
	long count = n < 0 ? -n : n;
	return n < 0 ? backward(s, count_down, &count) : forward(s, count_down, &count);
}

enum stop_reason session_continue(struct session *s, bool reverse)
{
	return reverse ? backward(s, never, NULL) : forward(s, never, NULL);
}

/* Position after the last step of the operation holding step `step`, or
 * before its first (operations never span machines). */
static uint32_t op_bound(const struct session *s, uint32_t step, bool end)
{
	const struct machine *m = s->epochs[session_epoch_of_step(s, step)].m;
	const struct journal *j = &m->j;
	uint32_t op = journal_step_op(j, step - m->step_base - 1);
	if (!end)
		return m->step_base + j->ops[op].first_step;
	return m->step_base + (op + 1 < j->nops ? j->ops[op + 1].first_step : j->nsteps);
}

enum stop_reason session_next(struct session *s, long n)
{
	enum stop_reason r = STOP_DONE;
	for (long i = 0; i < (n < 0 ? -n : n) && r == STOP_DONE; i++) {
		uint32_t target;
		if (n < 0) {
			uint32_t cur = session_cursor(s);
			if (!cur)
				return backward(s, never, NULL);
			target = op_bound(s, cur, false);
			r = backward(s, at_position, &target);
		} else {
			if (!ensure_next(s))
				return forward(s, never, NULL);
			target = op_bound(s, session_cursor(s) + 1, true);
			r = forward(s, at_position, &target);
		}
	}
	return r;
}

enum stop_reason session_goto(struct session *s, uint32_t pos)
{
	begin_motion(s);
	while (session_known(s) < pos && s->sc->state == SC_SUSPENDED && !s->interrupt) {
		machine_seek(s->sc->m, s->sc->m->j.nsteps);
		scenario_resume(s->sc);
	}
	uint32_t known = session_known(s);
	session_seek(s, pos < known ? pos : known);
	ensure_next(s);
	enum stop_reason r = session_cursor(s) == pos ? STOP_DONE : s->interrupt ? STOP_INTERRUPT : STOP_END;
	describe_stop(s, r);
	return r;
}

void session_run_all(struct session *s)
{
	uint32_t cur = session_cursor(s);
	while (s->sc->state == SC_SUSPENDED && !s->interrupt) {
		machine_seek(s->sc->m, s->sc->m->j.nsteps);
		scenario_resume(s->sc);
	}
	session_seek(s, cur);
}
