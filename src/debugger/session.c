/* A debugging session (see session.h): loading, the notes the scenario
 * makes, the epochs of its machines, and Lua typed at a prompt.  Moving is
 * in motion.c, breakpoints and watches in breakpoints.c. */
#include "session_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mm/xalloc.h"

void *session_grow(void *p, uint32_t *cap, size_t elem)
{
	uint32_t n = *cap ? *cap * 2 : 64;
	void *q = xrealloc(p, n * elem);
	*cap = n;
	return q;
}

/* ---- notes: what the scenario said, by position ---- */

static void add_note(struct session *s, enum note_kind kind, int line, const char *text)
{
	if (s->nnotes == s->capnotes)
		s->notes = session_grow(s->notes, &s->capnotes, sizeof *s->notes);
	struct note *n = &s->notes[s->nnotes++];
	n->at = session_known(s); /* the script runs at the present */
	n->kind = kind;
	n->line = line;
	n->text = xstrdup(text ? text : "");
}

/* Forget notes after a position (a typed operation rewrote the future). */
static void drop_notes_after(struct session *s, uint32_t pos)
{
	while (s->nnotes && s->notes[s->nnotes - 1].at > pos)
		free(s->notes[--s->nnotes].text);
}

static void on_narrate(void *ctx, enum narration kind, const char *text, int line)
{
	static const enum note_kind map[] = {NOTE_TITLE, NOTE_SAY, NOTE_PRINT};
	struct session *s = ctx;
	if (s->eval_out) /* typed at a prompt: answer there */
		strbuf_printf(s->eval_out, "%s\n", text);
	else
		add_note(s, map[kind], line, text);
}

static void on_expect(void *ctx, bool ok, const char *where, const char *msg)
{
	if (ok)
		return;
	char buf[1200];
	snprintf(buf, sizeof buf, "%s: %s", where, msg);
	add_note(ctx, NOTE_EXPECT_FAILED, 0, buf);
}

static void on_pause(void *ctx, int line)
{
	add_note(ctx, NOTE_PAUSE, line, "");
}

static void on_mark(void *ctx, const char *name, int line)
{
	add_note(ctx, NOTE_MARK, line, name);
}

/* ---- epochs ---- */

static void add_epoch(struct session *s, struct machine *m, unsigned gen)
{
	if (s->nepochs == s->capepochs)
		s->epochs = session_grow(s->epochs, (uint32_t *)&s->capepochs, sizeof *s->epochs);
	s->epochs[s->nepochs++] = (struct epoch){m, gen};
}

/* Forget the epochs after k (their machines too). */
static void drop_epochs_after(struct session *s, int k)
{
	while (s->nepochs > k + 1) {
		struct machine *m = s->epochs[--s->nepochs].m;
		if (m != s->sc->m)
			machine_free(m);
	}
	if (s->at > k)
		s->at = k;
}

/* The epoch showing position pos: the first whose steps reach it; a machine
 * that took no step shows only if it is the live one. */
static int epoch_for(const struct session *s, uint32_t pos)
{
	for (int k = 0; k < s->nepochs; k++) {
		const struct machine *m = s->epochs[k].m;
		if (pos <= m->step_base + m->j.nsteps && (m->j.nsteps || k == s->nepochs - 1))
			return k;
	}
	return s->nepochs - 1;
}

/* The epoch holding step number `step` (1-based). */
int session_epoch_of_step(const struct session *s, uint32_t step)
{
	for (int k = s->nepochs; k-- > 0;)
		if (step > s->epochs[k].m->step_base)
			return k;
	return 0;
}

void session_seek(struct session *s, uint32_t pos)
{
	int k = epoch_for(s, pos);
	struct machine *m = s->epochs[k].m;
	machine_seek(m, pos > m->step_base ? pos - m->step_base : 0);
	s->at = k;
}

static void on_machine_changed(void *ctx, struct machine *old, struct machine *m)
{
	struct session *s = ctx;
	if (s->eval_out) {
		/* typed at a prompt: the new machine follows the one at the
		 * cursor, and whatever came after it is gone */
		machine_truncate(old);
		drop_epochs_after(s, s->at);
	}
	if (!old->j.nsteps && s->epochs[s->nepochs - 1].m == old) {
		/* nothing happened on it: no history to keep */
		s->nepochs--;
		machine_free(old);
	}
	add_epoch(s, m, s->sc->machine_gen);
	s->at = s->nepochs - 1;
	if (s->host && s->host->machine_changed)
		s->host->machine_changed(s->host_ctx);
}

