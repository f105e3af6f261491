/*
 * The scenario API of pageblocks and per-cpu lists (src/mm/pageblock.c,
 * pcp.c): pageblock(pfn), pcp(cpu [, zone [, node]]), drain_all_pages(),
 * on_cpu(n, fn).
 */
#include "lapi.h"

#include <string.h>

#include "mm/page_alloc.h"
#include "mm/pageblock.h"
#include "mm/pcp.h"

static int check_cpu(lua_State *L, const struct machine *m, int idx, const char *fname)
{
	if (!lua_isinteger(L, idx))
		return luaL_error(L, "%s: cpu must be a whole number, not %s", fname, luaL_typename(L, idx));
	lua_Integer c = lua_tointeger(L, idx);
	if (c < 0 || c >= (lua_Integer)m->cfg.cpus)
		return luaL_error(L, "%s: cpu %I does not exist: this machine has cpus 0..%u", fname, c,
				  m->cfg.cpus - 1);
	return (int)c;
}

/* pageblock(pfn) -> {pfn, order, pages, migratetype, zone, free, movable} */
static int l_pageblock(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	lua_Integer pfn = luaL_checkinteger(L, 1);
	if (pfn < 0 || pfn >= (lua_Integer)m->nr_frames)
		return luaL_error(L, "pageblock: pfn %I is outside memory (pfns 0..%u)", pfn, m->nr_frames - 1);
	const struct zone *z = pfn_zone(m, (uint32_t)pfn);
	uint32_t start = pageblock_start_pfn(m, (uint32_t)pfn), free = 0, movable = 0;
	pageblock_counts(m, z, start, &free, &movable);
	lua_createtable(L, 0, 8);
	lapi_set_int(L, "pfn", start);
	lapi_set_int(L, "order", m->pageblock_order);
	lapi_set_int(L, "pages", pageblock_nr_pages(m));
	lapi_set_str(L, "migratetype", migratetype_names[get_pageblock_migratetype(m, (uint32_t)pfn)]);
	lapi_set_str(L, "zone", zone_type_names[z->type]);
	lapi_set_int(L, "free", free);
	lapi_set_int(L, "movable", movable);
	return 1;
}

static const struct zone *zone_arg(lua_State *L, const struct machine *m, int idx, const char *fname)
{
	unsigned node = (unsigned)luaL_optinteger(L, idx + 1, 0);
	if (node >= m->nr_nodes)
		luaL_error(L, "%s: node %u does not exist (nodes 0..%u)", fname, node, m->nr_nodes - 1);
	if (lua_isnoneornil(L, idx)) {
		/* the highest populated zone: where most allocations land */
		for (int t = MAX_NR_ZONES - 1; t >= 0; t--)
			if (zone_populated(machine_zone(m, node, (unsigned)t)))
				return machine_zone(m, node, (unsigned)t);
	}
	const char *name = luaL_checkstring(L, idx);
	for (unsigned t = 0; t < MAX_NR_ZONES; t++)
		if (strcmp(zone_type_names[t], name) == 0 && zone_populated(machine_zone(m, node, t)))
			return machine_zone(m, node, t);
	luaL_error(L, "%s: no populated zone '%s' on node %u", fname, name, node);
	return NULL;
}

/* pcp(cpu [, zone [, node]]) -> {cpu, zone, count, high, batch, high_min,
 * high_max, free_count, alloc_factor, lists = {{order, migratetype, pfns}…}} */
static int l_pcp(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	int cpu = check_cpu(L, m, 1, "pcp");
	const struct zone *z = zone_arg(L, m, 2, "pcp");
	const struct per_cpu_pages *p = zone_pcp(m, z, (unsigned)cpu);
	lua_createtable(L, 0, 12);
	lapi_set_int(L, "cpu", cpu);
	lapi_set_str(L, "zone", zone_type_names[z->type]);
	lapi_set_int(L, "count", p->count);
	lapi_set_int(L, "high", p->high);
	lapi_set_int(L, "batch", p->batch);
	lapi_set_int(L, "high_min", p->high_min);
	lapi_set_int(L, "high_max", p->high_max);
	lapi_set_int(L, "free_count", p->free_count);
	lapi_set_int(L, "alloc_factor", p->alloc_factor);
	lua_createtable(L, NR_PCP_LISTS, 0);
	for (unsigned i = 0; i < NR_PCP_LISTS; i++) {
		lua_createtable(L, 0, 3);
		lapi_set_int(L, "order", pindex_to_order(m, i));
		lapi_set_str(L, "migratetype", migratetype_names[pindex_to_migratetype(i)]);
		lua_newtable(L);
		int n = 1;
		for (uint32_t q = p->lists[i].head; q != PFN_NONE; q = m->frames[q].next) {
			lua_pushinteger(L, q);
			lua_rawseti(L, -2, n++);
		}
		lua_setfield(L, -2, "pfns");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "lists");
	return 1;
}

/* drain_all_pages(): every CPU's lists back to the buddy; the pages moved. */
static int l_drain_all_pages(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "drain_all_pages");
	uint32_t before = m->nsteps, free_before = 0, free_after = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		free_before += m->zones[i].free_pages;
	drain_all_pages_op(m);
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		free_after += m->zones[i].free_pages;
	lua_pushinteger(L, free_after - free_before);
	return lapi_op_end(L, before, 1);
}

static int on_cpu_done(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	scenario_of(L)->m->this_cpu = (unsigned)ctx;
	return lua_gettop(L) - 2;
}

/* on_cpu(n, fn): fn's operations run on CPU n (its per-cpu lists). */
static int l_on_cpu(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	int cpu = check_cpu(L, m, 1, "on_cpu");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_KContext saved = (lua_KContext)m->this_cpu;
	m->this_cpu = (unsigned)cpu;
	lua_pushvalue(L, 2);
	lua_callk(L, 0, LUA_MULTRET, saved, on_cpu_done);
	return on_cpu_done(L, LUA_OK, saved);
}

void lapi_open_pcp(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"pageblock", l_pageblock}, {"pcp", l_pcp}, {"drain_all_pages", l_drain_all_pages},
		{"on_cpu", l_on_cpu}, {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
