/* Helpers shared by the scenario API: operations, positions, sizes, events. */
#include "lapi.h"
#include "lapi_quiz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/trace.h"
#include "mm/units.h"

const lapi_opener lapi_libs[] = {
	lapi_open_machine, lapi_open_page, lapi_open_narrate, lapi_open_slab, lapi_open_vmalloc, lapi_open_memblock, lapi_open_dma, lapi_open_pgtable, lapi_open_process, lapi_open_vmscan, lapi_open_swap, lapi_open_textbook, lapi_open_heap, lapi_open_translate, lapi_open_quiz, lapi_open_compact, lapi_open_highmem, lapi_open_segment, lapi_open_numa, lapi_open_pcp, lapi_open_slab_array, lapi_open_ksm, NULL,
};

int lapi_line(lua_State *L)
{
	/* The line in the main scenario file, so the source view can show it:
	 * for code in an included file, the include() that led there.  Lines
	 * typed at a prompt are not lines of the file: 0. */
	struct scenario *sc = scenario_of(L);
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "Sl", &ar);
		/* the main chunk's source string lives as long as it runs: once
		 * matched by name, its address is enough */
		bool main = ar.source == sc->file_source ||
			    (ar.source[0] == '@' && strcmp(ar.source + 1, sc->file) == 0 && (sc->file_source = ar.source));
		if (main && ar.currentline > 0)
			return ar.currentline;
	}
	return 0;
}

const char *lapi_where(lua_State *L, char *buf, size_t n)
{
	lua_Debug ar;
	buf[0] = 0;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
		snprintf(buf, n, "%s:%d", ar.short_src, ar.currentline);
	return buf;
}

struct machine *lapi_op_begin(lua_State *L, const char *fname)
{
	struct scenario *sc = scenario_of(L);
	if (sc->in_hook)
		luaL_error(L, "%s cannot be called from an on() hook or a slab constructor", fname);
	if (sc->in_condition)
		luaL_error(L, "%s cannot be called from a breakpoint condition", fname);
	/* finding the line walks the Lua stack: only when someone reads it */
	sc->m->origin = sc->no_lines && !sc->any_hook ? 0 : lapi_line(L);
	sc->running = L;
	return sc->m;
}

static int op_continue(lua_State *L, int status, lua_KContext nres)
{
	(void)L;
	(void)status;
	return (int)nres;
}

int lapi_op_end(lua_State *L, uint32_t steps_before, int nres)
{
	struct scenario *sc = scenario_of(L);
	sc->running = NULL;
	if (sc->hook_error[0]) {
		char msg[sizeof sc->hook_error];
		memcpy(msg, sc->hook_error, sizeof msg);
		sc->hook_error[0] = 0;
		return luaL_error(L, "%s", msg);
	}
	/* Only the scenario's own thread yields to the host: a coroutine the
	 * script made itself must not see our yields. */
	if (sc->lazy && L == sc->co && sc->m->nsteps != steps_before)
		return lua_yieldk(L, 0, nres, op_continue);
	return nres;
}

int lapi_nomem(lua_State *L, const struct machine *m, uint32_t steps_before)
{
	lua_pushnil(L);
	lua_pushstring(L, m->reason);
	return lapi_op_end(L, steps_before, 2);
}

void lapi_set_int(lua_State *L, const char *key, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, key);
}

void lapi_set_str(lua_State *L, const char *key, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, -2, key);
}

int lapi_join(lua_State *L)
{
	int n = lua_gettop(L); /* before buffinit, which uses the stack */
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	return 1;
}

uint64_t lapi_checksize(lua_State *L, int idx, const char *what)
{
	if (lua_type(L, idx) == LUA_TNUMBER) {
		if (!lua_isinteger(L, idx) || lua_tointeger(L, idx) < 0)
			luaL_error(L, "%s must be a whole number of bytes, not %s", what, lua_tostring(L, idx));
		return (uint64_t)lua_tointeger(L, idx);
	}
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "%s must be a size (bytes, or a string like \"64M\"), not a %s", what,
			   luaL_typename(L, idx));
	const char *s = lua_tostring(L, idx);
	uint64_t bytes;
	if (!parse_size(s, &bytes))
		luaL_error(L, "%s: bad size \"%s\" (write bytes, or a number with K, M or G)", what, s);
	return bytes;
}

void lapi_push_event(lua_State *L, const struct machine *m, const struct event *e)
{
	const struct ev_kind_info *k = &ev_kinds[e->kind];
	lua_createtable(L, 0, (int)k->nfields + 4);
	lua_pushstring(L, k->name);
	lua_setfield(L, -2, "kind");
	lua_pushinteger(L, e->step);
	lua_setfield(L, -2, "step");
	lua_pushinteger(L, e->op);
	lua_setfield(L, -2, "op");
	lua_pushinteger(L, e->line);
	lua_setfield(L, -2, "line");
	for (unsigned i = 0; i < k->nfields; i++) {
		char buf[96];
		switch (k->field[i].type) {
		case FT_INT:
		case FT_PFN:
		case FT_ADDR:
		case FT_PTE:
		case FT_OPTINT:
			lua_pushinteger(L, e->f[i]);
			break;
		case FT_BOOL:
			lua_pushboolean(L, e->f[i] != 0);
			break;
		default:
			lua_pushstring(L, ev_field_text(m, e, i, buf, sizeof buf));
		}
		lua_setfield(L, -2, k->field[i].name);
	}
}

int lapi_model_error(lua_State *L, const char *fn, const char *msg)
{
	size_t n = strlen(fn);
	if (strncmp(msg, fn, n) == 0 && msg[n] == ':')
		msg += n + 2;
	return luaL_error(L, "%s: %s", fn, msg);
}
