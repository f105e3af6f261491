/* swapon, swapoff, swap_map, madvise and oom(): swap areas, MADV_PAGEOUT
 * and the OOM killer (mm/swap.h, mm/oom_kill.h).
 *
 * An area handle remembers its type and the step that made it: once the
 * area is swapped off (or its swapon undone, or machine{} called) using it
 * for an operation is an error; reading it says state "off". */
#include <string.h>

#include "lapi.h"
#include "mm/oom_kill.h"
#include "mm/procs.h"
#include "mm/swap.h"

#define AREA_MT "swap_area"

struct larea {
	uint32_t type, born;
	unsigned gen;
};

static const struct swap_info *area_info(lua_State *L, const struct larea *h)
{
	struct scenario *sc = scenario_of(L);
	if (h->gen != sc->machine_gen)
		return NULL;
	const struct swap_info *si = swap_info_by_type(sc->m, h->type);
	return si && si->born == h->born ? si : NULL;
}

static struct larea *check_area(lua_State *L, int idx, const char *fn, const struct swap_info **si)
{
	struct larea *h = luaL_testudata(L, idx, AREA_MT);
	if (!h)
		luaL_error(L, "%s: argument %d must be a swap area (from swapon{}), not a %s", fn, idx,
			   luaL_typename(L, idx));
	*si = area_info(L, h);
	if (!*si)
		luaL_error(L, "%s: swap area %d is not swapped on (swapped off, undone, or of a replaced machine)", fn,
			   (int)h->type);
	return h;
}

static int model_error(lua_State *L, const char *fn, const char *msg)
{
	size_t n = strlen(fn);
	if (strncmp(msg, fn, n) == 0 && msg[n] == ':')
		msg += n + 2;
	return luaL_error(L, "%s: %s", fn, msg);
}

static int area_index(lua_State *L)
{
	struct larea *h = luaL_checkudata(L, 1, AREA_MT);
	const char *k = luaL_checkstring(L, 2);
	const struct swap_info *si = area_info(L, h);
	struct machine *m = scenario_of(L)->m;
	if (strcmp(k, "type") == 0)
		lua_pushinteger(L, h->type);
	else if (strcmp(k, "state") == 0)
		lua_pushstring(L, si ? "on" : "off");
	else if (!si)
		return luaL_error(L, "swap area %d is off: only .type and .state remain", (int)h->type);
	else if (strcmp(k, "name") == 0)
		lua_pushstring(L, (const char *)si->name);
	else if (strcmp(k, "pages") == 0)
		lua_pushinteger(L, si->pages);
	else if (strcmp(k, "size") == 0)
		lua_pushinteger(L, (lua_Integer)((uint64_t)si->max << m->page_shift));
	else if (strcmp(k, "used") == 0)
		lua_pushinteger(L, si->inuse_pages);
	else if (strcmp(k, "free") == 0)
		lua_pushinteger(L, si->pages - si->inuse_pages);
	else if (strcmp(k, "priority") == 0)
		lua_pushinteger(L, si->prio);
	else if (strcmp(k, "clusters") == 0)
		lua_pushinteger(L, si->nr_clusters);
	else
		return luaL_error(L, "swap area has no field '%s' (fields: type, state, name, pages, size, used, free, "
				     "priority, clusters)",
				  k);
	return 1;
}

static int area_tostring(lua_State *L)
{
	struct larea *h = luaL_checkudata(L, 1, AREA_MT);
	lua_pushfstring(L, "swap area %d", (int)h->type);
	return 1;
}

/* swapon{size=, priority=, name=} -> area */
static int l_swapon(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		if (strcmp(k, "size") && strcmp(k, "priority") && strcmp(k, "name"))
			return luaL_error(L, "swapon: unknown field '%s' (fields: size, priority, name)", k);
		lua_pop(L, 1);
	}
	if (lua_getfield(L, 1, "size") == LUA_TNIL)
		return luaL_error(L, "swapon: size is required");
	uint64_t size = lapi_checksize(L, -1, "swapon: size");
	bool given = lua_getfield(L, 1, "priority") != LUA_TNIL;
	if (given && !lua_isinteger(L, -1))
		return luaL_error(L, "swapon: priority must be an integer");
	lua_Integer prio = given ? lua_tointeger(L, -1) : -1;
	if (given && (prio < 0 || prio > 32767))
		return luaL_error(L, "swapon: priority %d is outside 0..32767 (SWAP_FLAG_PRIO_MASK)", (int)prio);
	const char *name = NULL;
	if (lua_getfield(L, 1, "name") != LUA_TNIL)
		name = luaL_checkstring(L, -1);
	struct machine *m = lapi_op_begin(L, "swapon");
	uint32_t before = m->nsteps;
	unsigned type;
	if (do_swapon(m, size, (int)prio, given, name, &type) != MM_OK)
		return model_error(L, "swapon", m->error);
	struct larea *h = lua_newuserdatauv(L, sizeof *h, 0);
	h->type = type;
	h->born = swap_info_by_type(m, type)->born;
	h->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, AREA_MT);
	return lapi_op_end(L, before, 1);
}

