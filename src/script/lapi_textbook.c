/*
 * The textbook models in scenarios, in the course's own words:
 *   local fl = freelist{size=100, base=1000, header=0, align=-1,
 *                       policy="BEST", order="ADDRSORT", coalesce=false}
 *   local addr, searched = fl:alloc(3)   -- or nil, reason
 *   fl:free(addr)                        -- 0, or -1 as malloc.py returns
 *   fl.list                              -- {{addr=, size=}, …}
 *   local c = replacement{policy="LRU", frames=3, refs={…}, seed=0,
 *                         clockbits=2, skip=0}
 *   local hit, victim = c:access(page)   -- page may be left out with refs
 *   c:run()  c.resident  c.hits  c.misses
 * (Translation by hand, segments and page tables: lapi_translate.c.)
 * Handles are live views of the model's record (textbook.h) and know the
 * step that made it, so one whose making was undone says so.
 */
#include <stdio.h>
#include <string.h>

#include "lapi_textbook.h"
#include "mm/textbook/freelist.h"
#include "mm/textbook/replace.h"

/* The model behind a handle, or a Lua error saying why it is gone. */
struct machine *model_of(lua_State *L, int idx, const char *mt, struct lmodel **out)
{
	struct lmodel *h = luaL_checkudata(L, idx, mt);
	struct scenario *sc = scenario_of(L);
	if (h->gen != sc->machine_gen)
		luaL_error(L, "this %s belongs to a machine that machine{} replaced", mt);
	const struct arena *a = textbook_arena(sc->m);
	const struct tb_model *t = h->off < a->used ? arena_ptr(a, h->off) : NULL;
	if (!t || t->born != h->born)
		luaL_error(L, "this %s no longer exists (the step that made it was undone)", mt);
	*out = h;
	return sc->m;
}

void push_handle(lua_State *L, uint32_t off, const char *mt)
{
	struct lmodel *h = lua_newuserdatauv(L, sizeof *h, 0);
	struct scenario *sc = scenario_of(L);
	h->off = off;
	h->born = ((const struct tb_model *)arena_ptr(textbook_arena(sc->m), off))->born;
	h->gen = sc->machine_gen;
	luaL_setmetatable(L, mt);
}

/* Fields of a config table: every key must be one of `known`. */
void check_fields(lua_State *L, const char *fname, const char *known)
{
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		char pat[40];
		snprintf(pat, sizeof pat, " %s,", k ? k : "");
		if (!k || !strstr(known, pat)) {
			char msg[256];
			snprintf(msg, sizeof msg, "%s: unknown field %s%s%s (fields:%.*s)", fname, k ? "'" : "a non-string key",
				 k ? k : "", k ? "'" : "", (int)strlen(known) - 1, known);
			luaL_error(L, "%s", msg);
		}
		lua_pop(L, 1);
	}
}

lua_Integer opt_int(lua_State *L, const char *fname, const char *key, lua_Integer def, lua_Integer lo,
			   lua_Integer hi)
{
	lua_getfield(L, 1, key);
	lua_Integer v = def;
	if (!lua_isnil(L, -1)) {
		int ok;
		v = lua_tointegerx(L, -1, &ok);
		if (!ok)
			luaL_error(L, "%s: %s must be a whole number", fname, key);
	}
	lua_pop(L, 1);
	if (v < lo || v > hi)
		luaL_error(L, "%s: %s %I is out of range (%I to %I)", fname, key, v, lo, hi);
	return v;
}

int opt_name(lua_State *L, const char *fname, const char *key, const char *const *names, int n, int def)
{
	lua_getfield(L, 1, key);
	int v = def;
	if (!lua_isnil(L, -1)) {
		const char *s = luaL_checkstring(L, -1);
		v = -1;
		for (int i = 0; i < n; i++)
			if (strcmp(names[i], s) == 0)
				v = i;
		if (v < 0) {
			luaL_Buffer b;
			luaL_buffinit(L, &b);
			for (int i = 0; i < n; i++) {
				luaL_addstring(&b, i ? ", " : "");
				luaL_addstring(&b, names[i]);
			}
			luaL_pushresult(&b);
			luaL_error(L, "%s: unknown %s '%s' (%s)", fname, key, s, lua_tostring(L, -1));
		}
	}
	lua_pop(L, 1);
	return v;
}

