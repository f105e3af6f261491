/*
 * NUMA in scenarios (mm/numa.h):
 *   set_mempolicy(task, mode [, nodes])        mode "MPOL_BIND", "MPOL_PREFERRED",
 *   mbind(task, addr, len, mode [, nodes])      "MPOL_INTERLEAVE", "MPOL_LOCAL", "MPOL_DEFAULT";
 *                                               nodes a list {0, 2}
 *   set_task_cpu(task, cpu)                     where the task runs (its local node)
 *   numa_node_id([cpu])                         cpu_to_node (cpu 0 by default)
 *   node_distance(a, b)
 *   zonelist(node [, gfp])                      {"node0/Normal", "node0/DMA32", …} in fallback order
 *   mempolicy(task [, addr])                    {mode=, nodes={…}} in force there
 * A task is a task handle or a pid.
 */
#include <string.h>

#include "lapi.h"
#include <stdio.h>

#include "mm/gfp.h"
#include "mm/numa.h"

static uint32_t check_pid(lua_State *L, int idx, const char *fn)
{
	if (lua_isuserdata(L, idx)) {
		lua_getfield(L, idx, "pid");
		lua_replace(L, idx);
	}
	if (!lua_isinteger(L, idx))
		luaL_error(L, "%s: argument %d must be a task (from process{}) or a pid", fn, idx);
	lua_Integer p = lua_tointeger(L, idx);
	if (p < 0 || p > UINT32_MAX)
		luaL_error(L, "%s: no task has pid %I", fn, p);
	return (uint32_t)p;
}

static unsigned check_mode(lua_State *L, int idx, const char *fn)
{
	const char *s = luaL_checkstring(L, idx);
	for (unsigned i = 0; i < NR_MPOL; i++)
		if (strcmp(s, mpol_names[i]) == 0)
			return i;
	return (unsigned)luaL_error(L, "%s: unknown mode \"%s\" (MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, "
				       "MPOL_INTERLEAVE, MPOL_LOCAL)", fn, s);
}

static uint64_t check_nodes(lua_State *L, int idx, const char *fn)
{
	if (lua_isnoneornil(L, idx))
		return 0;
	luaL_checktype(L, idx, LUA_TTABLE);
	uint64_t mask = 0;
	lua_Integer n = luaL_len(L, idx);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, idx, i);
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) >= MAX_NODES)
			luaL_error(L, "%s: nodes must be a list of node numbers 0..%d", fn, MAX_NODES - 1);
		mask |= 1ull << lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	return mask;
}

