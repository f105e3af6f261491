/* page(pfn) and rmap_walk(): a live view of any frame, with the user-page
 * state (refcount, mapcount, mapping, flags, content) and its mappers as
 * the reverse map finds them. */
#include <string.h>

#include "lapi.h"
#include "mm/procs.h"

#define FRAME_MT "frame"

struct lframe {
	uint32_t pfn;
	unsigned gen;
};

static uint32_t check_pfn(lua_State *L, int idx, const char *fn)
{
	struct machine *m = scenario_of(L)->m;
	struct lframe *f = luaL_testudata(L, idx, FRAME_MT);
	if (f)
		return f->pfn;
	if (!lua_isinteger(L, idx))
		luaL_error(L, "%s: argument %d must be a pfn or a page from page(), not a %s", fn, idx,
			   luaL_typename(L, idx));
	lua_Integer pfn = lua_tointeger(L, idx);
	if (pfn < 0 || pfn >= m->nr_frames)
		luaL_error(L, "%s: pfn %I is outside memory (pfns 0..%d)", fn, pfn, (int)m->nr_frames - 1);
	return (uint32_t)pfn;
}

static void push_hits(lua_State *L, const struct rmap_hit *hits, unsigned n)
{
	lua_createtable(L, (int)n, 0);
	for (unsigned i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);
		lapi_set_int(L, "pid", hits[i].pid);
		lapi_set_int(L, "va", (lua_Integer)hits[i].va);
		lua_rawseti(L, -2, (int)i + 1);
	}
}

#define MAX_HITS 1024

static int frame_index(lua_State *L)
{
	struct lframe *f = luaL_checkudata(L, 1, FRAME_MT);
	struct machine *m = scenario_of(L)->m;
	if (f->gen != scenario_of(L)->machine_gen)
		return luaL_error(L, "page 0x%x belongs to a machine that machine{} replaced", f->pfn);
	const char *k = luaL_checkstring(L, 2);
	const struct upage *u = page_user(m, f->pfn);
	unsigned st = frame_state(&m->frames[block_head(m, f->pfn)]);
	if (strcmp(k, "pfn") == 0)
		lua_pushinteger(L, f->pfn);
	else if (strcmp(k, "state") == 0)
		lua_pushstring(L, frame_state_names[st]);
	else if (strcmp(k, "zone") == 0)
		lua_pushstring(L, zone_type_names[pfn_zone(m, f->pfn)->type]);
	else if (strcmp(k, "refcount") == 0 || strcmp(k, "_refcount") == 0)
		lua_pushinteger(L, u ? u->refcount : st == FS_FREE ? 0 : 1);
	else if (strcmp(k, "mapcount") == 0)
		lua_pushinteger(L, u ? u->mapcount : 0);
	else if (strcmp(k, "_mapcount") == 0)
		lua_pushinteger(L, u ? (lua_Integer)u->mapcount - 1 : -1);
	else if (strcmp(k, "index") == 0)
		u ? lua_pushinteger(L, (lua_Integer)u->index) : lua_pushnil(L);
	else if (strcmp(k, "content") == 0)
		lua_pushinteger(L, u ? (lua_Integer)u->content : 0);
	else if (strcmp(k, "anon_vma") == 0)
		u && frame_is_anon(st) && !(u->flags & PG_ksm) ? lua_pushinteger(L, anon_vma_id(m, u->mapping))
							      : lua_pushnil(L);
	else if (strcmp(k, "mapping") == 0) /* a KSM page's names its stable node */
		u ? lua_pushstring(L, (u->flags & PG_ksm) ? "ksm" : frame_is_anon(st) ? "anon" : "file") : lua_pushnil(L);
	else if (strcmp(k, "file") == 0)
		u && st == FS_FILE ? lua_pushinteger(L, file_at(m, u->mapping)->id) : lua_pushnil(L);
	else if (strcmp(k, "zero") == 0)
		lua_pushboolean(L, f->pfn == procs_root(m)->zero_pfn);
	else if (strcmp(k, "flags") == 0) {
		static const char *const names[] = PG_FLAG_NAMES;
		lua_newtable(L);
		for (unsigned i = 0, n = 0; u && i < NR_PG_FLAGS; i++)
			if (u->flags & (1u << i)) {
				lua_pushstring(L, names[i]);
				lua_rawseti(L, -2, (int)++n);
			}
	} else if (strcmp(k, "mappers") == 0) {
		struct rmap_hit hits[MAX_HITS];
		unsigned n = rmap_walk_const(m, f->pfn, hits, MAX_HITS);
		push_hits(L, hits, n < MAX_HITS ? n : MAX_HITS);
	} else
		return luaL_error(L, "page has no field '%s' (fields: pfn, state, zone, refcount, mapcount, _mapcount, "
				     "index, content, anon_vma, mapping, file, zero, flags, mappers)",
				  k);
	return 1;
}

static int frame_tostring(lua_State *L)
{
	struct lframe *f = luaL_checkudata(L, 1, FRAME_MT);
	lua_pushfstring(L, "frame 0x%x", (unsigned)f->pfn);
	return 1;
}

/* page(pfn) -> a live view of any frame */
static int l_page(lua_State *L)
{
	uint32_t pfn = check_pfn(L, 1, "page");
	struct lframe *f = lua_newuserdatauv(L, sizeof *f, 0);
	f->pfn = pfn;
	f->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, FRAME_MT);
	return 1;
}

/* rmap_walk(pfn or page) -> {{pid=, va=}, ...}, one rmap_walk step per mapping */
static int l_rmap_walk(lua_State *L)
{
	uint32_t pfn = check_pfn(L, 1, "rmap_walk");
	struct machine *m = lapi_op_begin(L, "rmap_walk");
	uint32_t before = m->nsteps;
	struct rmap_hit hits[MAX_HITS];
	unsigned n = rmap_walk(m, pfn, true, hits, MAX_HITS);
	push_hits(L, hits, n < MAX_HITS ? n : MAX_HITS);
	return lapi_op_end(L, before, 1);
}

void lapi_open_frame(lua_State *L)
{
	static const luaL_Reg fmeta[] = {{"__index", frame_index}, {"__tostring", frame_tostring}, {NULL, NULL}};
	luaL_newmetatable(L, FRAME_MT);
	luaL_setfuncs(L, fmeta, 0);
	lua_pop(L, 1);
	static const luaL_Reg fns[] = {{"page", l_page}, {"rmap_walk", l_rmap_walk}, {NULL, NULL}};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
