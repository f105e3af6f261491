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

/* What a load replaces, kept aside until the new state is ready: a failed
 * load (or undo) puts it back, so it changes nothing (session.c). */
/* The fields session.c LOADED_FIELDS moves, named as in struct session. */
struct loaded {
	struct scenario *sc;
	struct epoch *epochs;
	int nepochs, capepochs, at;
	struct note *notes;
	uint32_t nnotes, capnotes;
	char file[sizeof ((struct session *)0)->file];
	char **source;
	int nsource;
	struct typed_line *typed;
	int ntyped, captyped;
	struct logged_line *log;
	int nlog, caplog;
	int *cond_refs; /* the breakpoints' conditions, compiled in sc */
};
void session_stash(struct session *s, struct loaded *v);
void session_unstash(struct session *s, struct loaded *v);
/* Free what the session holds of a scenario, leaving it empty. */
void session_release(struct session *s);
/* Load into an empty (stashed) session. */
int session_load_into(struct session *s, const char *file, struct strbuf *out);
/* Failure: back to old.  Success: old is freed. */
void session_keep_old(struct session *s, struct loaded *old);
void session_drop_old(struct session *s, struct loaded *old);

#endif
