/*
 * glibc's malloc in scenarios, in glibc's own words (src/mm/textbook/malloc.h):
 *   local h = heap{size=1 << 20}           -- the heap sbrk may grow to
 *   local p = h:malloc(24)                  -- the user pointer, or nil, why
 *   h:free(p)  h:calloc(4, 8)  h:realloc(p, 100)  h:malloc_trim(0)
 *   h:mallinfo2()   -- {arena=, ordblks=, smblks=, hblks=, hblkhd=, …}
 *   h:malloc_stats()  -- the text malloc_stats() prints
 *   h:bins()        -- {tcachebins=, fastbins=, unsortedbin=, smallbins=, largebins=}
 *   h:chunks()      -- the heap's chunks in address order, as vis_heap_chunks
 *   h:poke(addr, value)  -- the program stores 8 bytes (a use-after-free)
 *   h.top  h.top_size  h.brk  h.mmap_threshold  h.trim_threshold  h.dead
 * A call that makes glibc abort returns nil and glibc's message; the heap
 * is then dead, as the program would be.
 */
#include <string.h>

#include "lapi_textbook.h"
#include "mm/textbook/malloc.h"

static struct malloc_heap *heap_of(lua_State *L, struct machine **mp, struct lmodel **hp)
{
	struct machine *m = model_of(L, 1, HEAP_MT, hp);
	*mp = m;
	return malloc_heap_at(m, (*hp)->off);
}