/* ---- free lists ---- */

static int l_freelist(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	check_fields(L, "freelist", " size, base, header, align, policy, order, coalesce,");
	struct fl_config c = {0};
	c.size = (uint32_t)opt_int(L, "freelist", "size", 100, 1, FL_MAX_SIZE);
	c.base = (uint32_t)opt_int(L, "freelist", "base", 1000, 0, UINT32_MAX - c.size);
	c.header = (uint32_t)opt_int(L, "freelist", "header", 0, 0, UINT32_MAX);
	c.align = (int32_t)opt_int(L, "freelist", "align", -1, -1, INT32_MAX);
	c.policy = (enum fl_policy)opt_name(L, "freelist", "policy", fl_policy_names, NR_FL_POLICIES, FL_BEST);
	c.order = (enum fl_order)opt_name(L, "freelist", "order", fl_order_names, NR_FL_ORDERS, FL_ADDRSORT);
	lua_getfield(L, 1, "coalesce");
	c.coalesce = lua_toboolean(L, -1);
	lua_pop(L, 1);
	const char *bad = fl_config_error(&c);
	if (bad)
		return luaL_error(L, "freelist: %s", bad);
	struct machine *m = lapi_op_begin(L, "freelist");
	uint32_t before = m->nsteps;
	push_handle(L, freelist_new(m, &c), FL_MT);
	return lapi_op_end(L, before, 1);
}

static int fl_alloc(lua_State *L)
{
	struct lmodel *h;
	model_of(L, 1, FL_MT, &h);
	lua_Integer size = luaL_checkinteger(L, 2);
	if (size < 0 || size > UINT32_MAX)
		return luaL_error(L, "alloc: size %I is out of range", size);
	struct machine *m = lapi_op_begin(L, "alloc");
	uint32_t before = m->nsteps, searched;
	int64_t addr = freelist_alloc(m, h->off, (uint32_t)size, &searched);
	if (addr < 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "no fit: no free range holds %I units (searched %d elements)", size, (int)searched);
	} else {
		lua_pushinteger(L, addr);
		lua_pushinteger(L, searched);
	}
	return lapi_op_end(L, before, 2);
}

static int fl_free(lua_State *L)
{
	struct lmodel *h;
	model_of(L, 1, FL_MT, &h);
	lua_Integer addr = luaL_checkinteger(L, 2);
	struct machine *m = lapi_op_begin(L, "free");
	uint32_t before = m->nsteps;
	lua_pushinteger(L, addr < 0 || addr > UINT32_MAX ? -1 : freelist_free(m, h->off, (uint32_t)addr));
	return lapi_op_end(L, before, 1);
}