static int l_set_mempolicy(lua_State *L)
{
	uint32_t pid = check_pid(L, 1, "set_mempolicy");
	unsigned mode = check_mode(L, 2, "set_mempolicy");
	uint64_t nodes = check_nodes(L, 3, "set_mempolicy");
	struct machine *m = lapi_op_begin(L, "set_mempolicy");
	uint32_t before = m->nsteps;
	if (set_mempolicy(m, pid, mode, nodes) != MM_OK)
		return lapi_model_error(L, "set_mempolicy", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_mbind(lua_State *L)
{
	uint32_t pid = check_pid(L, 1, "mbind");
	lua_Integer addr = luaL_checkinteger(L, 2);
	uint64_t len = lapi_checksize(L, 3, "mbind: len");
	unsigned mode = check_mode(L, 4, "mbind");
	uint64_t nodes = check_nodes(L, 5, "mbind");
	struct machine *m = lapi_op_begin(L, "mbind");
	uint32_t before = m->nsteps;
	if (mbind(m, pid, (uint64_t)addr, len, mode, nodes) != MM_OK)
		return lapi_model_error(L, "mbind", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_set_task_cpu(lua_State *L)
{
	uint32_t pid = check_pid(L, 1, "set_task_cpu");
	lua_Integer cpu = luaL_checkinteger(L, 2);
	struct machine *m = lapi_op_begin(L, "set_task_cpu");
	uint32_t before = m->nsteps;
	if (set_task_cpu(m, pid, cpu < 0 || cpu > 4096 ? 4096u : (unsigned)cpu) != MM_OK)
		return lapi_model_error(L, "set_task_cpu", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_numa_node_id(lua_State *L)
{
	const struct machine *m = scenario_of(L)->m;
	lua_Integer cpu = luaL_optinteger(L, 1, 0);
	if (cpu < 0 || cpu >= (lua_Integer)m->cfg.cpus)
		return luaL_error(L, "numa_node_id: cpu %I does not exist (cpus 0..%d)", cpu, (int)m->cfg.cpus - 1);
	lua_pushinteger(L, cpu_to_node(m, (unsigned)cpu));
	return 1;
}

static unsigned check_node(lua_State *L, int idx, const char *fn)
{
	const struct machine *m = scenario_of(L)->m;
	lua_Integer n = luaL_checkinteger(L, idx);
	if (n < 0 || n >= (lua_Integer)m->nr_nodes)
		luaL_error(L, "%s: node %I does not exist (nodes 0..%d)", fn, n, (int)m->nr_nodes - 1);
	return (unsigned)n;
}

static int l_node_distance(lua_State *L)
{
	unsigned a = check_node(L, 1, "node_distance"), b = check_node(L, 2, "node_distance");
	lua_pushinteger(L, node_distance(scenario_of(L)->m, a, b));
	return 1;
}

static int l_zonelist(lua_State *L)
{
	const struct machine *m = scenario_of(L)->m;
	unsigned node = check_node(L, 1, "zonelist");
	uint32_t gfp = GFP_KERNEL;
	if (!lua_isnoneornil(L, 2) && !gfp_parse(luaL_checkstring(L, 2), &gfp))
		return luaL_error(L, "zonelist: unknown gfp \"%s\"", lua_tostring(L, 2));
	int highest = gfp_zone(m, gfp);
	if (highest < 0)
		return luaL_error(L, "zonelist: the gfp asks for two zone types at once");
	lua_newtable(L);
	int k = 0;
	char buf[48];
	for (unsigned i = 0; i < m->nr_nodes; i++) {
		unsigned n = numa_zonelist_node(m, node, i);
		for (int t = highest; t >= 0; t--) {
			const struct zone *z = machine_zone(m, n, (unsigned)t);
			if (!zone_populated(z))
				continue;
			snprintf(buf, sizeof buf, "node%u/%s", n, zone_type_names[t]);
			lua_pushstring(L, buf);
			lua_rawseti(L, -2, ++k);
		}
	}
	return 1;
}

static int l_mempolicy(lua_State *L)
{
	const struct machine *m = scenario_of(L)->m;
	uint32_t pid = check_pid(L, 1, "mempolicy");
	if (pid >= m->numa->ntasks)
		return luaL_error(L, "mempolicy: no task has pid %u", pid);
	const struct mpol *p = lua_isnoneornil(L, 2) ? &task_numa(m, pid)->pol
						     : mpol_at(m, pid, (uint64_t)luaL_checkinteger(L, 2));
	lua_createtable(L, 0, 2);
	lapi_set_str(L, "mode", mpol_names[p->mode]);
	lua_newtable(L);
	uint64_t nodes = mpol_nodes(p);
	for (int n = 0, k = 0; n < MAX_NODES; n++)
		if (nodes >> n & 1) {
			lua_pushinteger(L, n);
			lua_rawseti(L, -2, ++k);
		}
	lua_setfield(L, -2, "nodes");
	return 1;
}

void lapi_open_numa(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"set_mempolicy", l_set_mempolicy}, {"mbind", l_mbind},		    {"set_task_cpu", l_set_task_cpu},
		{"numa_node_id", l_numa_node_id},   {"node_distance", l_node_distance}, {"zonelist", l_zonelist},
		{"mempolicy", l_mempolicy},	    {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