static const struct scenario_host session_scenario_host = {
	.narrate = on_narrate,
	.expect = on_expect,
	.pause = on_pause,
	.mark = on_mark,
	.machine_changed = on_machine_changed,
};

const struct note *session_note(const struct session *s, enum note_kind kind)
{
	uint32_t cur = session_cursor(s);
	for (uint32_t i = s->nnotes; i-- > 0;)
		if (s->notes[i].kind == kind && s->notes[i].at <= cur)
			return &s->notes[i];
	return NULL;
}

long session_mark(const struct session *s, const char *name)
{
	for (uint32_t i = 0; i < s->nnotes; i++)
		if (s->notes[i].kind == NOTE_MARK && strcmp(s->notes[i].text, name) == 0)
			return s->notes[i].at;
	return -1;
}

bool session_pause_at(const struct session *s, uint32_t pos)
{
	for (uint32_t i = s->nnotes; i-- > 0 && s->notes[i].at >= pos;)
		if (s->notes[i].kind == NOTE_PAUSE && s->notes[i].at == pos)
			return true;
	return false;
}

/* ---- loading ---- */

static void free_source(struct session *s)
{
	for (int i = 0; i < s->nsource; i++)
		free(s->source[i]);
	free(s->source);
	s->source = NULL;
	s->nsource = 0;
}

static void read_source(struct session *s, const char *file)
{
	free_source(s);
	/* Only what could load as a scenario (lapi_load_file's limits): not
	 * /dev/zero, which would take the host's memory line by line. */
	struct stat st;
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (16 << 20))
		return;
	FILE *f = fopen(file, "r");
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int capl = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = 0;
		if (s->nsource == capl) {
			capl = capl ? capl * 2 : 128;
			s->source = xrealloc(s->source, (size_t)capl * sizeof *s->source);
		}
		s->source[s->nsource++] = xstrdup(line);
	}
	free(line);
	fclose(f);
}

static void clear_notes(struct session *s)
{
	drop_notes_after(s, 0);
	while (s->nnotes)
		free(s->notes[--s->nnotes].text);
}

/* The machines of older epochs; the live one is the scenario's to free. */
static void free_epochs(struct session *s)
{
	for (int k = 0; k < s->nepochs; k++)
		if (s->epochs[k].m != s->sc->m)
			machine_free(s->epochs[k].m);
	s->nepochs = s->at = 0;
}

/* A fresh scenario (and machine); conditions recompile on first use. */
static int fresh_scenario(struct session *s, char *why, size_t whylen)
{
	struct scenario *sc = scenario_new(&s->opts, why, whylen);
	if (!sc)
		return -1;
	if (s->sc)
		free_epochs(s);
	scenario_free(s->sc);
	s->sc = sc;
	sc->sb.interrupt = &s->interrupt;
	sc->sb.interrupt_at = 2; /* the scenario's Lua: a second Ctrl-C */
	add_epoch(s, sc->m, sc->machine_gen);
	clear_notes(s);
	for (int i = 0; i < s->nbps; i++)
		s->bps[i].cond_ref = -1;
	if (s->host && s->host->machine_changed)
		s->host->machine_changed(s->host_ctx);
	return 0;
}

struct session *session_new(const struct scenario_opts *opts, const struct session_host *host, void *ctx,
			    char *why, size_t whylen)
{
	struct session *s = xcalloc(1, sizeof *s);
	s->opts = *opts;
	s->opts.journal = true;
	s->opts.lazy = true;
	s->opts.host = &session_scenario_host;
	s->opts.ctx = s;
	s->next_bp_id = 1;
	s->speed = 4;
	if (fresh_scenario(s, why, whylen) != 0) {
		free(s);
		return NULL;
	}
	s->host = host;
	s->host_ctx = ctx;
	return s;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	session_delete(s, -2);
	free(s->bps);
	session_release(s);
	free(s);
}

/* What a scenario owns in the session, moved whole by stash and unstash. */
#define LOADED_FIELDS(X)                                                                           \
	X(sc) X(epochs) X(nepochs) X(capepochs) X(at) X(notes) X(nnotes) X(capnotes) X(source)       \
	X(nsource) X(typed) X(ntyped) X(captyped) X(log) X(nlog) X(caplog)