static int fl_index(lua_State *L)
{
	struct lmodel *h;
	struct machine *m = model_of(L, 1, FL_MT, &h);
	const struct freelist *f = freelist_at(m, h->off);
	const char *k = luaL_checkstring(L, 2);
	if (strcmp(k, "alloc") == 0)
		lua_pushcfunction(L, fl_alloc);
	else if (strcmp(k, "free") == 0)
		lua_pushcfunction(L, fl_free);
	else if (strcmp(k, "list") == 0) {
		lua_createtable(L, (int)f->nfree, 0);
		for (uint32_t i = 0; i < f->nfree; i++) {
			lua_createtable(L, 0, 2);
			lapi_set_int(L, "addr", fl_addr(m, f, i));
			lapi_set_int(L, "size", fl_size(m, f, i));
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	} else if (strcmp(k, "id") == 0)
		lua_pushinteger(L, f->id);
	else if (strcmp(k, "size") == 0)
		lua_pushinteger(L, f->cfg.size);
	else if (strcmp(k, "base") == 0)
		lua_pushinteger(L, f->cfg.base);
	else if (strcmp(k, "policy") == 0)
		lua_pushstring(L, fl_policy_names[f->cfg.policy]);
	else if (strcmp(k, "order") == 0)
		lua_pushstring(L, fl_order_names[f->cfg.order]);
	else if (strcmp(k, "allocated") == 0)
		lua_pushinteger(L, f->nalloc);
	else
		return luaL_error(L, "freelist has no field '%s' (fields: alloc, free, list, id, size, base, policy, order, "
				  "allocated)", k);
	return 1;
}

/* ---- replacement ---- */

static int l_replacement(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	check_fields(L, "replacement", " policy, frames, clockbits, seed, refs, skip,");
	struct rp_config c = {0};
	c.policy = (enum rp_policy)opt_name(L, "replacement", "policy", rp_policy_names, NR_RP_POLICIES, RP_FIFO);
	c.frames = (uint32_t)opt_int(L, "replacement", "frames", 3, 1, RP_MAX_FRAMES);
	c.clockbits = (uint32_t)opt_int(L, "replacement", "clockbits", 2, 0, UINT32_MAX);
	c.seed = opt_int(L, "replacement", "seed", 0, INT64_MIN, INT64_MAX);
	lua_Integer skip = opt_int(L, "replacement", "skip", 0, 0, 100000000);
	lua_getfield(L, 1, "refs");
	uint32_t nrefs = 0;
	uint32_t *refs = NULL;
	if (!lua_isnil(L, -1)) {
		luaL_checktype(L, -1, LUA_TTABLE);
		lua_Integer n = luaL_len(L, -1);
		if (n < 0 || n > (lua_Integer)TBV_MAX_CELLS)
			return luaL_error(L, "replacement: refs has %I pages, more than the model holds", n);
		refs = lua_newuserdatauv(L, ((size_t)n + 1) * sizeof *refs, 0);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, -2, i);
			int ok;
			lua_Integer p = lua_tointegerx(L, -1, &ok);
			if (!ok || p < 0 || p > UINT32_MAX)
				return luaL_error(L, "replacement: refs[%I] is not a page number from 0 to 2^32-1", i);
			refs[i - 1] = (uint32_t)p;
			lua_pop(L, 1);
		}
		nrefs = (uint32_t)n;
	}
	const char *bad = rp_config_error(&c, nrefs);
	if (bad)
		return luaL_error(L, "replacement: %s", bad);
	struct pyrandom rng;
	struct journal none = {0};
	pyrandom_seed(&rng, c.seed);
	for (lua_Integer i = 0; i < skip; i++)
		pyrandom_random(&none, &rng);
	struct machine *m = lapi_op_begin(L, "replacement");
	uint32_t before = m->nsteps;
	push_handle(L, replacement_new(m, &c, refs, nrefs, &rng), RP_MT);
	return lapi_op_end(L, before, 1);
}

static int rp_access(lua_State *L)
{
	struct lmodel *h;
	struct machine *m = model_of(L, 1, RP_MT, &h);
	const struct replacement *r = replacement_at(m, h->off);
	int64_t next = rp_next_ref(m, r);
	lua_Integer page;
	if (lua_isnoneornil(L, 2)) {
		if (next < 0)
			return luaL_error(L, "access: no page given and no reference left in refs");
		page = next;
	} else {
		page = luaL_checkinteger(L, 2);
		if (page < 0 || page > UINT32_MAX)
			return luaL_error(L, "access: page %I is not a page number from 0 to 2^32-1", page);
		if (r->nrefs && next != page)
			return next < 0 ? luaL_error(L, "access: every reference of refs has been made")
					: luaL_error(L, "access: page %I, but refs says page %I comes next", page, (lua_Integer)next);
	}
	struct machine *mm = lapi_op_begin(L, "access");
	uint32_t before = mm->nsteps;
	int64_t victim;
	lua_pushboolean(L, replacement_access(mm, h->off, (uint32_t)page, &victim));
	if (victim < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, victim);
	return lapi_op_end(L, before, 2);
}

