/* Running a scenario (see scenario.h). */
#include "scenario.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lapi.h"
#include "mm/gfp.h"

const char lapi_hooks_key = 'h'; /* registry: kind name -> {fn, …} */

void scenario_opts_default(struct scenario_opts *o)
{
	memset(o, 0, sizeof *o);
	o->limits.max_instructions = SANDBOX_DEFAULT_INSTRUCTIONS;
	o->limits.max_memory = SANDBOX_DEFAULT_MEMORY;
	mm_config_default(&o->machine);
}

/* Run the on() hooks of this event's kind, on the thread making the step.
 * A hook's error cannot unwind through the model mid-operation, so it is
 * kept and raised when the operation returns. */
static void run_hooks(struct scenario *sc, lua_State *L, const struct machine *m, const struct event *e)
{
	if (!sc->hooked[e->kind]) /* most events have no hook: no table lookup */
		return;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &lapi_hooks_key);
	if (lua_getfield(L, -1, ev_kinds[e->kind].name) != LUA_TTABLE) {
		lua_pop(L, 2);
		return;
	}
	lua_Integer n = luaL_len(L, -1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lapi_push_event(L, m, e);
		sc->in_hook = true;
		int rc = lua_pcall(L, 1, 0, 0);
		sc->in_hook = false;
		if (rc != LUA_OK) {
			if (!sc->hook_error[0])
				snprintf(sc->hook_error, sizeof sc->hook_error, "in on(\"%s\") hook: %s",
					 ev_kinds[e->kind].name, lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 2);
}

static void on_event(void *ctx, const struct machine *m, const struct event *e)
{
	struct scenario *sc = ctx;
	if (sc->host && sc->host->event)
		sc->host->event(sc->ctx, m, e);
	if (sc->running && !sc->in_hook)
		run_hooks(sc, sc->running, m, e);
}

int lapi_set_machine(struct scenario *sc, struct machine *m)
{
	struct machine *old = sc->m;
	machine_journal(m, sc->journal);
	m->listener = on_event;
	m->listener_ctx = sc;
	if (old) { /* numbers go on from where the old machine stands */
		m->step_base = old->step_base + old->nsteps;
		m->op_base = old->op_base + old->nops;
	}
	sc->m = m;
	sc->machine_gen = ++sc->gens;
	if (old && sc->host && sc->host->machine_changed)
		sc->host->machine_changed(sc->ctx, old, m);
	else
		machine_free(old);
	return 0;
}

struct scenario *scenario_new(const struct scenario_opts *o, char *why, size_t whylen)
{
	struct scenario *sc = calloc(1, sizeof *sc);
	if (!sc) {
		snprintf(why, whylen, "out of host memory");
		return NULL;
	}
	sc->base = o->machine;
	sc->journal = o->journal;
	sc->no_lines = o->no_lines;
	sc->lazy = o->lazy;
	sc->host = o->host;
	sc->ctx = o->ctx;
	sc->co_ref = LUA_NOREF;
	struct machine *m = machine_new(&sc->base, why, whylen);
	if (!m || sandbox_open(&sc->sb, &o->limits, sc) != 0) {
		if (m)
			snprintf(why, whylen, "cannot open a Lua state");
		machine_free(m);
		free(sc);
		return NULL;
	}
	lapi_set_machine(sc, m);
	lua_State *L = sc->sb.L;
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &lapi_hooks_key);
	for (const lapi_opener *open = lapi_libs; *open; open++)
		(*open)(L);
	lapi_reseed(L, sc->base.seed);
	return sc;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	sandbox_close(&sc->sb);
	machine_free(sc->m);
	free(sc);
}

void scenario_detach(struct scenario *sc)
{
	if (sc->co_ref != LUA_NOREF)
		luaL_unref(sc->sb.L, LUA_REGISTRYINDEX, sc->co_ref);
	sc->co_ref = LUA_NOREF;
	sc->co = NULL;
	if (sc->state == SC_SUSPENDED)
		sc->state = SC_IDLE;
}

