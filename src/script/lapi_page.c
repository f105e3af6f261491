/* alloc_pages, free_pages, __free_pages and page handles.
 *
 * A page handle stands for one allocated block: it remembers the block's
 * pfn and the step that allocated it (frame.born), so a handle whose block
 * was freed, or whose allocation was undone, is recognised as stale.  Its
 * identity (pfn, order, zone, node, phys) are facts that stay readable, as a
 * dangling pointer's address does; using a stale handle as live memory
 * (freeing it, mapping it) is the error, naming the step that freed it. */
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"

#define PAGE_MT "page"

struct lpage {
	uint32_t pfn, born;
	unsigned gen;  /* scenario->machine_gen when allocated */
	uint8_t order, zone_type;
	uint16_t node; /* the block's identity, kept for a freed handle */
};

/* The handle's machine, or a Lua error: a replaced machine's frames are gone. */
static struct machine *page_machine(lua_State *L, const struct lpage *p)
{
	struct scenario *sc = scenario_of(L);
	if (p->gen != sc->machine_gen) {
		char msg[96]; /* lua_pushfstring knows no %x */
		snprintf(msg, sizeof msg, "page 0x%x belongs to a machine that machine{} replaced", p->pfn);
		luaL_error(L, "%s", msg);
	}
	return sc->m;
}

/* The handle's block, or a Lua error saying why it is gone: fname's use of
 * it is a use after free (a double free when freeing), naming the step. */
static struct lpage *live_page(lua_State *L, int idx, const char *fname, bool freeing)
{
	struct lpage *p = luaL_checkudata(L, idx, PAGE_MT);
	const struct frame *f = &page_machine(L, p)->frames[p->pfn];
	char msg[200];
	if (frame_state(f) == FS_ALLOC && f->born == p->born)
		return p;
	if (f->freed > p->born)
		snprintf(msg, sizeof msg, "%s: %s: page 0x%x was freed at step %u", fname,
			 freeing ? "double free" : "use after free", p->pfn, f->freed);
	else
		snprintf(msg, sizeof msg, "%s: page 0x%x no longer exists (its allocation was undone)", fname, p->pfn);
	luaL_error(L, "%s", msg);
	return NULL;
}

bool lapi_page_live(lua_State *L, int idx, const char *fname, uint32_t *pfn, unsigned *order)
{
	if (!luaL_testudata(L, idx, PAGE_MT))
		return false;
	const struct lpage *p = live_page(L, idx, fname, false);
	*pfn = p->pfn;
	*order = p->order;
	return true;
}

static int page_index(lua_State *L)
{
	struct lpage *p = luaL_checkudata(L, 1, PAGE_MT);
	const char *k = luaL_checkstring(L, 2);
	struct machine *m = page_machine(L, p);
	if (strcmp(k, "pfn") == 0)
		lua_pushinteger(L, p->pfn);
	else if (strcmp(k, "order") == 0)
		lua_pushinteger(L, p->order);
	else if (strcmp(k, "zone") == 0)
		lua_pushstring(L, zone_type_names[p->zone_type]);
	else if (strcmp(k, "node") == 0)
		lua_pushinteger(L, p->node);
	else if (strcmp(k, "phys") == 0)
		lua_pushinteger(L, (lua_Integer)((uint64_t)p->pfn << m->page_shift));
	else
		return luaL_error(L, "page has no field '%s' (fields: pfn, order, zone, node, phys)", k);
	return 1;
}

static int page_tostring(lua_State *L)
{
	struct lpage *p = luaL_checkudata(L, 1, PAGE_MT);
	char buf[32];
	snprintf(buf, sizeof buf, "page 0x%x", p->pfn);
	lua_pushstring(L, buf);
	return 1;
}

static int page_eq(lua_State *L)
{
	struct lpage *a = luaL_checkudata(L, 1, PAGE_MT), *b = luaL_checkudata(L, 2, PAGE_MT);
	lua_pushboolean(L, a->pfn == b->pfn && a->born == b->born && a->gen == b->gen);
	return 1;
}

static uint32_t check_gfp(lua_State *L, int idx)
{
	if (lua_isnoneornil(L, idx)) /* the common case: no string to parse */
		return GFP_KERNEL;
	if (!lua_isnoneornil(L, idx) && lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "alloc_pages: gfp must be a string like \"GFP_KERNEL\", not a %s", luaL_typename(L, idx));
	const char *s = luaL_optstring(L, idx, "GFP_KERNEL");
	uint32_t mask;
	if (!*s || !gfp_parse(s, &mask)) {
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (const char *const *n = gfp_names; *n; n++) {
			luaL_addstring(&b, n == gfp_names ? "" : ", ");
			luaL_addstring(&b, *n);
		}
		luaL_pushresult(&b);
		luaL_error(L, "alloc_pages: unknown gfp flags '%s' (known: %s)", s, lua_tostring(L, -1));
	}
	return mask;
}