static int l_heap(lua_State *L)
{
	if (lua_isnoneornil(L, 1))
		lua_newtable(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	check_fields(L, "heap", " size, task,");
	struct ma_config c = {0};
	c.max_heap = (uint64_t)opt_int(L, "heap", "size", 8 << 20, 0, INT64_MAX);
	c.pid = (uint32_t)opt_int(L, "heap", "task", 0, 0, UINT32_MAX);
	struct machine *m = scenario_of(L)->m;
	const char *bad = ma_config_error(m, &c);
	if (bad)
		return luaL_error(L, "heap: %s", bad);
	m = lapi_op_begin(L, "heap");
	uint32_t before = m->nsteps;
	push_handle(L, malloc_heap_new(m, &c), HEAP_MT);
	return lapi_op_end(L, before, 1);
}

static uint64_t check_size(lua_State *L, int idx, const char *fname)
{
	lua_Integer n = luaL_checkinteger(L, idx);
	(void)fname;
	return (uint64_t)n; /* a negative size is a huge size_t, as in C */
}

/* The result of a call: the pointer (nil for NULL, with why), or the
 * message glibc died with. */
static int result(lua_State *L, struct machine *m, const struct malloc_heap *h, uint64_t mem, uint32_t before,
		  bool pointer)
{
	const char *dead = ma_dead(m, h);
	if (dead) {
		lua_pushnil(L);
		lua_pushstring(L, dead);
	} else if (!pointer) {
		lua_pushboolean(L, 1);
		lua_pushnil(L);
	} else if (mem) {
		lua_pushinteger(L, (lua_Integer)mem);
		lua_pushnil(L);
	} else {
		lua_pushnil(L);
		lua_pushstring(L, "ENOMEM: malloc returns NULL");
	}
	return lapi_op_end(L, before, 2);
}

static int refuse_dead(lua_State *L, const struct machine *m, const struct malloc_heap *h)
{
	return luaL_error(L, "heap %d: the program is dead (%s)", (int)h->id, ma_dead(m, h));
}

#define CALL_BEGIN(name)                                          \
	struct lmodel *hd;                                        \
	struct machine *m;                                        \
	struct malloc_heap *h = heap_of(L, &m, &hd);              \
	if (ma_dead(m, h))                                        \
		return refuse_dead(L, m, h);                      \
	m = lapi_op_begin(L, name);                               \
	uint32_t before = m->nsteps

static int h_malloc(lua_State *L)
{
	uint64_t n = check_size(L, 2, "malloc");
	CALL_BEGIN("malloc");
	uint64_t mem = ma_malloc(m, hd->off, n);
	return result(L, m, malloc_heap_at(m, hd->off), mem, before, true);
}

static int h_free(lua_State *L)
{
	uint64_t p = lua_isnil(L, 2) ? 0 : (uint64_t)luaL_checkinteger(L, 2);
	CALL_BEGIN("free");
	ma_free(m, hd->off, p);
	return result(L, m, malloc_heap_at(m, hd->off), 0, before, false);
}

static int h_calloc(lua_State *L)
{
	uint64_t n = check_size(L, 2, "calloc"), size = check_size(L, 3, "calloc");
	CALL_BEGIN("calloc");
	uint64_t mem = ma_calloc(m, hd->off, n, size);
	return result(L, m, malloc_heap_at(m, hd->off), mem, before, true);
}

static int h_realloc(lua_State *L)
{
	uint64_t p = lua_isnil(L, 2) ? 0 : (uint64_t)luaL_checkinteger(L, 2), n = check_size(L, 3, "realloc");
	CALL_BEGIN("realloc");
	uint64_t mem = ma_realloc(m, hd->off, p, n);
	if (!mem && n == 0 && !ma_dead(m, malloc_heap_at(m, hd->off))) { /* realloc(p, 0) frees: NULL, no error */
		lua_pushnil(L);
		lua_pushnil(L);
		return lapi_op_end(L, before, 2);
	}
	return result(L, m, malloc_heap_at(m, hd->off), mem, before, true);
}

static int h_trim(lua_State *L)
{
	uint64_t pad = (uint64_t)luaL_optinteger(L, 2, 0);
	CALL_BEGIN("malloc_trim");
	int r = ma_trim(m, hd->off, pad);
	const char *dead = ma_dead(m, malloc_heap_at(m, hd->off));
	if (dead) {
		lua_pushnil(L);
		lua_pushstring(L, dead);
	} else {
		lua_pushinteger(L, r);
		lua_pushnil(L);
	}
	return lapi_op_end(L, before, 2);
}

static int h_poke(lua_State *L)
{
	uint64_t addr = (uint64_t)luaL_checkinteger(L, 2), v = (uint64_t)luaL_checkinteger(L, 3);
	CALL_BEGIN("poke");
	if (ma_poke(m, hd->off, addr, v) < 0)
		return luaL_error(L, "poke: %#I is not an 8-byte-aligned word of the heap", (lua_Integer)addr);
	lua_pushboolean(L, 1);
	return lapi_op_end(L, before, 1);
}

static int h_mallinfo2(lua_State *L)
{
	struct lmodel *hd;
	struct machine *m;
	struct malloc_heap *h = heap_of(L, &m, &hd);
	struct ma_mallinfo mi = ma_mallinfo2(m, h);
	lua_createtable(L, 0, 10);
	lapi_set_int(L, "arena", (lua_Integer)mi.arena);
	lapi_set_int(L, "ordblks", (lua_Integer)mi.ordblks);
	lapi_set_int(L, "smblks", (lua_Integer)mi.smblks);
	lapi_set_int(L, "hblks", (lua_Integer)mi.hblks);
	lapi_set_int(L, "hblkhd", (lua_Integer)mi.hblkhd);
	lapi_set_int(L, "usmblks", (lua_Integer)mi.usmblks);
	lapi_set_int(L, "fsmblks", (lua_Integer)mi.fsmblks);
	lapi_set_int(L, "uordblks", (lua_Integer)mi.uordblks);
	lapi_set_int(L, "fordblks", (lua_Integer)mi.fordblks);
	lapi_set_int(L, "keepcost", (lua_Integer)mi.keepcost);
	return 1;
}

static int h_stats(lua_State *L)
{
	struct lmodel *hd;
	struct machine *m;
	struct malloc_heap *h = heap_of(L, &m, &hd);
	char buf[512];
	ma_stats(m, h, buf, sizeof buf);
	lua_pushstring(L, buf);
	return 1;
}

static void push_chunk(lua_State *L, const struct machine *m, const struct malloc_heap *h, uint64_t p)
{
	lua_createtable(L, 0, 2);
	lapi_set_int(L, "addr", (lua_Integer)p);
	lapi_set_int(L, "size", (lua_Integer)ma_chunksize(m, h, p));
}

/* A bin's chunks from its head, as pwndbg's bins lists them. */
static void push_list(lua_State *L, const struct machine *m, const struct malloc_heap *h, unsigned bin)
{
	lua_newtable(L);
	uint64_t b = ma_bin_at(bin);
	int n = 0;
	for (uint64_t p = ma_fd(m, h, b); p != b && n <= (int)h->bin_blocks; p = ma_fd(m, h, p)) {
		push_chunk(L, m, h, p);
		lua_rawseti(L, -2, ++n);
	}
}

static int h_bins(lua_State *L)
{
	struct lmodel *hd;
	struct machine *m;
	struct malloc_heap *h = heap_of(L, &m, &hd);
	lua_createtable(L, 0, 5);
	lua_newtable(L); /* tcachebins, keyed by chunk size */
	for (unsigned i = 0; i < MA_TCACHE_BINS; i++) {
		if (!ma_tcache_count(m, h, i))
			continue;
		lua_newtable(L);
		int n = 0;
		for (uint64_t e = ma_tcache_entry(m, h, i); e && n < (int)MA_TCACHE_COUNT; e = ma_reveal(e, ma_word(m, h, e))) {
			push_chunk(L, m, h, e - MA_HDR);
			lua_rawseti(L, -2, ++n);
		}
		lua_rawseti(L, -2, (lua_Integer)(MA_MINSIZE + MA_ALIGN * i));
	}
	lua_setfield(L, -2, "tcachebins");
	lua_newtable(L);
	for (unsigned i = 0; i < MA_NFASTBINS; i++) {
		if (!h->fastbins[i])
			continue;
		lua_newtable(L);
		int n = 0;
		for (uint64_t p = h->fastbins[i]; p && n <= (int)h->fast_blocks; p = ma_reveal(p + 16, ma_word(m, h, p + 16))) {
			push_chunk(L, m, h, p);
			lua_rawseti(L, -2, ++n);
		}
		lua_rawseti(L, -2, (lua_Integer)((i + 2) * 16));
	}
	lua_setfield(L, -2, "fastbins");
	push_list(L, m, h, 1);
	lua_setfield(L, -2, "unsortedbin");
	for (int large = 0; large < 2; large++) {
		lua_newtable(L);
		for (unsigned i = large ? MA_NSMALLBINS : 2; i < (large ? MA_NBINS : MA_NSMALLBINS); i++)
			if (h->bin_fd[i] != ma_bin_at(i)) {
				push_list(L, m, h, i);
				lua_rawseti(L, -2, i);
			}
		lua_setfield(L, -2, large ? "largebins" : "smallbins");
	}
	return 1;
}

static int h_chunks(lua_State *L)
{
	struct lmodel *hd;
	struct machine *m;
	struct malloc_heap *h = heap_of(L, &m, &hd);
	lua_newtable(L);
	int n = 0;
	uint64_t p = h->sbrk_base;
	while (h->top && p <= h->top && n < 100000) {
		uint64_t size = ma_chunksize(m, h, p), next = p + size;
		lua_createtable(L, 0, 5);
		lapi_set_int(L, "addr", (lua_Integer)p);
		lapi_set_int(L, "size", (lua_Integer)size);
		lapi_set_int(L, "prev_size", (lua_Integer)ma_word(m, h, p));
		lua_pushboolean(L, ma_word(m, h, p + 8) & MA_PREV_INUSE);
		lua_setfield(L, -2, "prev_inuse");
		lua_pushstring(L, ma_chunk_state(m, h, p));
		lua_setfield(L, -2, "state");
		lua_rawseti(L, -2, ++n);
		if (p == h->top || size < MA_MINSIZE)
			break;
		p = next;
	}
	return 1;
}

static int h_request2size(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)ma_request2size((uint64_t)luaL_checkinteger(L, 2)));
	return 1;
}