void session_stash(struct session *s, struct loaded *v)
{
#define TAKE(f) v->f = s->f, s->f = 0;
	LOADED_FIELDS(TAKE)
#undef TAKE
	memcpy(v->file, s->file, sizeof v->file);
	s->file[0] = 0;
	v->cond_refs = xcalloc((size_t)s->nbps + 1, sizeof *v->cond_refs);
	for (int i = 0; i < s->nbps; i++)
		v->cond_refs[i] = s->bps[i].cond_ref;
}

void session_unstash(struct session *s, struct loaded *v)
{
#define GIVE(f) s->f = v->f;
	LOADED_FIELDS(GIVE)
#undef GIVE
	memcpy(s->file, v->file, sizeof s->file);
	for (int i = 0; i < s->nbps; i++)
		s->bps[i].cond_ref = v->cond_refs[i];
	free(v->cond_refs);
}

static void free_typed(struct session *s)
{
	for (int i = 0; i < s->ntyped; i++)
		free(s->typed[i].code);
	free(s->typed);
	s->typed = NULL;
	s->ntyped = s->captyped = 0;
	for (int i = 0; i < s->nlog; i++)
		free(s->log[i].code);
	free(s->log);
	s->log = NULL;
	s->nlog = s->caplog = 0;
}

void session_release(struct session *s)
{
	if (s->sc)
		free_epochs(s);
	free(s->epochs);
	s->epochs = NULL;
	s->capepochs = 0;
	scenario_free(s->sc);
	s->sc = NULL;
	clear_notes(s);
	free(s->notes);
	s->notes = NULL;
	s->capnotes = 0;
	free_source(s);
	free_typed(s);
}

int session_load_into(struct session *s, const char *file, struct strbuf *out)
{
	char why[256];
	if (fresh_scenario(s, why, sizeof why) != 0) {
		strbuf_printf(out, "%s\n", why);
		return -1;
	}
	if (!file)
		return 0;
	snprintf(s->file, sizeof s->file, "%s", file);
	read_source(s, file);
	if (scenario_load_file(s->sc, file) != 0) {
		strbuf_printf(out, "%s\n", s->sc->error);
		return -1;
	}
	/* Run up to the first step, so a title and narration before it show;
	 * Ctrl-C here fails the load, which changes nothing. */
	s->sc->sb.interrupt_at = 1;
	while (session_known(s) == 0 && scenario_resume(s->sc) == SC_SUSPENDED)
		;
	s->sc->sb.interrupt_at = 2;
	session_seek(s, 0);
	if (s->sc->state == SC_ERROR) {
		strbuf_printf(out, "%s\n", s->sc->error);
		return -1;
	}
	return 0;
}

int session_load(struct session *s, const char *file, struct strbuf *out)
{
	struct loaded old;
	session_stash(s, &old);
	if (session_load_into(s, file, out) != 0) {
		session_keep_old(s, &old);
		return -1;
	}
	/* lines typed for the old scenario do not replay on this one */
	session_drop_old(s, &old);
	return 0;
}

void session_keep_old(struct session *s, struct loaded *old)
{
	session_release(s);
	session_unstash(s, old);
	if (s->host && s->host->machine_changed)
		s->host->machine_changed(s->host_ctx);
}

void session_drop_old(struct session *s, struct loaded *old)
{
	struct loaded fresh;
	session_stash(s, &fresh);
	session_unstash(s, old);
	session_release(s);
	session_unstash(s, &fresh);
}

int session_restart(struct session *s, struct strbuf *out)
{
	char file[sizeof s->file];
	memcpy(file, s->file, sizeof file);
	return session_load(s, file[0] ? file : NULL, out);
}

/* ---- typed Lua ---- */

enum lua_syntax session_lua_syntax(const struct session *s, const char *code)
{
	lua_State *L = s->sc->sb.L;
	size_t n = strlen(code) + 8;
	char *ret = xmalloc(n);
	snprintf(ret, n, "return %s", code);
	int rc = sandbox_load(L, ret, strlen(ret), "=repl");
	free(ret);
	lua_pop(L, 1);
	if (rc == LUA_OK)
		return LUA_SYNTAX_OK;
	rc = sandbox_load(L, code, strlen(code), "=repl");
	/* as lua.c tells: a chunk cut short fails at its end */
	size_t len;
	const char *msg = lua_tolstring(L, -1, &len);
	enum lua_syntax r = rc == LUA_OK					   ? LUA_SYNTAX_OK
			    : rc == LUA_ERRSYNTAX && msg && len >= 5 && strcmp(msg + len - 5, "<eof>") == 0 ? LUA_SYNTAX_INCOMPLETE
									   : LUA_SYNTAX_ERROR;
	lua_pop(L, 1);
	return r;
}

