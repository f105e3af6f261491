/*
 * Translation by hand in scenarios (the textbook models of segment.h and
 * pagetable.h):
 *   local s = segmentation{asize="1K", psize="16K", seg0={base=, limit=},
 *                          seg1={base=, limit=}}   -- seg1's base: its top
 *   local r = relocation{asize="1K", psize="16K", base=, limit=}
 *   local pa = s:translate(va)           -- or nil, "segmentation violation"
 *   local l = linear_pt{asize="16K", psize="64K", pagesize="4K", map={[0]=3}}
 *   l:translate(va)                      -- pa, or nil, "invalid (VPN n)"
 *   local t = multilevel_pt{memory=DUMP, pdbr=N}   -- the simulator's dump
 *   t:translate(va)                      -- pa, value, or nil, "PDE fault…"
 */
#include <stdio.h>
#include <string.h>

#include "lapi_textbook.h"
#include "mm/textbook/pagetable.h"
#include "mm/textbook/segment.h"

/* ---- segments ---- */

static void seg_field(lua_State *L, const char *fname, const char *key, uint64_t *base, uint64_t *limit)
{
	if (lua_getfield(L, 1, key) != LUA_TTABLE)
		luaL_error(L, "%s: %s must be a table {base=, limit=}", fname, key);
	lua_getfield(L, -1, "base");
	lua_getfield(L, -2, "limit");
	if (lua_isnil(L, -2) || lua_isnil(L, -1))
		luaL_error(L, "%s: %s needs base= and limit=", fname, key);
	*base = lapi_checksize(L, -2, key);
	*limit = lapi_checksize(L, -1, key);
	lua_pop(L, 3);
}

static int new_segments(lua_State *L, const char *fname, unsigned nseg)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	struct seg_config c = {0};
	c.nseg = nseg;
	lua_getfield(L, 1, "asize");
	lua_getfield(L, 1, "psize");
	c.asize = lua_isnil(L, -2) ? 1024 : lapi_checksize(L, -2, "asize");
	c.psize = lua_isnil(L, -1) ? 16384 : lapi_checksize(L, -1, "psize");
	lua_pop(L, 2);
	if (nseg == 1) {
		check_fields(L, fname, " asize, psize, base, limit,");
		lua_getfield(L, 1, "base");
		lua_getfield(L, 1, "limit");
		if (lua_isnil(L, -2) || lua_isnil(L, -1))
			return luaL_error(L, "%s: needs base= and limit=", fname);
		c.base[0] = lapi_checksize(L, -2, "base");
		c.limit[0] = lapi_checksize(L, -1, "limit");
		lua_pop(L, 2);
	} else {
		check_fields(L, fname, " asize, psize, seg0, seg1,");
		seg_field(L, fname, "seg0", &c.base[0], &c.limit[0]);
		seg_field(L, fname, "seg1", &c.base[1], &c.limit[1]);
	}
	const char *bad = seg_config_error(&c);
	/* a scenario's segments must lie in physical memory (the simulators
	 * check this their own ways; see course/segment.c) */
	if (!bad && (c.base[0] + c.limit[0] > c.psize || (nseg == 2 && c.base[1] > c.psize)))
		bad = "a segment does not fit in physical memory";
	if (!bad && nseg == 2 && 2 * (c.limit[0] > c.limit[1] ? c.limit[0] : c.limit[1]) > c.asize)
		bad = "a segment's limit is more than half the address space";
	if (bad)
		return luaL_error(L, "%s: %s", fname, bad);
	struct machine *m = lapi_op_begin(L, fname);
	uint32_t before = m->nsteps;
	push_handle(L, segtable_new(m, &c), SEG_MT);
	return lapi_op_end(L, before, 1);
}

static int l_segmentation(lua_State *L)
{
	return new_segments(L, "segmentation", 2);
}

static int l_relocation(lua_State *L)
{
	return new_segments(L, "relocation", 1);
}

static int seg_translate(lua_State *L)
{
	struct lmodel *h;
	struct machine *m = model_of(L, 1, SEG_MT, &h);
	lua_Integer va = luaL_checkinteger(L, 2);
	if (va < 0 || (uint64_t)va >= segtable_at(m, h->off)->asize)
		return luaL_error(L, "translate: virtual address %I is outside the %I-byte address space", va,
				  (lua_Integer)segtable_at(m, h->off)->asize);
	m = lapi_op_begin(L, "translate");
	uint32_t before = m->nsteps;
	uint64_t pa;
	unsigned seg;
	if (segment_translate(m, h->off, (uint64_t)va, &pa, &seg))
		lua_pushinteger(L, (lua_Integer)pa);
	else {
		lua_pushnil(L);
		lua_pushfstring(L, "segmentation violation (segment %d)", (int)seg);
		return lapi_op_end(L, before, 2);
	}
	return lapi_op_end(L, before, 1);
}