/* run(): the rest of refs, one operation each (lazily, like any loop of
 * operations, so the debugger hands them out one by one). */
static int rp_run_k(lua_State *L, int status, lua_KContext ctx);
static int rp_run(lua_State *L)
{
	return rp_run_k(L, LUA_OK, 0);
}

static int rp_run_k(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	(void)ctx;
	for (;;) {
		struct lmodel *h;
		struct machine *m = model_of(L, 1, RP_MT, &h);
		const struct replacement *r = replacement_at(m, h->off);
		if (rp_next_ref(m, r) < 0) {
			lua_pushinteger(L, r->hits);
			lua_pushinteger(L, r->misses);
			return 2;
		}
		lua_settop(L, 1);
		lua_pushcfunction(L, rp_access);
		lua_pushvalue(L, 1);
		lua_callk(L, 1, 0, 0, rp_run_k);
	}
}

static int rp_index(lua_State *L)
{
	struct lmodel *h;
	struct machine *m = model_of(L, 1, RP_MT, &h);
	const struct replacement *r = replacement_at(m, h->off);
	const char *k = luaL_checkstring(L, 2);
	if (strcmp(k, "access") == 0)
		lua_pushcfunction(L, rp_access);
	else if (strcmp(k, "run") == 0)
		lua_pushcfunction(L, rp_run);
	else if (strcmp(k, "resident") == 0) {
		lua_createtable(L, (int)r->count, 0);
		for (uint32_t i = 0; i < r->count; i++) {
			lua_pushinteger(L, rp_slot(m, r, i));
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	} else if (strcmp(k, "hits") == 0)
		lua_pushinteger(L, r->hits);
	else if (strcmp(k, "misses") == 0)
		lua_pushinteger(L, r->misses);
	else if (strcmp(k, "index") == 0)
		lua_pushinteger(L, r->index);
	else if (strcmp(k, "frames") == 0)
		lua_pushinteger(L, r->cfg.frames);
	else if (strcmp(k, "policy") == 0)
		lua_pushstring(L, rp_policy_names[r->cfg.policy]);
	else if (strcmp(k, "id") == 0)
		lua_pushinteger(L, r->id);
	else
		return luaL_error(L, "replacement has no field '%s' (fields: access, run, resident, hits, misses, index, "
				  "frames, policy, id)", k);
	return 1;
}

int model_tostring(lua_State *L)
{
	struct lmodel *h = lua_touserdata(L, 1);
	lua_pushfstring(L, "%s at %d",
			luaL_testudata(L, 1, FL_MT)    ? "freelist"
			: luaL_testudata(L, 1, RP_MT)  ? "replacement"
			: luaL_testudata(L, 1, SEG_MT) ? "segments"
			: luaL_testudata(L, 1, LPT_MT) ? "linear_pt"
			: luaL_testudata(L, 1, HEAP_MT) ? "heap"
						       : "multilevel_pt",
			(int)h->off);
	return 1;
}

int model_eq(lua_State *L)
{
	struct lmodel *a = lua_touserdata(L, 1), *b = lua_touserdata(L, 2);
	lua_pushboolean(L, a && b && a->off == b->off && a->born == b->born && a->gen == b->gen);
	return 1;
}

void lapi_open_textbook(lua_State *L)
{
	static const luaL_Reg fl_meta[] = {
		{"__index", fl_index}, {"__tostring", model_tostring}, {"__eq", model_eq}, {NULL, NULL}};
	static const luaL_Reg rp_meta[] = {
		{"__index", rp_index}, {"__tostring", model_tostring}, {"__eq", model_eq}, {NULL, NULL}};
	luaL_newmetatable(L, FL_MT);
	luaL_setfuncs(L, fl_meta, 0);
	luaL_newmetatable(L, RP_MT);
	luaL_setfuncs(L, rp_meta, 0);
	static const luaL_Reg fns[] = {{"freelist", l_freelist}, {"replacement", l_replacement}, {NULL, NULL}};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
