/*
 * `undo`: take back the last typed line that made an operation, with what
 * it dropped.  A typed operation in the past truncates the journal and
 * detaches the scenario, so there is nothing left to step back into; but a
 * session is deterministic, so it can be rebuilt: load the scenario again,
 * replay every typed line before the undone one at the position where it
 * ran, and stop at the position the undone line ran at.  The rebuilt state
 * must be the one the session had there (machine_hash); if it is not (the
 * file changed on disk), nothing changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/xalloc.h"
#include "session_impl.h"

/* Replay log[0..u) into the freshly loaded session and go to `at`. */
static bool replay(struct session *s, const struct logged_line *log, int u, uint32_t at)
{
	struct strbuf scratch = {0};
	bool ok = true;
	for (int i = 0; i < u && ok; i++) {
		session_goto(s, log[i].at);
		ok = session_cursor(s) == log[i].at;
		if (ok)
			session_eval(s, log[i].code, &scratch);
	}
	strbuf_free(&scratch);
	if (ok)
		session_goto(s, at);
	return ok && session_cursor(s) == at;
}

int session_undo(struct session *s, struct strbuf *out)
{
	int u = s->nlog;
	while (u-- > 0 && !s->log[u].operated)
		;
	if (u < 0) {
		strbuf_printf(out, "undo: no typed operation to undo\n");
		return -1;
	}
	uint32_t at = s->log[u].at, cur = session_cursor(s);
	session_seek(s, at);
	uint64_t want = machine_hash(session_machine(s));
	session_seek(s, cur);
	char file[sizeof s->file];
	memcpy(file, s->file, sizeof file);
	struct loaded old;
	session_stash(s, &old);
	struct strbuf why = {0};
	bool ok = session_load_into(s, file[0] ? file : NULL, &why) == 0 && replay(s, old.log, u, at) &&
		  machine_hash(session_machine(s)) == want;
	if (!ok) {
		session_keep_old(s, &old);
		strbuf_printf(out, "undo: replaying the session does not reach the state before `%s`%s%s; nothing changed\n",
			      s->log[u].code, why.len ? ": " : " (did the scenario file change?)", why.len ? why.s : "");
		strbuf_free(&why);
		return -1;
	}
	strbuf_free(&why);
	char *code = xstrdup(old.log[u].code);
	session_drop_old(s, &old);
	strbuf_printf(out, "undone: %s\n", code);
	free(code);
	return 0;
}
