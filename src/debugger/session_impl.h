/* Shared by the files that make a session: session.c (loading, notes,
 * epochs, typed Lua), motion.c (stepping) and breakpoints.c. */
#ifndef DEBUGGER_SESSION_IMPL_H
#define DEBUGGER_SESSION_IMPL_H

#include "session.h"

void *session_grow(void *p, uint32_t *cap, size_t elem);
/* The epoch holding step number `step` (1-based). */
int session_epoch_of_step(const struct session *s, uint32_t step);
/* Put the cursor at a position, in whichever machine holds it. */
void session_seek(struct session *s, uint32_t pos);
bool session_pause_at(const struct session *s, uint32_t pos);
/* Does the step just taken (at the cursor) stop a motion? */
enum stop_reason session_check_stop(struct session *s);
/* Note the watched values before a motion. */
void session_refresh_watches(struct session *s);

#endif
