/* machine{}, zone(), zones(), frame() and proc(). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lapi.h"
#include "mm/proc.h"
#include "mm/slab_alloc.h"

static const char *const machine_keys[] = {"arch", "memory", "page_size", "max_order", "nodes", "cpus",
					   "zones", "min_free_kbytes", "seed", "reserved", "tlb", "distance",
					   "memory_map", "e820", "reserve", "kernel", "boot", "migratetypes",
					   "pcp", "slab", NULL};

static lua_Integer int_field(lua_State *L, const char *key, lua_Integer min, lua_Integer max)
{
	if (!lua_isinteger(L, -1))
		luaL_error(L, "machine: %s must be a whole number, not %s", key, luaL_typename(L, -1));
	lua_Integer v = lua_tointeger(L, -1);
	if (v < min || v > max)
		luaL_error(L, "machine: %s must be from %I to %I, not %I", key, min, max, v);
	return v;
}

const char *lapi_key_text(lua_State *L, int idx, char *buf, size_t n)
{
	int t = lua_type(L, idx);
	if (t == LUA_TSTRING)
		snprintf(buf, n, "'%s'", lua_tostring(L, idx));
	else if (t == LUA_TNUMBER)
		snprintf(buf, n, "[%s]", lua_tostring(L, idx));
	else if (t == LUA_TBOOLEAN)
		snprintf(buf, n, "[%s]", lua_toboolean(L, idx) ? "true" : "false");
	else
		snprintf(buf, n, "with a %s as its key", luaL_typename(L, idx));
	return buf;
}

void lapi_check_table(lua_State *L, int idx, const char *what, const char *example)
{
	if (!lua_istable(L, idx))
		luaL_error(L, "machine: %s must be a table like %s, not a %s", what, example, luaL_typename(L, idx));
}

static int zone_type_by_name(const char *name)
{
	for (int t = 0; t < MAX_NR_ZONES; t++)
		if (strcasecmp(zone_type_names[t], name) == 0)
			return t;
	return -1;
}

static void parse_zones(lua_State *L, struct mm_config *c)
{
	lapi_check_table(L, -1, "zones", "{DMA = \"16M\", Normal = \"48M\"}");
	c->zones_given = true;
	memset(c->zone_size, 0, sizeof c->zone_size);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		int t = lua_type(L, -2) == LUA_TSTRING ? zone_type_by_name(lua_tostring(L, -2)) : -1;
		if (t < 0) {
			char key[120];
			luaL_error(L, "machine: unknown zone %s in zones (zones: DMA, DMA32, Normal, HighMem, Movable)",
				   lapi_key_text(L, -2, key, sizeof key));
		}
		char what[64];
		snprintf(what, sizeof what, "machine: zone %s", zone_type_names[t]);
		c->zone_size[t] = lapi_checksize(L, -1, what);
		lua_pop(L, 1);
	}
}

/* distance={{10,20},{20,10}}: the SLIT, row by row (numa.c checks it). */
static void parse_distance(lua_State *L, struct mm_config *c)
{
	const char *ex = "distance={{10, 20}, {20, 10}}";
	lapi_check_table(L, -1, "distance", ex);
	lua_Integer n = luaL_len(L, -1);
	if (n < 1 || n > MAX_NODES)
		luaL_error(L, "machine: distance must have one row per node, 1 to %d rows (%s)", MAX_NODES, ex);
	for (lua_Integer a = 1; a <= n; a++) {
		if (lua_geti(L, -1, a) != LUA_TTABLE || luaL_len(L, -1) != n)
			luaL_error(L, "machine: distance row %I must be a list of %I numbers (%s)", a, n, ex);
		for (lua_Integer b = 1; b <= n; b++) {
			lua_geti(L, -1, b);
			if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > 255)
				luaL_error(L, "machine: distance[%I][%I] must be a positive whole number up to 255", a, b);
			c->distance[a - 1][b - 1] = (uint8_t)lua_tointeger(L, -1);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	c->distance_n = (unsigned)n;
}

static void parse_field(lua_State *L, struct mm_config *c, const char *key)
{
	if (lapi_parse_boot_field(L, c, key))
		return;
	if (strcmp(key, "arch") == 0 && lua_istable(L, -1)) {
		lapi_parse_toy_arch(L, c);
	} else if (strcmp(key, "tlb") == 0) {
		lapi_parse_tlb(L, c);
	} else if (strcmp(key, "arch") == 0) {
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "machine: arch must be a name (\"x86_64\", …) or a table, not a %s",
				   luaL_typename(L, -1));
		const char *name = lua_tostring(L, -1);
		c->toy.depth = 0;
		c->arch = arch_by_name(name);
		if (!c->arch)
			luaL_error(L, "machine: unknown arch '%s' (x86_64, x86_64_la57, x86, x86_pae, arm64, arm64_48)",
				   name);
	} else if (strcmp(key, "memory") == 0) {
		c->memory = lapi_checksize(L, -1, "machine: memory");
	} else if (strcmp(key, "page_size") == 0) {
		c->page_size = (uint32_t)lapi_checksize(L, -1, "machine: page_size");
	} else if (strcmp(key, "reserved") == 0) {
		c->reserved = lapi_checksize(L, -1, "machine: reserved");
	} else if (strcmp(key, "max_order") == 0) {
		c->max_order = (unsigned)int_field(L, key, 1, MAX_ORDER_LIMIT);
	} else if (strcmp(key, "nodes") == 0) {
		c->nodes = (unsigned)int_field(L, key, 1, MAX_NODES);
	} else if (strcmp(key, "cpus") == 0) {
		c->cpus = (unsigned)int_field(L, key, 1, 4096);
	} else if (strcmp(key, "min_free_kbytes") == 0) {
		c->min_free_kbytes = int_field(L, key, 0, 4194304);
	} else if (strcmp(key, "seed") == 0) {
		c->seed = (uint64_t)int_field(L, key, 0, INT64_MAX);
	} else if (strcmp(key, "zones") == 0) {
		parse_zones(L, c);
	} else if (strcmp(key, "migratetypes") == 0 || strcmp(key, "pcp") == 0) {
		if (!lua_isboolean(L, -1))
			luaL_error(L, "machine: %s must be true or false, not %s", key, luaL_typename(L, -1));
		*(key[0] == 'm' ? &c->migratetypes : &c->pcp) = lua_toboolean(L, -1);
	} else if (strcmp(key, "distance") == 0) {
		parse_distance(L, c);
	} else if (strcmp(key, "slab") == 0) {
		int id = lua_type(L, -1) == LUA_TSTRING ? slab_allocator_by_name(lua_tostring(L, -1)) : -1;
		if (id < 0)
			luaL_error(L, "machine: slab must be \"slub\", \"slab\" or \"slob\" (the allocator behind "
				      "kmalloc), not %s", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
										   : luaL_typename(L, -1));
		c->slab = (unsigned)id;
	}
}

