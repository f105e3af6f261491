/*
 * How far the cursor has reached.  A scenario runs ahead of the cursor (the
 * steps of the next operation are recorded when the cursor passes a pause),
 * so "known" steps are not all seen ones: a lecture must show nothing the
 * cursor has never reached.  A front end keeps a struct reach and updates it
 * after every motion; a new scenario (run, restart) starts it again.
 */
#ifndef DEBUGGER_REACHED_H
#define DEBUGGER_REACHED_H

#include <stdbool.h>
#include <stdint.h>

#include "session.h"

struct reach {
	const struct scenario *sc; /* the scenario it counts for */
	uint32_t farthest;         /* the farthest position the cursor has been at */
};

/* Note the cursor's position (call after every motion or command). */
void reach_update(struct reach *r, const struct session *s);
/* The farthest position reached, no more than the steps that still exist
 * (an operation typed in the past drops the later ones). */
uint32_t reach_farthest(const struct reach *r, const struct session *s);
/* Has the cursor ever been at step `step` (1-based)? */
bool reach_seen(const struct reach *r, const struct session *s, uint32_t step);
/* The latest note of a kind the cursor has reached: like session_note, but
 * at a pause() the notes the scenario made after it (at the same position,
 * before its next step) are still ahead. */
const struct note *reach_note(const struct reach *r, const struct session *s, enum note_kind kind);

#endif
