/* Narration and checks: title, say, print, pause, mark, expect, expect_eq,
 * on and include. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lapi.h"

static void narrate(lua_State *L, enum narration kind, const char *text)
{
	struct scenario *sc = scenario_of(L);
	if (sc->host && sc->host->narrate)
		sc->host->narrate(sc->ctx, kind, text, lapi_line(L));
}

static int l_title(lua_State *L)
{
	narrate(L, NARRATE_TITLE, luaL_checkstring(L, 1));
	return 0;
}

static int l_say(lua_State *L)
{
	narrate(L, NARRATE_SAY, luaL_checkstring(L, 1));
	return 0;
}

/* print() goes to the host, tab-separated like Lua's. */
static int l_print(lua_State *L)
{
	lapi_join(L);
	narrate(L, NARRATE_PRINT, lua_tostring(L, -1));
	return 0;
}

static int l_pause(lua_State *L)
{
	struct scenario *sc = scenario_of(L);
	if (sc->host && sc->host->pause)
		sc->host->pause(sc->ctx, lapi_line(L));
	return 0;
}

static int l_mark(lua_State *L)
{
	struct scenario *sc = scenario_of(L);
	const char *name = luaL_checkstring(L, 1);
	if (sc->host && sc->host->mark)
		sc->host->mark(sc->ctx, name, lapi_line(L));
	return 0;
}

static void report(lua_State *L, bool ok, const char *msg)
{
	struct scenario *sc = scenario_of(L);
	char where[600];
	if (ok)
		sc->expect_passed++;
	else
		sc->expect_failed++;
	if (sc->host && sc->host->expect)
		sc->host->expect(sc->ctx, ok, lapi_where(L, where, sizeof where), msg);
}

static int l_expect(lua_State *L)
{
	luaL_checkany(L, 1);
	const char *msg = luaL_optstring(L, 2, "expectation");
	report(L, lua_toboolean(L, 1), msg);
	return 0;
}

static int l_expect_eq(lua_State *L)
{
	luaL_checkany(L, 1);
	luaL_checkany(L, 2);
	const char *msg = luaL_optstring(L, 3, "values differ");
	bool ok = lua_compare(L, 1, 2, LUA_OPEQ);
	if (ok) {
		report(L, true, msg);
		return 0;
	}
	const char *actual = luaL_tolstring(L, 1, NULL);
	const char *expected = luaL_tolstring(L, 2, NULL);
	lua_pushfstring(L, "%s: expected %s, got %s", msg, expected, actual);
	report(L, false, lua_tostring(L, -1));
	return 0;
}

static int l_on(lua_State *L)
{
	const char *kind = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	if (ev_kind_by_name(kind) < 0) {
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (int k = 0; k < NR_EV_KINDS; k++) {
			luaL_addstring(&b, k ? ", " : "");
			luaL_addstring(&b, ev_kinds[k].name);
		}
		luaL_pushresult(&b);
		return luaL_error(L, "on: unknown event kind '%s' (kinds: %s)", kind, lua_tostring(L, -1));
	}
	lua_pushvalue(L, lua_upvalueindex(1)); /* the hooks table */
	if (lua_getfield(L, -1, kind) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, kind);
	}
	lua_pushvalue(L, 2);
	lua_rawseti(L, -2, luaL_len(L, -2) + 1);
	scenario_of(L)->hooked[ev_kind_by_name(kind)] = true;
	scenario_of(L)->any_hook = true;
	return 0;
}

/* include("other.lua"): run another file, named relative to the file that
 * includes it, in the same globals.  Only regular files of bounded size
 * under the main scenario's folder (the current one for typed code): a
 * scenario must not read the host's files, nor /dev/zero. */
#define INCLUDE_MAX_BYTES (4u << 20)

static int include_done(lua_State *L, int status, lua_KContext base)
{
	(void)status;
	scenario_of(L)->include_depth--;
	return lua_gettop(L) - (int)base;
}

/* The folder a scenario may include from, resolved. */
static bool include_root(const struct scenario *sc, char *root)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(sc->file, '/');
	if (!sc->file[0] || !slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - sc->file) ? (int)(slash - sc->file) : 1, sc->file);
	return realpath(dir, root) != NULL;
}

static void check_include(lua_State *L, const char *path)
{
	char root[PATH_MAX], real[PATH_MAX];
	struct stat st;
	if (!realpath(path, real) || stat(real, &st) != 0)
		luaL_error(L, "include: cannot read %s", path);
	if (!include_root(scenario_of(L), root))
		luaL_error(L, "include: cannot find the scenario's folder");
	size_t n = strlen(root);
	if (strcmp(root, "/") != 0 && (strncmp(real, root, n) != 0 || real[n] != '/'))
		luaL_error(L, "include: %s is outside the scenario's folder %s (a scenario includes only files under it)",
			   path, root);
	if (!S_ISREG(st.st_mode))
		luaL_error(L, "include: %s is not a regular file", path);
	if (st.st_size > INCLUDE_MAX_BYTES)
		luaL_error(L, "include: %s has %I bytes, more than the %d MiB an included file may have", path,
			   (lua_Integer)st.st_size, INCLUDE_MAX_BYTES >> 20);
}

static int l_include(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lua_Debug ar;
	char path[1024];
	const char *dir_end = NULL, *src = "";
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar) && ar.source[0] == '@') {
		src = ar.source + 1;
		dir_end = strrchr(src, '/');
	}
	if (name[0] != '/' && dir_end)
		snprintf(path, sizeof path, "%.*s/%s", (int)(dir_end - src), src, name);
	else
		snprintf(path, sizeof path, "%s", name);
	struct scenario *sc = scenario_of(L);
	if (sc->include_depth >= 32)
		return luaL_error(L, "include: files include each other too deeply (at %s)", path);
	check_include(L, path);
	int base = lua_gettop(L);
	if (lapi_load_file(L, path) != LUA_OK)
		return luaL_error(L, "include: %s", lua_tostring(L, -1));
	sc->include_depth++;
	lua_callk(L, 0, LUA_MULTRET, base, include_done);
	return include_done(L, LUA_OK, base);
}

void lapi_open_narrate(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"title", l_title}, {"say", l_say}, {"print", l_print}, {"pause", l_pause},
		{"mark", l_mark}, {"expect", l_expect}, {"expect_eq", l_expect_eq},
		{"include", l_include}, {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &lapi_hooks_key);
	lua_pushcclosure(L, l_on, 1);
	lua_setfield(L, -2, "on");
	lua_pop(L, 1);
}