static int seg_index(lua_State *L)
{
	struct lmodel *h;
	struct machine *m = model_of(L, 1, SEG_MT, &h);
	const struct segtable *t = segtable_at(m, h->off);
	const char *k = luaL_checkstring(L, 2);
	if (strcmp(k, "translate") == 0)
		lua_pushcfunction(L, seg_translate);
	else if (strcmp(k, "translations") == 0)
		lua_pushinteger(L, t->translations);
	else if (strcmp(k, "violations") == 0)
		lua_pushinteger(L, t->violations);
	else if (strcmp(k, "asize") == 0)
		lua_pushinteger(L, (lua_Integer)t->asize);
	else if (strcmp(k, "psize") == 0)
		lua_pushinteger(L, (lua_Integer)t->psize);
	else
		return luaL_error(L, "segments have no field '%s' (fields: translate, translations, violations, asize, psize)",
				  k);
	return 1;
}

/* ---- page tables by hand ---- */

static int l_linear_pt(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	check_fields(L, "linear_pt", " asize, psize, pagesize, map,");
	lua_getfield(L, 1, "asize");
	lua_getfield(L, 1, "psize");
	lua_getfield(L, 1, "pagesize");
	uint64_t asize = lua_isnil(L, -3) ? 16384 : lapi_checksize(L, -3, "asize");
	uint64_t psize = lua_isnil(L, -2) ? 65536 : lapi_checksize(L, -2, "psize");
	uint64_t page = lua_isnil(L, -1) ? 4096 : lapi_checksize(L, -1, "pagesize");
	lua_pop(L, 3);
	if (!page || (page & (page - 1)) || !asize || asize % page || psize % page || !psize)
		return luaL_error(L, "linear_pt: pagesize must be a power of two that divides asize and psize");
	if (asize / page > LPT_MAX_PAGES)
		return luaL_error(L, "linear_pt: at most %d virtual pages", (int)LPT_MAX_PAGES);
	uint32_t vpages = (uint32_t)(asize / page), pfns = (uint32_t)(psize / page);
	uint32_t *pte = lua_newuserdatauv(L, (size_t)vpages * sizeof *pte, 0);
	memset(pte, 0, (size_t)vpages * sizeof *pte);
	if (lua_getfield(L, 1, "map") == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			int ok1, ok2;
			lua_Integer v = lua_tointegerx(L, -2, &ok1), pfn = lua_tointegerx(L, -1, &ok2);
			if (!ok1 || !ok2 || v < 0 || v >= vpages || pfn < 0 || pfn >= pfns)
				return luaL_error(L, "linear_pt: map[VPN] = PFN needs VPN < %d and PFN < %d", (int)vpages, (int)pfns);
			pte[v] = 0x80000000u | (uint32_t)pfn;
			lua_pop(L, 1);
		}
	} else if (!lua_isnil(L, -1))
		return luaL_error(L, "linear_pt: map must be a table {[VPN] = PFN}");
	lua_pop(L, 1);
	struct machine *m = lapi_op_begin(L, "linear_pt");
	uint32_t before = m->nsteps;
	push_handle(L, linear_pt_new(m, (uint32_t)__builtin_ctzll(page), vpages, psize, pte), LPT_MT);
	return lapi_op_end(L, before, 1);
}

static int lpt_translate(lua_State *L)
{
	struct lmodel *h;
	struct machine *m = model_of(L, 1, LPT_MT, &h);
	const struct linear_pt *t = linear_pt_at(m, h->off);
	lua_Integer va = luaL_checkinteger(L, 2);
	if (va < 0 || (uint64_t)va >> t->page_bits >= t->vpages)
		return luaL_error(L, "translate: %I is outside the address space", va);
	m = lapi_op_begin(L, "translate");
	uint32_t before = m->nsteps;
	uint64_t pa;
	if (linear_pt_translate(m, h->off, (uint64_t)va, &pa)) {
		lua_pushinteger(L, (lua_Integer)pa);
		return lapi_op_end(L, before, 1);
	}
	lua_pushnil(L);
	lua_pushfstring(L, "invalid (VPN %I not valid)", (lua_Integer)((uint64_t)va >> t->page_bits));
	return lapi_op_end(L, before, 2);
}

