/* ksm{}, ksm() and ksmd(): KSM's tunables, its counters and a ksmd batch
 * (mm/ksm.h).  madvise(task, addr, len, "MADV_MERGEABLE") is lapi_swap.c's
 * madvise; the counters are also proc("kernel/mm/ksm/NAME"). */
#include <stdlib.h>
#include <string.h>

#include "lapi.h"
#include "mm/ksm.h"

/* ksm{run=, pages_to_scan=, sleep_millisecs=}: write the knobs (one
 * operation); ksm() -> the /sys/kernel/mm/ksm numbers as a table. */
static int l_ksm(lua_State *L)
{
	if (lua_isnoneornil(L, 1)) {
		struct machine *m = scenario_of(L)->m;
		lua_newtable(L);
		for (const struct mm_proc_file *f = ksm_files; f->name; f++) {
			struct strbuf sb = {0};
			f->show(m, &sb);
			char *end;
			long long v = strtoll(sb.s, &end, 10);
			if (end != sb.s)
				lapi_set_int(L, f->name + strlen("kernel/mm/ksm/"), v);
			strbuf_free(&sb);
		}
		return 1;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	static const char *const knobs[] = {"run", "pages_to_scan", "sleep_millisecs"};
	struct machine *m = scenario_of(L)->m;
	lua_pushnil(L); /* every knob is checked before any is written */
	while (lua_next(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
			return luaL_error(L, "ksm: %s must be an integer >= 0", k);
		if (ksm_knob_check(m, k, (uint64_t)lua_tointeger(L, -1)))
			return lapi_model_error(L, "ksm", m->error);
		lua_pop(L, 1);
	}
	m = lapi_op_begin(L, "ksm");
	uint32_t before = m->nsteps;
	mm_op_begin(m);
	for (unsigned i = 0; i < 3; i++) {
		if (lua_getfield(L, 1, knobs[i]) != LUA_TNIL)
			ksm_set(m, knobs[i], (uint64_t)lua_tointeger(L, -1));
		lua_pop(L, 1);
	}
	mm_op_end(m);
	return lapi_op_end(L, before, 0);
}

/* ksmd([pages]) -> pages scanned: one batch of ksm_do_scan, pages_to_scan
 * by default; it ends early at the end of a full scan. */
static int l_ksmd(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	const struct ksm_state *s = ksm_state(m);
	lua_Integer n = luaL_optinteger(L, 1, s->pages_to_scan);
	if (n <= 0 || n > UINT32_MAX)
		return luaL_error(L, "ksmd: pages must be between 1 and %u", UINT32_MAX);
	if (!s->run)
		return luaL_error(L, "ksmd: /sys/kernel/mm/ksm/run is 0, so ksmd sleeps: ksm{run=1} starts it");
	m = lapi_op_begin(L, "ksmd");
	uint32_t before = m->nsteps;
	lua_pushinteger(L, ksm_do_scan(m, (unsigned)n));
	return lapi_op_end(L, before, 1);
}

void lapi_open_ksm(lua_State *L)
{
	static const luaL_Reg fns[] = {{"ksm", l_ksm}, {"ksmd", l_ksmd}, {NULL, NULL}};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