/* math.random follows the machine's seed, so runs repeat exactly. */
void lapi_reseed(lua_State *L, uint64_t seed)
{
	lua_getglobal(L, "math");
	if (lua_getfield(L, -1, "randomseed") == LUA_TFUNCTION) {
		lua_pushinteger(L, (lua_Integer)seed);
		lua_call(L, 1, 0);
	} else {
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static int l_machine(lua_State *L)
{
	struct scenario *sc = scenario_of(L);
	if (sc->in_hook)
		return luaL_error(L, "machine cannot be called from an on() hook");
	if (sc->in_condition)
		return luaL_error(L, "machine cannot be called from a breakpoint condition");
	/* The debugger keeps every machine's history: a script making machines
	 * in a loop would exhaust the host, so a run may make only so many. */
	if (sc->gens > MAX_SCENARIO_MACHINES)
		return luaL_error(L, "machine: a scenario may make at most %d machines", MAX_SCENARIO_MACHINES);
	struct mm_config c = sc->base;
	bool memory_given = false;
	if (!lua_isnoneornil(L, 1)) {
		luaL_checktype(L, 1, LUA_TTABLE);
		lua_pushnil(L);
		while (lua_next(L, 1)) {
			const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
			const char *const *k = machine_keys;
			while (*k && strcmp(*k, key) != 0)
				k++;
			char text[120];
			if (!*k)
				return luaL_error(L, "machine: unknown field %s (fields: arch, memory, page_size, "
						     "max_order, nodes, cpus, zones, min_free_kbytes, reserved, seed, tlb, distance, "
						     "memory_map, e820, reserve, kernel, boot, migratetypes, pcp, slab)",
						  lapi_key_text(L, -2, text, sizeof text));
			parse_field(L, &c, key);
			memory_given |= strcmp(key, "memory") == 0;
			lua_pop(L, 1);
		}
	}
	if (memory_given && c.nr_e820)
		return luaL_error(L, "machine: memory= and memory_map= do not combine: the map says where memory is");
	char why[256];
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m)
		return luaL_error(L, "machine: %s", why);
	/* Replacing a machine that has a history: booting is a step, so the
	 * fresh machine is a place to step to (and back from). */
	bool had_history = sc->m->nsteps > 0;
	lapi_set_machine(sc, m);
	lapi_reseed(L, c.seed);
	if (!had_history)
		return 0;
	m->origin = lapi_line(L);
	sc->running = L;
	machine_boot_step(m);
	return lapi_op_end(L, 0, 0);
}

static void push_zone(lua_State *L, const struct machine *m, const struct zone *z)
{
	lua_createtable(L, 0, 16);
	lua_pushstring(L, zone_type_names[z->type]);
	lua_setfield(L, -2, "name");
	lapi_set_int(L, "node", z->node);
	lapi_set_int(L, "start_pfn", z->start_pfn);
	lapi_set_int(L, "spanned", z->spanned);
	lapi_set_int(L, "present", z->present);
	lapi_set_int(L, "managed", z->managed);
	lapi_set_int(L, "free", z->free_pages);
	lapi_set_int(L, "min", z->wmark[WMARK_MIN]);
	lapi_set_int(L, "low", z->wmark[WMARK_LOW]);
	lapi_set_int(L, "high", z->wmark[WMARK_HIGH]);
	lapi_set_int(L, "promo", z->wmark[WMARK_PROMO]);
	lua_createtable(L, 0, (int)m->max_order);
	for (unsigned o = 0; o < m->max_order; o++) {
		lua_pushinteger(L, z->free_area[o].nr_free);
		lua_rawseti(L, -2, o);
	}
	lua_setfield(L, -2, "nr_free");
	lua_createtable(L, 0, MAX_NR_ZONES);
	for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
		if (!arch_has_zone(m, t))
			continue;
		lua_pushinteger(L, z->lowmem_reserve[t]);
		lua_setfield(L, -2, zone_type_names[t]);
	}
	lua_setfield(L, -2, "lowmem_reserve");
}