/* A dump as the simulator prints it: "page N:" and 32 bytes of hex per line. */
static void parse_dump(lua_State *L, const char *s, uint8_t mem[MLPT_MEM])
{
	unsigned seen = 0;
	for (const char *p = s; (p = strstr(p, "page ")) != NULL;) {
		unsigned pg;
		int n;
		if (sscanf(p, "page %u:%n", &pg, &n) != 1 || pg >= MLPT_PAGES)
			luaL_error(L, "multilevel_pt: a dump line must start \"page N:\" with N < %d", (int)MLPT_PAGES);
		p += n;
		for (unsigned j = 0; j < MLPT_PAGE; j++) {
			unsigned b;
			if (sscanf(p, "%2x", &b) != 1)
				luaL_error(L, "multilevel_pt: page %d needs %d bytes of hex", (int)pg, (int)MLPT_PAGE);
			mem[pg * MLPT_PAGE + j] = (uint8_t)b;
			p += 2;
		}
		seen++;
	}
	if (seen != MLPT_PAGES)
		luaL_error(L, "multilevel_pt: the dump has %d pages, not %d", (int)seen, (int)MLPT_PAGES);
}

static int l_multilevel_pt(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	check_fields(L, "multilevel_pt", " memory, pdbr,");
	lua_getfield(L, 1, "memory");
	const char *dump = luaL_checkstring(L, -1);
	uint8_t *mem = lua_newuserdatauv(L, MLPT_MEM, 0);
	parse_dump(L, dump, mem);
	lua_Integer pdbr = opt_int(L, "multilevel_pt", "pdbr", -1, 0, MLPT_PAGES - 1);
	struct machine *m = lapi_op_begin(L, "multilevel_pt");
	uint32_t before = m->nsteps;
	push_handle(L, multilevel_pt_new(m, mem, (uint32_t)pdbr), MLPT_MT);
	return lapi_op_end(L, before, 1);
}

static int mlpt_translate(lua_State *L)
{
	struct lmodel *h;
	struct machine *m = model_of(L, 1, MLPT_MT, &h);
	lua_Integer va = luaL_checkinteger(L, 2);
	if (va < 0 || va >= 1 << MLPT_VA_BITS)
		return luaL_error(L, "translate: %I is not a 15-bit address", va);
	m = lapi_op_begin(L, "translate");
	uint32_t before = m->nsteps, pa = 0, value = 0;
	enum mlpt_result r = multilevel_pt_translate(m, h->off, (uint32_t)va, &pa, &value);
	if (r == MLPT_OK) {
		lua_pushinteger(L, pa);
		lua_pushinteger(L, value);
	} else {
		lua_pushnil(L);
		lua_pushstring(L, r == MLPT_PDE_FAULT ? "PDE fault (page directory entry not valid)"
						      : "PTE fault (page table entry not valid)");
	}
	return lapi_op_end(L, before, 2);
}

static int pt_index(lua_State *L)
{
	const char *k = luaL_checkstring(L, 2);
	bool linear = luaL_testudata(L, 1, LPT_MT) != NULL;
	struct lmodel *h;
	model_of(L, 1, linear ? LPT_MT : MLPT_MT, &h);
	if (strcmp(k, "translate") == 0)
		lua_pushcfunction(L, linear ? lpt_translate : mlpt_translate);
	else
		return luaL_error(L, "%s has no field '%s' (fields: translate)", linear ? LPT_MT : MLPT_MT, k);
	return 1;
}

void lapi_open_translate(lua_State *L)
{
	static const luaL_Reg seg_meta[] = {
		{"__index", seg_index}, {"__tostring", model_tostring}, {"__eq", model_eq}, {NULL, NULL}};
	static const luaL_Reg pt_meta[] = {
		{"__index", pt_index}, {"__tostring", model_tostring}, {"__eq", model_eq}, {NULL, NULL}};
	luaL_newmetatable(L, SEG_MT);
	luaL_setfuncs(L, seg_meta, 0);
	luaL_newmetatable(L, LPT_MT);
	luaL_setfuncs(L, pt_meta, 0);
	luaL_newmetatable(L, MLPT_MT);
	luaL_setfuncs(L, pt_meta, 0);
	lua_pop(L, 3);
	static const luaL_Reg fns[] = {{"segmentation", l_segmentation}, {"relocation", l_relocation},
				       {"linear_pt", l_linear_pt}, {"multilevel_pt", l_multilevel_pt}, {NULL, NULL}};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
