/*
 * Breakpoint conditions: a Lua expression over an event's fields, e.g.
 * `order >= 3 and zone == "DMA"`.  The expression is compiled once as a
 * function whose _ENV is swapped for each event's field table; other names
 * are the scenario's globals (math, string, its own variables), and a name
 * that is neither is an error that lists the event's fields.
 */
#include <stdio.h>
#include <string.h>

#include "lapi.h"

static int unknown_field(lua_State *L)
{
	const char *name = luaL_checkstring(L, 2);
	lua_pushglobaltable(L);
	lua_pushvalue(L, 2);
	if (lua_rawget(L, -2) != LUA_TNIL)
		return 1;
	lua_pop(L, 2);
	lua_getfield(L, 1, "kind");
	int kind = ev_kind_by_name(lua_tostring(L, -1));
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (unsigned i = 0; kind >= 0 && i < ev_kinds[kind].nfields; i++) {
		luaL_addstring(&b, i ? ", " : "");
		luaL_addstring(&b, ev_kinds[kind].field[i].name);
	}
	luaL_pushresult(&b);
	return luaL_error(L, "%s events have no field '%s' (fields: %s, and kind, step, op, line)", ev_kinds[kind].name,
			  name, lua_tostring(L, -1));
}

int scenario_condition_compile(struct scenario *sc, const char *expr, char *err, size_t errlen)
{
	lua_State *L = sc->sb.L;
	char code[1100];
	snprintf(code, sizeof code, "return (%s)", expr);
	if (sandbox_load(L, code, strlen(code), "=condition") != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	return luaL_ref(L, LUA_REGISTRYINDEX);
}

void scenario_condition_free(struct scenario *sc, int ref)
{
	luaL_unref(sc->sb.L, LUA_REGISTRYINDEX, ref);
}

int scenario_condition_test(struct scenario *sc, int ref, const struct event *e, char *err, size_t errlen)
{
	lua_State *L = sc->sb.L;
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lapi_push_event(L, sc->m, e);
	lua_newtable(L);
	lua_pushcfunction(L, unknown_field);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_setupvalue(L, -2, 1); /* _ENV */
	sandbox_reset_budget(&sc->sb);
	if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	int r = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return r;
}