static int heap_index(lua_State *L)
{
	struct lmodel *hd;
	struct machine *m;
	struct malloc_heap *h = heap_of(L, &m, &hd);
	const char *k = luaL_checkstring(L, 2);
	static const struct { const char *name; lua_CFunction fn; } methods[] = {
		{"malloc", h_malloc},	    {"free", h_free},	      {"calloc", h_calloc},
		{"realloc", h_realloc},	    {"malloc_trim", h_trim},  {"poke", h_poke},
		{"mallinfo2", h_mallinfo2}, {"malloc_stats", h_stats}, {"bins", h_bins},
		{"chunks", h_chunks},	    {"request2size", h_request2size},
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(k, methods[i].name) == 0) {
			lua_pushcfunction(L, methods[i].fn);
			return 1;
		}
	if (strcmp(k, "top") == 0)
		lua_pushinteger(L, (lua_Integer)h->top);
	else if (strcmp(k, "top_size") == 0)
		lua_pushinteger(L, (lua_Integer)ma_top_size(m, h));
	else if (strcmp(k, "brk") == 0)
		lua_pushinteger(L, (lua_Integer)h->brk);
	else if (strcmp(k, "base") == 0)
		lua_pushinteger(L, (lua_Integer)h->sbrk_base);
	else if (strcmp(k, "mmap_threshold") == 0)
		lua_pushinteger(L, (lua_Integer)h->mmap_threshold);
	else if (strcmp(k, "trim_threshold") == 0)
		lua_pushinteger(L, (lua_Integer)h->trim_threshold);
	else if (strcmp(k, "dead") == 0) {
		const char *d = ma_dead(m, h);
		if (d)
			lua_pushstring(L, d);
		else
			lua_pushnil(L);
	} else if (strcmp(k, "id") == 0)
		lua_pushinteger(L, h->id);
	else
		return luaL_error(L, "heap has no field '%s' (fields: malloc, free, calloc, realloc, malloc_trim, poke, "
				  "mallinfo2, malloc_stats, bins, chunks, request2size, top, top_size, brk, base, "
				  "mmap_threshold, trim_threshold, dead, id)", k);
	return 1;
}

void lapi_open_heap(lua_State *L)
{
	static const luaL_Reg meta[] = {
		{"__index", heap_index}, {"__tostring", model_tostring}, {"__eq", model_eq}, {NULL, NULL}};
	luaL_newmetatable(L, HEAP_MT);
	luaL_setfuncs(L, meta, 0);
	lua_pop(L, 1);
	lua_pushcfunction(L, l_heap);
	lua_setglobal(L, "heap");
}