static int l_swapoff(lua_State *L)
{
	const struct swap_info *si;
	struct larea *h = check_area(L, 1, "swapoff", &si);
	struct machine *m = lapi_op_begin(L, "swapoff");
	uint32_t before = m->nsteps;
	int rc = do_swapoff(m, h->type);
	if (rc == MM_EINVAL)
		return model_error(L, "swapoff", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushboolean(L, 1);
	return lapi_op_end(L, before, 1);
}

/* swap_map(area) -> {[offset] = {count=, cache=pfn}} for the slots in use */
static int l_swap_map(lua_State *L)
{
	const struct swap_info *si;
	struct larea *h = check_area(L, 1, "swap_map", &si);
	struct machine *m = scenario_of(L)->m;
	lua_newtable(L);
	for (uint32_t off = 1; off < si->max; off++) {
		uint64_t e = swp_entry(h->type, off);
		uint32_t v = swap_count_at(m, e);
		if (!v)
			continue;
		lua_createtable(L, 0, 2);
		lapi_set_int(L, "count", v & SWAP_COUNT_MASK);
		uint32_t pfn = swap_cache_lookup(m, e);
		if (pfn != PFN_NONE)
			lapi_set_int(L, "cache", pfn);
		lua_rawseti(L, -2, off);
	}
	return 1;
}

/* madvise(task, addr, len, advice) -> pages paged out */
static int l_madvise(lua_State *L)
{
	uint32_t pid = lapi_check_task(L, 1, "madvise");
	if (!lua_isinteger(L, 2))
		return luaL_error(L, "madvise: the address must be an integer");
	uint64_t addr = (uint64_t)lua_tointeger(L, 2);
	uint64_t len = lapi_checksize(L, 3, "madvise: len");
	const char *advice = luaL_checkstring(L, 4);
	struct machine *m = lapi_op_begin(L, "madvise");
	uint32_t before = m->nsteps;
	unsigned paged;
	if (do_madvise(m, pid, addr, len, advice, &paged) != MM_OK)
		return model_error(L, "madvise", m->error);
	lua_pushinteger(L, paged);
	return lapi_op_end(L, before, 1);
}

/* oom() -> {victim=pid or nil, scores={{pid=, points=, oom_score=}, …}} as sysrq-f */
static int l_oom(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "oom");
	uint32_t before = m->nsteps;
	const struct procs_root *pr = procs_root(m);
	uint64_t total = oom_totalpages(m);
	lua_createtable(L, 0, 2);
	lua_newtable(L);
	int n = 0;
	for (uint32_t pid = 1; pid <= pr->tasks.n; pid++) {
		int64_t b = oom_badness(m, pid, total);
		if (!task_mm(m, pid))
			continue;
		lua_createtable(L, 0, 3);
		lapi_set_int(L, "pid", pid);
		if (b != OOM_UNKILLABLE)
			lapi_set_int(L, "points", b);
		lapi_set_int(L, "oom_score", (lua_Integer)oom_score(m, pid));
		lua_rawseti(L, -2, ++n);
	}
	lua_setfield(L, -2, "scores");
	uint32_t victim;
	out_of_memory(m, true, &victim);
	if (victim)
		lapi_set_int(L, "victim", victim);
	return lapi_op_end(L, before, 1);
}

void lapi_open_swap(lua_State *L)
{
	static const luaL_Reg meta[] = {{"__index", area_index}, {"__tostring", area_tostring}, {NULL, NULL}};
	luaL_newmetatable(L, AREA_MT);
	luaL_setfuncs(L, meta, 0);
	lua_pop(L, 1);
	static const luaL_Reg fns[] = {
		{"swapon", l_swapon}, {"swapoff", l_swapoff}, {"swap_map", l_swap_map},
		{"madvise", l_madvise}, {"oom", l_oom},	      {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