static int l_zone(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	const char *name = luaL_checkstring(L, 1);
	lua_Integer node = luaL_optinteger(L, 2, 0);
	int t = zone_type_by_name(name);
	if (t < 0 || !arch_has_zone(m, (unsigned)t)) {
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (unsigned k = 0; k < MAX_NR_ZONES; k++) {
			if (!arch_has_zone(m, k))
				continue;
			luaL_addstring(&b, luaL_bufflen(&b) ? ", " : "");
			luaL_addstring(&b, zone_type_names[k]);
		}
		luaL_pushresult(&b);
		return luaL_error(L, "zone: unknown zone '%s' (%s has: %s)", name, m->cfg.arch->name,
				  lua_tostring(L, -1));
	}
	if (node < 0 || node >= (lua_Integer)m->nr_nodes)
		return luaL_error(L, "zone: node %I does not exist (nodes 0..%d)", node, (int)m->nr_nodes - 1);
	push_zone(L, m, machine_zone(m, (unsigned)node, (unsigned)t));
	return 1;
}

static int l_zones(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	lua_newtable(L);
	int i = 1;
	for (unsigned n = 0; n < m->nr_nodes; n++)
		for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
			if (!arch_has_zone(m, t))
				continue;
			push_zone(L, m, machine_zone(m, n, t));
			lua_rawseti(L, -2, i++);
		}
	return 1;
}

static int l_frame(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	lua_Integer pfn = luaL_checkinteger(L, 1);
	if (pfn < 0 || pfn >= m->nr_frames)
		return luaL_error(L, "frame: pfn %I is outside memory (pfns 0..%d)", pfn, (int)m->nr_frames - 1);
	uint32_t head = block_head(m, (uint32_t)pfn);
	const struct frame *h = &m->frames[head];
	const struct zone *z = pfn_zone(m, (uint32_t)pfn);
	lua_createtable(L, 0, 6);
	lapi_set_int(L, "pfn", pfn);
	lua_pushstring(L, zone_type_names[z->type]);
	lua_setfield(L, -2, "zone");
	lapi_set_int(L, "node", z->node);
	lua_pushstring(L, frame_state_names[frame_state(h)]);
	lua_setfield(L, -2, "state");
	lapi_set_int(L, "order", frame_order(h));
	lapi_set_int(L, "head", head);
	return 1;
}

static int l_proc(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	const char *name = luaL_checkstring(L, 1);
	if (!lua_isnoneornil(L, 2))
		return lapi_proc_task(L);
	struct strbuf sb = {0};
	if (mm_proc(m, name, &sb) != 0) {
		sb.len = 0;
		mm_proc_names(&sb);
		lua_pushfstring(L, "proc: no file '%s' (files: %s, nodeN/numastat, nodeN/distance)", name, sb.s);
		strbuf_free(&sb);
		return lua_error(L);
	}
	lua_pushlstring(L, sb.s, sb.len);
	strbuf_free(&sb);
	return 1;
}

void lapi_open_machine(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"machine", l_machine}, {"zone", l_zone}, {"zones", l_zones},
		{"frame", l_frame}, {"proc", l_proc}, {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
