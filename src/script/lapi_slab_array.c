/*
 * The scenario API of SLAB's own structures (src/mm/slab_array.c, mm/slab.c
 * of Linux 6.7) on a machine{slab="slab"}: slab_arrays(name) shows a
 * cache's array caches, its node's three lists and its colouring;
 * cache_reap() runs one pass of the periodic reaper.
 */
#include "lapi.h"

#include <string.h>

#include "mm/slab_alloc.h"
#include "mm/slab_array.h"

static void push_pfns(lua_State *L, const struct machine *m, uint32_t head, const char *key)
{
	lua_newtable(L);
	lua_Integer n = 0;
	for (uint32_t s = head; s; s = slab_at(m, s)->next) {
		lua_pushinteger(L, slab_at(m, s)->pfn);
		lua_rawseti(L, -2, ++n);
	}
	lua_setfield(L, -2, key);
}

static void push_array(lua_State *L, const struct machine *m, const struct array_cache *ac, const char *key)
{
	lua_createtable(L, 0, 5);
	lapi_set_int(L, "avail", ac->avail);
	lapi_set_int(L, "limit", ac->limit);
	lapi_set_int(L, "touched", ac->touched);
	lua_createtable(L, (int)ac->avail, 0); /* bottom (oldest) first */
	for (uint32_t k = 0; k < ac->avail; k++) {
		const uint32_t *e = ac_entry(m, ac) + 2 * k;
		lua_pushinteger(L, (lua_Integer)slab_obj_addr(m, e[0], e[1]));
		lua_rawseti(L, -2, k + 1);
	}
	lua_setfield(L, -2, "objects");
	lua_setfield(L, -2, key);
}

/* slab_arrays(name) -> {limit, batchcount, shared, cpu = {avail, limit,
 * touched, objects}, shared_array = {…} or nil, full, partial, free (pfns,
 * list order), free_objects, free_limit, free_touched, colour, colour_off,
 * colour_next, mgmt, num, order} */
static int l_slab_arrays(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	const char *name = luaL_checkstring(L, 1);
	if (slab_allocator(m) != &slab_allocator_6_7)
		return luaL_error(L, "slab_arrays: array caches are SLAB's: this machine runs %s "
				  "(machine{slab=\"slab\"})", slab_allocator(m)->source);
	uint32_t c = slub_root(m)->caches;
	while (c && strcmp(cache_name(m, c), name) != 0)
		c = cache_at(m, c)->next;
	if (!c)
		return luaL_error(L, "slab_arrays: no cache named %s", name);
	const struct slab_cachep *cp = cachep_of(m, c);
	lua_createtable(L, 0, 20);
	lapi_set_int(L, "limit", cp->limit);
	lapi_set_int(L, "batchcount", cp->batchcount);
	lapi_set_int(L, "shared", cp->shared);
	push_array(L, m, &cp->cpu, "cpu");
	if (cp->sh.limit)
		push_array(L, m, &cp->sh, "shared_array");
	push_pfns(L, m, cp->head[AL_FULL], "full");
	push_pfns(L, m, cp->head[AL_PARTIAL], "partial");
	push_pfns(L, m, cp->head[AL_FREE], "free");
	lapi_set_int(L, "free_objects", cp->free_objects);
	lapi_set_int(L, "free_limit", cp->free_limit);
	lapi_set_int(L, "free_touched", cp->free_touched);
	lapi_set_int(L, "colour", cp->colour);
	lapi_set_int(L, "colour_off", cp->colour_off);
	lapi_set_int(L, "colour_next", cp->colour_next);
	lapi_set_str(L, "mgmt", aslab_mgmt_names[cp->mgmt]);
	lapi_set_int(L, "num", cp->num);
	lapi_set_int(L, "order", cp->gfporder);
	if (cp->mgmt == MGMT_OFF_SLAB)
		lapi_set_str(L, "freelist_cache", cache_name(m, cp->freelist_cache));
	return 1;
}

/* slab_colour(addr) -> the colour offset of the slab holding a SLAB object */
static int l_slab_colour(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	lua_Integer addr = luaL_checkinteger(L, 1);
	struct kobj o;
	if (slab_allocator(m) != &slab_allocator_6_7)
		return luaL_error(L, "slab_colour: colouring is SLAB's: this machine runs %s", slab_allocator(m)->source);
	if (slub_lookup(m, (uint64_t)addr, &o) != 0 || o.large)
		return luaL_error(L, "slab_colour: %s", o.large ? "a large kmalloc has no slab" : m->error);
	lua_pushinteger(L, aslab_tail(slab_at(m, o.slab))->s_mem);
	return 1;
}

/* cache_reap(): one pass of SLAB's reaper over every cache */
static int l_cache_reap(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "cache_reap");
	uint32_t before = m->nsteps;
	if (slab_cache_reap(m) != MM_OK)
		return luaL_error(L, "cache_reap: %s", m->error);
	return lapi_op_end(L, before, 0);
}

void lapi_open_slab_array(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"slab_arrays", l_slab_arrays},
		{"slab_colour", l_slab_colour},
		{"cache_reap", l_cache_reap},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
