/* compact(), kcompactd(), migrate(), fragmentation_index() and unusable_index(). */
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "mm/compaction.h"

/* A zone by name (and node), or a Lua error listing the arch's zones. */
static struct zone *zone_arg(lua_State *L, int idx, int node_idx, const char *fn)
{
	struct machine *m = scenario_of(L)->m;
	const char *name = luaL_checkstring(L, idx);
	lua_Integer node = luaL_optinteger(L, node_idx, 0);
	for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
		if (strcmp(zone_type_names[t], name) != 0 || !arch_has_zone(m, t))
			continue;
		if (node < 0 || node >= (lua_Integer)m->nr_nodes)
			luaL_error(L, "%s: node %I does not exist (nodes 0..%d)", fn, node, (int)m->nr_nodes - 1);
		return machine_zone(m, (unsigned)node, t);
	}
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (unsigned t = 0; t < MAX_NR_ZONES; t++)
		if (arch_has_zone(m, t)) {
			luaL_addstring(&b, luaL_bufflen(&b) ? ", " : "");
			luaL_addstring(&b, zone_type_names[t]);
		}
	luaL_pushresult(&b);
	luaL_error(L, "%s: unknown zone '%s' (%s has: %s)", fn, name, m->cfg.arch->name, lua_tostring(L, -1));
	return NULL;
}

static unsigned order_arg(lua_State *L, int idx, const char *fn)
{
	struct machine *m = scenario_of(L)->m;
	lua_Integer o = luaL_checkinteger(L, idx);
	if (o < 0 || o >= (lua_Integer)m->max_order)
		luaL_error(L, "%s: order %I is out of range: this machine has orders 0..%d", fn, o, (int)m->max_order - 1);
	return (unsigned)o;
}

/* compact([zone [, order [, node]]]): no zone compacts every populated
 * zone fully, as writing /proc/sys/vm/compact_memory does. */
static int l_compact(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	int order = -1;
	struct zone *only = NULL;
	if (!lua_isnoneornil(L, 1))
		only = zone_arg(L, 1, 3, "compact");
	if (!lua_isnoneornil(L, 2)) {
		lua_Integer o = luaL_checkinteger(L, 2);
		if (o < -1 || o >= (lua_Integer)m->max_order)
			return luaL_error(L, "compact: order %I is out of range: -1 (compact fully) or 0..%d", o,
					  (int)m->max_order - 1);
		order = (int)o;
	}
	m = lapi_op_begin(L, "compact");
	uint32_t before = m->nsteps;
	enum compact_result best = COMPACT_SKIPPED;
	bool any = false;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		struct zone *z = &m->zones[i];
		if (only ? z != only : !zone_populated(z) || !z->managed)
			continue;
		enum compact_result r;
		if (compact_zone_op(m, z, order, &r) != MM_OK)
			return luaL_error(L, "%s", m->error);
		if (!any || r > best)
			best = r;
		any = true;
	}
	lua_pushstring(L, compact_result_names[best]);
	return lapi_op_end(L, before, 1);
}

/* A pfn from an integer, a page() view or a page handle. */
static uint32_t pfn_arg(lua_State *L, int idx, const char *fn)
{
	if (lua_isinteger(L, idx))
		return (uint32_t)(lua_tointeger(L, idx) < 0 ? UINT32_MAX : lua_tointeger(L, idx));
	if (lua_isuserdata(L, idx) && lua_getfield(L, idx, "pfn") == LUA_TNUMBER) {
		uint32_t pfn = (uint32_t)lua_tointeger(L, -1);
		lua_pop(L, 1);
		return pfn;
	}
	luaL_error(L, "%s: argument %d must be a pfn or a page, not a %s", fn, idx, luaL_typename(L, idx));
	return 0;
}

/* migrate(page, node) or migrate(page, {pfn=N}): the new pfn. */
static int l_migrate(lua_State *L)
{
	uint32_t pfn = pfn_arg(L, 1, "migrate");
	int node = 0;
	uint32_t target = PFN_NONE;
	if (lua_istable(L, 2)) {
		if (lua_getfield(L, 2, "pfn") != LUA_TNUMBER || !lua_isinteger(L, -1))
			return luaL_error(L, "migrate: the target table needs an integer pfn= (or give a node number)");
		lua_Integer t = lua_tointeger(L, -1);
		target = t < 0 ? UINT32_MAX - 1 : (uint32_t)t;
		node = -1;
		lua_pop(L, 1);
	} else if (!lua_isnoneornil(L, 2)) {
		lua_Integer n = luaL_checkinteger(L, 2);
		node = n < 0 || n > 1000 ? 1000 : (int)n;
	}
	struct machine *m = lapi_op_begin(L, "migrate");
	uint32_t before = m->nsteps, dst;
	int rc = migrate_page(m, pfn, node, target, &dst);
	if (rc == MM_EINVAL)
		return luaL_error(L, "%s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, dst);
	return lapi_op_end(L, before, 1);
}

static int index_fn(lua_State *L, const char *fn, bool extfrag)
{
	struct machine *m = scenario_of(L)->m;
	struct zone *z = zone_arg(L, 1, 3, fn);
	unsigned o = order_arg(L, 2, fn);
	int x = extfrag ? fragmentation_index(z, m->max_order, o) : unusable_index(z, m->max_order, o);
	lua_pushnumber(L, x / 1000.0);
	return 1;
}

/* kcompactd(order [, node]) -> true if it woke: ask the node's kcompactd
 * for order as kswapd going to sleep would (wakeup_kcompactd); it runs
 * right after, if kcompactd_node_suitable. */
static int l_kcompactd(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	lua_Integer order = luaL_checkinteger(L, 1), node = luaL_optinteger(L, 2, 0);
	if (order < 1 || order >= (lua_Integer)m->max_order)
		return luaL_error(L, "kcompactd: order %I is out of range: 1..%d (order 0 never wakes it)", order,
				  (int)m->max_order - 1);
	if (node < 0 || node >= (lua_Integer)m->nr_nodes)
		return luaL_error(L, "kcompactd: node %I does not exist (nodes 0..%d)", node, (int)m->nr_nodes - 1);
	m = lapi_op_begin(L, "kcompactd");
	uint32_t before = m->nsteps;
	bool woken;
	if (kcompactd_wake_op(m, (unsigned)node, (unsigned)order, &woken) != MM_OK)
		return luaL_error(L, "%s", m->error);
	lua_pushboolean(L, woken);
	return lapi_op_end(L, before, 1);
}

static int l_fragmentation_index(lua_State *L) { return index_fn(L, "fragmentation_index", true); }
static int l_unusable_index(lua_State *L) { return index_fn(L, "unusable_index", false); }

void lapi_open_compact(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"compact", l_compact},
		{"kcompactd", l_kcompactd},
		{"migrate", l_migrate},
		{"fragmentation_index", l_fragmentation_index},
		{"unusable_index", l_unusable_index},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