bool session_lua_statement(const struct session *s, const char *code)
{
	lua_State *L = s->sc->sb.L;
	int rc = sandbox_load(L, code, strlen(code), "=repl");
	lua_pop(L, 1);
	return rc == LUA_OK;
}

bool session_global_defined(const struct session *s, const char *name)
{
	lua_State *L = s->sc->sb.L;
	lua_pushglobaltable(L);
	bool defined = lua_getfield(L, -1, name) != LUA_TNIL;
	lua_pop(L, 2);
	return defined;
}

int session_eval(struct session *s, const char *code, struct strbuf *out)
{
	/* The line runs on the machine at the cursor, an older epoch's too. */
	struct machine *m = session_machine(s), *live = s->sc->m;
	unsigned live_gen = s->sc->machine_gen;
	uint32_t cur = session_cursor(s), known = session_known(s);
	uint64_t serial = m->op_serial;
	/* in the middle of an operation: the step after the cursor is not
	 * the first of one (save cannot replay half an operation) */
	const struct journal *jm = &m->j;
	bool inside = jm->cursor > 0 && jm->cursor < jm->nsteps && jm->ops[journal_step_op(jm, jm->cursor)].first_step != jm->cursor;
	s->sc->m = m;
	s->sc->machine_gen = s->epochs[s->at].gen;
	char res[4096];
	bool expression;
	s->eval_out = out;
	s->sc->sb.interrupt_at = 1; /* typed Lua: the first Ctrl-C */
	int rc = scenario_eval(s->sc, code, res, sizeof res, &expression);
	s->sc->sb.interrupt_at = 2;
	s->eval_out = NULL;
	bool replaced = s->sc->m != m, operated = replaced || m->op_serial != serial;
	if (!operated) {
		s->sc->m = live; /* nothing changed: the present stays as it was */
		s->sc->machine_gen = live_gen;
	} else if (!replaced) {
		drop_epochs_after(s, s->at); /* the older machine is the live one now */
	}
	if (replaced) {
		/* machine{} was typed: the scenario's script no longer applies */
		scenario_detach(s->sc);
	} else if (operated) {
		/* An operation happened here: the future it replaced is gone,
		 * and the scenario that would have made it cannot go on. */
		if (known > cur)
			strbuf_printf(out, "(dropped %u later steps; `undo` brings them back)\n", known - cur);
		if (s->sc->state == SC_SUSPENDED) {
			scenario_detach(s->sc);
			strbuf_printf(out, "(the scenario is detached: typed operations replace its future)\n");
		}
		drop_notes_after(s, cur);
		/* forget lines typed in the dropped future or whose steps it held */
		while (s->ntyped && (s->typed[s->ntyped - 1].at > cur || s->typed[s->ntyped - 1].end > cur))
			free(s->typed[--s->ntyped].code);
	}
	if (res[0])
		strbuf_printf(out, "%s\n", res);
	if (rc == 0 || operated) { /* for undo's replay, in order */
		if (s->nlog == s->caplog)
			s->log = session_grow(s->log, (uint32_t *)&s->caplog, sizeof *s->log);
		s->log[s->nlog++] = (struct logged_line){xstrdup(code), cur, operated};
	}
	/* An expression that changed nothing (`a.pfn`) need not be replayed;
	 * one that made an operation is saved as a statement. */
	if (rc == 0 && (!expression || operated)) {
		if (s->ntyped == s->captyped)
			s->typed = session_grow(s->typed, (uint32_t *)&s->captyped, sizeof *s->typed);
		size_t n = strlen(code) + 5;
		char *line = xmalloc(n);
		snprintf(line, n, "%s%s", expression ? "_ = " : "", code);
		s->typed[s->ntyped].code = line;
		s->typed[s->ntyped].at = cur;
		s->typed[s->ntyped].inside_op = inside;
		s->typed[s->ntyped++].end = session_cursor(s);
	}
	return rc;
}