static lua_Integer order_arg(lua_State *L, int idx, const char *fname)
{
	int isnum;
	lua_Integer order = lua_tointegerx(L, idx, &isnum);
	if (!isnum)
		luaL_error(L, "%s: order must be a whole number, not %s", fname,
			   lua_type(L, idx) == LUA_TNUMBER ? lua_tostring(L, idx) : luaL_typename(L, idx));
	if (order < 0)
		luaL_error(L, "%s: order %I is out of range: orders count from 0", fname, order);
	return order;
}

static int do_alloc(lua_State *L, const char *fname, lua_Integer order, uint32_t gfp, lua_Integer node);

/* alloc_pages(order [, gfp]) or alloc_pages{order=, gfp=, node=} */
static int l_alloc_pages(lua_State *L)
{
	lua_Integer order, node = -1;
	uint32_t gfp;
	if (lua_istable(L, 1)) {
		lua_getfield(L, 1, "order");
		lua_getfield(L, 1, "gfp");
		lua_getfield(L, 1, "node");
		int base = lua_gettop(L) - 2; /* order, gfp, node */
		order = order_arg(L, base, "alloc_pages");
		gfp = check_gfp(L, base + 1);
		if (!lua_isnoneornil(L, base + 2) && !lua_isinteger(L, base + 2))
			return luaL_error(L, "alloc_pages: node must be a whole number");
		node = luaL_optinteger(L, base + 2, -1);
		lua_pushnil(L);
		while (lua_next(L, 1)) {
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
			if (strcmp(k, "order") && strcmp(k, "gfp") && strcmp(k, "node"))
				return luaL_error(L, "alloc_pages: unknown field '%s' (fields: order, gfp, node)", k);
			lua_pop(L, 1);
		}
		if (node < -1)
			return luaL_error(L, "alloc_pages: node %I does not exist", node);
	} else {
		order = order_arg(L, 1, "alloc_pages");
		gfp = check_gfp(L, 2);
	}
	return do_alloc(L, "alloc_pages", order, gfp, node);
}

/* alloc_pages_node(nid, order [, gfp]): the node's zonelist first */
static int l_alloc_pages_node(lua_State *L)
{
	lua_Integer node = luaL_checkinteger(L, 1);
	if (node < 0)
		return luaL_error(L, "alloc_pages_node: node %I does not exist", node);
	lua_Integer order = order_arg(L, 2, "alloc_pages_node");
	return do_alloc(L, "alloc_pages_node", order, check_gfp(L, 3), node);
}

static int do_alloc(lua_State *L, const char *fname, lua_Integer order, uint32_t gfp, lua_Integer node)
{
	struct machine *m = lapi_op_begin(L, fname);
	uint32_t before = m->nsteps, pfn;
	int rc = alloc_pages(m, (unsigned)(order > UINT32_MAX ? UINT32_MAX : order), gfp, (int)node, &pfn);
	if (rc == MM_EINVAL)
		return luaL_error(L, "%s: %s", fname, m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	struct lpage *p = lua_newuserdatauv(L, sizeof *p, 0);
	p->pfn = pfn;
	p->born = m->frames[pfn].born;
	p->gen = scenario_of(L)->machine_gen;
	const struct zone *z = pfn_zone(m, pfn);
	p->order = (uint8_t)frame_order(&m->frames[pfn]);
	p->zone_type = (uint8_t)z->type;
	p->node = (uint16_t)z->node;
	luaL_setmetatable(L, PAGE_MT);
	return lapi_op_end(L, before, 1);
}

static int do_free(lua_State *L, const char *fname, int order)
{
	struct lpage *p = live_page(L, 1, fname, true);
	struct machine *m = lapi_op_begin(L, fname);
	uint32_t before = m->nsteps;
	if (free_pages(m, p->pfn, order) != MM_OK)
		return luaL_error(L, "%s: %s", fname, m->error);
	return lapi_op_end(L, before, 0);
}

static int l_free_pages(lua_State *L)
{
	return do_free(L, "free_pages", -1);
}

static int l___free_pages(lua_State *L)
{
	lua_Integer order = order_arg(L, 2, "__free_pages");
	return do_free(L, "__free_pages", (int)(order > INT32_MAX ? INT32_MAX : order));
}

void lapi_open_page(lua_State *L)
{
	static const luaL_Reg meta[] = {
		{"__index", page_index}, {"__tostring", page_tostring}, {"__eq", page_eq}, {NULL, NULL},
	};
	luaL_newmetatable(L, PAGE_MT);
	luaL_setfuncs(L, meta, 0);
	lua_pop(L, 1);
	static const luaL_Reg fns[] = {
		{"alloc_pages", l_alloc_pages}, {"alloc_pages_node", l_alloc_pages_node}, {"free_pages", l_free_pages},
		{"__free_pages", l___free_pages}, {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
