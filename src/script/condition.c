/*
 * Breakpoint conditions: a Lua expression over an event's fields, e.g.
 * `order >= 3 and zone == "DMA"`.  The expression is compiled once as a
 * function whose _ENV is, for each event, a read-only view: a name is the
 * event's field, else one of the scenario's globals (math, string, its own
 * variables), else an error that lists the event's fields.  The view cannot
 * be assigned to, and its metatable is locked, so a condition cannot change
 * the names it reads.  A condition makes no operations and runs on a budget
 * of its own, leaving the scenario's budget as it was.
 */
#include <stdio.h>
#include <string.h>

#include "lapi.h"

#define CONDITION_INSTRUCTIONS 10000000u /* per test: an endless condition ends fast */

/* __index of the view: upvalue 1 the event's fields, upvalue 2 its kind. */
static int view_index(lua_State *L)
{
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	lua_pushglobaltable(L);
	lua_pushvalue(L, 2);
	if (lua_rawget(L, -2) != LUA_TNIL)
		return 1;
	const struct ev_kind_info *k = &ev_kinds[lua_tointeger(L, lua_upvalueindex(2))];
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (unsigned i = 0; i < k->nfields; i++) {
		luaL_addstring(&b, i ? ", " : "");
		luaL_addstring(&b, k->field[i].name);
	}
	luaL_addstring(&b, k->nfields ? ", and kind, step, op, line" : "kind, step, op, line");
	luaL_pushresult(&b);
	const char *name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2);
	return luaL_error(L, "%s events have no field '%s' (fields: %s)", k->name, name, lua_tostring(L, -1));
}

static int view_newindex(lua_State *L)
{
	const char *name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2);
	return luaL_error(L, "a condition cannot assign (to '%s'): it only tests the event", name);
}

/* Message handler: an error that is not a string still says what and where. */
static int condition_msgh(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER)
		return 1;
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "Sl", &ar);
		if (ar.currentline > 0) {
			lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
			break;
		}
	}
	if (lua_gettop(L) == 1)
		lua_pushliteral(L, "");
	lua_pushfstring(L, "%sthe condition raised a %s value, not a message", lua_tostring(L, -1),
			luaL_typename(L, 1));
	return 1;
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

/* Push the read-only view of an event. */
static void push_view(lua_State *L, const struct machine *m, const struct event *e)
{
	lua_newtable(L);
	lua_createtable(L, 0, 3);
	lapi_push_event(L, m, e);
	lua_pushinteger(L, e->kind);
	lua_pushcclosure(L, view_index, 2);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, view_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
}

int scenario_condition_test(struct scenario *sc, int ref, const struct event *e, char *err, size_t errlen)
{
	lua_State *L = sc->sb.L;
	int base = lua_gettop(L);
	lua_pushcfunction(L, condition_msgh);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	push_view(L, sc->m, e);
	lua_setupvalue(L, -2, 1); /* _ENV */
	sc->in_condition = true;
	int rc = sandbox_pcall_budget(&sc->sb, L, 0, 1, base + 1, CONDITION_INSTRUCTIONS, err, errlen);
	sc->in_condition = false;
	int r = rc == LUA_OK ? lua_toboolean(L, -1) : -1;
	lua_settop(L, base);
	return r;
}