/* Take the loaded function on top of the main stack as the script to run. */
static int start(struct scenario *sc, int load_status)
{
	lua_State *L = sc->sb.L;
	scenario_detach(sc);
	if (load_status != LUA_OK) {
		snprintf(sc->error, sizeof sc->error, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		sc->state = SC_ERROR;
		return -1;
	}
	sc->co = lua_newthread(L);
	sc->co_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_xmove(L, sc->co, 1);
	sc->state = SC_SUSPENDED;
	sc->error[0] = 0;
	sc->include_depth = 0;
	sandbox_reset_budget(&sc->sb);
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

#define SCENARIO_MAX_BYTES (16u << 20)

int lapi_load_file(lua_State *L, const char *path)
{
	/* Only regular files of a scenario's size: /dev/zero would take the
	 * host's memory, a FIFO would block. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		lua_pushfstring(L, "cannot read %s: not a regular file", path);
		return LUA_ERRFILE;
	}
	if (stat(path, &st) == 0 && st.st_size > SCENARIO_MAX_BYTES) {
		lua_pushfstring(L, "cannot read %s: %I bytes, more than a scenario's %d MiB", path,
				(lua_Integer)st.st_size, SCENARIO_MAX_BYTES >> 20);
		return LUA_ERRFILE;
	}
	size_t len;
	char *code = read_file(path, &len);
	if (!code) {
		lua_pushfstring(L, "cannot read %s", path);
		return LUA_ERRFILE;
	}
	char name[600];
	snprintf(name, sizeof name, "@%s", path);
	/* A first line starting with # (a shebang) is skipped, as lua does. */
	const char *at = code;
	if (at[0] == '#') {
		while (*at && *at != '\n')
			at++;
	}
	int rc = sandbox_load(L, at, len - (size_t)(at - code), name);
	free(code);
	return rc;
}

int scenario_load_file(struct scenario *sc, const char *path)
{
	snprintf(sc->file, sizeof sc->file, "%s", path);
	sc->file_source = NULL;
	return start(sc, lapi_load_file(sc->sb.L, path));
}

int scenario_load_string(struct scenario *sc, const char *code, const char *chunkname)
{
	return start(sc, sandbox_load(sc->sb.L, code, strlen(code), chunkname));
}

/* "file:line: " of the innermost Lua frame of a thread, for errors that
 * carry no position (running out of Lua memory). */
static void error_position(lua_State *co, char *buf, size_t n)
{
	lua_Debug ar;
	buf[0] = 0;
	for (int level = 0; lua_getstack(co, level, &ar); level++) {
		lua_getinfo(co, "Sl", &ar);
		if (ar.currentline > 0) {
			snprintf(buf, n, "%s:%d: ", ar.short_src, ar.currentline);
			return;
		}
	}
}

static void describe_error(struct scenario *sc, lua_State *co, int status)
{
	const char *msg = lua_tostring(co, -1);
	char where[600];
	if (status == LUA_ERRMEM || sc->sb.hit_memory_cap) {
		error_position(co, where, sizeof where);
		snprintf(sc->error, sizeof sc->error, "%sLua memory cap of %zu MiB reached", where,
			 sc->sb.limits.max_memory >> 20);
		sc->sb.hit_memory_cap = 0;
		return;
	}
	if (msg) {
		snprintf(sc->error, sizeof sc->error, "%s", msg);
		return;
	}
	/* error({}) and the like: say where, and what was raised */
	error_position(co, where, sizeof where);
	snprintf(sc->error, sizeof sc->error, "%s(error object is a %s value)", where, luaL_typename(co, -1));
}

enum scenario_state scenario_resume(struct scenario *sc)
{
	if (sc->state != SC_SUSPENDED)
		return sc->state;
	lua_State *co = sc->co;
	int nres = 0;
	int status = lua_resume(co, sc->sb.L, 0, &nres);
	if (status == LUA_YIELD) {
		lua_pop(co, nres);
		return sc->state;
	}
	if (status == LUA_OK) {
		sc->state = SC_DONE;
	} else {
		describe_error(sc, co, status);
		sc->state = SC_ERROR;
	}
	enum scenario_state st = sc->state;
	scenario_detach(sc);
	sc->state = st;
	return st;
}

/* The results as text (lapi_join), called protected: __tostring may raise. */
static int results_text(lua_State *L, int base, char *out, size_t outlen)
{
	int n = lua_gettop(L) - base + 1;
	lua_pushcfunction(L, lapi_join);
	lua_insert(L, base);
	int rc = lua_pcall(L, n, 1, 0);
	const char *s = lua_tostring(L, -1);
	snprintf(out, outlen, "%s", s ? s : "(error object is not a string)");
	return rc == LUA_OK ? 0 : -1;
}

int scenario_eval(struct scenario *sc, const char *code, char *out, size_t outlen, bool *expression)
{
	lua_State *L = sc->sb.L;
	int base = lua_gettop(L);
	size_t n = strlen(code) + 8;
	char *ret = malloc(n);
	if (!ret) {
		snprintf(out, outlen, "out of host memory");
		return -1;
	}
	snprintf(ret, n, "return %s", code);
	int rc = sandbox_load(L, ret, strlen(ret), "=repl");
	free(ret);
	*expression = false;
	if (rc != LUA_OK) {
		lua_pop(L, 1);
		rc = sandbox_load(L, code, strlen(code), "=repl");
	} else if (sandbox_load(L, code, strlen(code), "=repl") == LUA_OK) {
		lua_pop(L, 1); /* a call: a statement too */
	} else {
		lua_pop(L, 1);
		*expression = true;
	}
	sc->include_depth = 0;
	if (rc != LUA_OK) { /* it does not compile */
		snprintf(out, outlen, "%s", lua_tostring(L, -1));
		lua_settop(L, base);
		return -1;
	}
	/* A typed line has a budget of its own: a suspended scenario's stays as
	 * it was, so typing cannot give a runaway script more time. */
	if (sandbox_pcall_budget(&sc->sb, L, 0, LUA_MULTRET, 0, UINT64_MAX, out, outlen) != LUA_OK) {
		lua_settop(L, base);
		return -1;
	}
	rc = results_text(L, base + 1, out, outlen);
	lua_settop(L, base);
	return rc;
}

void scenario_globals(struct scenario *sc, const char *prefix, void (*add)(void *ctx, const char *word),
		      void *ctx)
{
	lua_State *L = sc->sb.L;
	size_t plen = strlen(prefix);
	lua_pushglobaltable(L);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (lua_type(L, -2) == LUA_TSTRING && strncmp(lua_tostring(L, -2), prefix, plen) == 0)
			add(ctx, lua_tostring(L, -2));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	for (const char *const *g = gfp_names; *g; g++)
		if (strncmp(*g, prefix, plen) == 0)
			add(ctx, *g);
	for (unsigned t = 0; t < MAX_NR_ZONES; t++)
		if (arch_has_zone(sc->m, t) && strncmp(zone_type_names[t], prefix, plen) == 0)
			add(ctx, zone_type_names[t]);
}
