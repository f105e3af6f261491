/* Memory pressure: kswapd(), reclaim(pages), mlock, munlock, sysctl{} and
 * lru([node]) (src/mm/vmscan.h). */
#include <string.h>

#include "lapi.h"
#include "mm/vmscan.h"

/* kswapd() -> pages reclaimed: every node's kswapd runs now. */
static int l_kswapd(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "kswapd");
	uint32_t before = m->nsteps;
	lua_pushinteger(L, (lua_Integer)kswapd_run_all(m));
	return lapi_op_end(L, before, 1);
}

/* reclaim(pages) -> pages reclaimed, or nil and why (memory.reclaim) */
static int l_reclaim(lua_State *L)
{
	if (!lua_isinteger(L, 1))
		return luaL_error(L, "reclaim: the number of pages must be an integer, not %s",
				  lua_type(L, 1) == LUA_TNUMBER ? lua_tostring(L, 1) : luaL_typename(L, 1));
	lua_Integer pages = lua_tointeger(L, 1);
	if (pages < 1)
		return luaL_error(L, "reclaim: the number of pages must be at least 1, not %d", (int)pages);
	struct machine *m = lapi_op_begin(L, "reclaim");
	uint32_t before = m->nsteps;
	uint64_t got;
	int rc = memory_reclaim(m, (uint64_t)pages, &got);
	if (rc == MM_EINVAL)
		return luaL_error(L, "%s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, (lua_Integer)got);
	return lapi_op_end(L, before, 1);
}

static int lock_call(lua_State *L, const char *fn, bool lock)
{
	uint32_t pid = lapi_check_task(L, 1, fn);
	if (!lua_isinteger(L, 2))
		return luaL_error(L, "%s: the address must be an integer (e.g. 0x401000), not %s", fn,
				  luaL_typename(L, 2));
	uint64_t addr = (uint64_t)lua_tointeger(L, 2);
	uint64_t len = lapi_checksize(L, 3, lock ? "mlock: len" : "munlock: len");
	struct machine *m = lapi_op_begin(L, fn);
	uint32_t before = m->nsteps;
	int rc = do_mlock(m, pid, addr, len, lock);
	if (rc == MM_EINVAL)
		return luaL_error(L, "%s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushboolean(L, 1);
	return lapi_op_end(L, before, 1);
}

static int l_mlock(lua_State *L) { return lock_call(L, "mlock", true); }
static int l_munlock(lua_State *L) { return lock_call(L, "munlock", false); }

/* sysctl{swappiness=, min_free_kbytes=, watermark_scale_factor=} sets
 * them; sysctl() reads them all. */
static int l_sysctl(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	if (lua_isnoneornil(L, 1)) {
		lua_createtable(L, 0, NR_VM_SYSCTL);
		for (unsigned i = 0; i < NR_VM_SYSCTL; i++)
			lapi_set_int(L, vm_sysctl_names[i], vm_sysctl_get(m, i));
		return 1;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	bool given[NR_VM_SYSCTL] = {0};
	int64_t value[NR_VM_SYSCTL] = {0};
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		unsigned i = 0;
		while (i < NR_VM_SYSCTL && strcmp(k, vm_sysctl_names[i]))
			i++;
		if (i == NR_VM_SYSCTL)
			return luaL_error(L, "sysctl: unknown setting '%s' (settings: swappiness, min_free_kbytes, "
					     "watermark_scale_factor)",
					  k);
		if (!lua_isinteger(L, -1))
			return luaL_error(L, "sysctl: %s must be an integer", k);
		given[i] = true;
		value[i] = lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	m = lapi_op_begin(L, "sysctl");
	uint32_t before = m->nsteps;
	if (vm_sysctl_set(m, given, value) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

/* lru([node]) -> {inactive_anon = {pfn, ...}, ...}: each list from its
 * head (the newest) to its tail (the next reclaim takes). */
static int l_lru(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	lua_Integer node = luaL_optinteger(L, 1, 0);
	if (node < 0 || node >= (lua_Integer)m->nr_nodes)
		return luaL_error(L, "lru: node %d does not exist: this machine has nodes 0..%u", (int)node,
				  m->nr_nodes - 1);
	const struct lruvec *l = node_lruvec(m, (unsigned)node);
	lua_createtable(L, 0, NR_LRU_LISTS);
	for (unsigned lru = 0; lru < NR_LRU_LISTS; lru++) {
		lua_createtable(L, (int)l->lists[lru].nr, 0);
		int i = 0;
		for (uint32_t pfn = l->lists[lru].head; pfn != PFN_NONE; pfn = m->frames[pfn].next) {
			lua_pushinteger(L, pfn);
			lua_rawseti(L, -2, ++i);
		}
		lua_setfield(L, -2, lru_names[lru]);
	}
	return 1;
}

void lapi_open_vmscan(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"kswapd", l_kswapd}, {"reclaim", l_reclaim}, {"mlock", l_mlock}, {"munlock", l_munlock},
		{"sysctl", l_sysctl}, {"lru", l_lru},	      {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
