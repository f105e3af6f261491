/* vmalloc/vfree/vm_unmap_aliases and the area handle.
 *
 * An area handle is a live view: it remembers the area's record and the
 * step that made it, so a handle whose area was freed (or whose allocation
 * was undone) says so when used. */
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "mm/vmalloc.h"

#define AREA_MT "vm_area"

struct larea {
	uint32_t off, born;
	unsigned gen;
};

static struct larea *live_area(lua_State *L, int idx, const char *fname, bool freeing)
{
	struct larea *a = luaL_checkudata(L, idx, AREA_MT);
	struct scenario *sc = scenario_of(L);
	if (a->gen != sc->machine_gen)
		luaL_error(L, "%s: the area belongs to a machine that machine{} replaced", fname);
	struct machine *m = sc->m;
	const struct vmap_area *v = vmap_at(m, a->off);
	if (m->vmalloc->arena.used <= a->off || v->born != a->born)
		luaL_error(L, "%s: the vmalloc area no longer exists (its allocation was undone)", fname);
	if (!v->alive) {
		char addr[24];
		snprintf(addr, sizeof addr, "0x%llx", (unsigned long long)vmap_start(v));
		luaL_error(L, "%s: %s: vmalloc area %s was freed at step %d", fname,
			   freeing ? "double free" : "use after free", addr, (int)v->freed);
	}
	return a;
}

static int area_index(lua_State *L)
{
	struct larea *a = live_area(L, 1, "vm_area", false);
	struct machine *m = scenario_of(L)->m;
	const struct vmap_area *v = vmap_at(m, a->off);
	const char *f = luaL_checkstring(L, 2);
	if (strcmp(f, "addr") == 0) {
		lua_pushinteger(L, (lua_Integer)vmap_start(v));
	} else if (strcmp(f, "size") == 0) {
		lua_pushinteger(L, (lua_Integer)vmap_size(v));
	} else if (strcmp(f, "nr_pages") == 0) {
		lua_pushinteger(L, v->nr_pages);
	} else if (strcmp(f, "pages") == 0) {
		lua_createtable(L, (int)v->nr_pages, 0);
		for (uint32_t i = 0; i < v->nr_pages; i++) {
			lua_pushinteger(L, vmap_pages(m, v)[i]);
			lua_rawseti(L, -2, i + 1);
		}
	} else if (strcmp(f, "vpages") == 0) {
		lua_pushboolean(L, v->pages_area != 0);
	} else {
		return luaL_error(L, "vm_area has no field '%s' (fields: addr, size, nr_pages, pages, vpages)", f);
	}
	return 1;
}

static int area_tostring(lua_State *L)
{
	luaL_checkudata(L, 1, AREA_MT);
	lua_pushstring(L, "vm_area");
	return 1;
}

static int l_vmalloc(lua_State *L)
{
	uint64_t size = lapi_checksize(L, 1, "vmalloc: size");
	struct machine *m = lapi_op_begin(L, "vmalloc");
	uint32_t before = m->nsteps, off;
	int rc = vmalloc(m, size, &off);
	if (rc == MM_EINVAL)
		return luaL_error(L, "vmalloc: %s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	struct larea *a = lua_newuserdatauv(L, sizeof *a, 0);
	a->off = off;
	a->born = vmap_at(m, off)->born;
	a->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, AREA_MT);
	return lapi_op_end(L, before, 1);
}

/* vfree(area) or vfree(addr) */
static int l_vfree(lua_State *L)
{
	uint64_t addr;
	if (lua_isinteger(L, 1)) {
		addr = (uint64_t)lua_tointeger(L, 1);
	} else {
		struct larea *a = live_area(L, 1, "vfree", true);
		addr = vmap_start(vmap_at(scenario_of(L)->m, a->off));
	}
	struct machine *m = lapi_op_begin(L, "vfree");
	uint32_t before = m->nsteps;
	if (vfree(m, addr) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

/* vm_unmap_aliases(): purge the lazily freed areas now (one TLB flush). */
static int l_vm_unmap_aliases(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "vm_unmap_aliases");
	uint32_t before = m->nsteps;
	vm_unmap_aliases(m);
	return lapi_op_end(L, before, 0);
}

void lapi_open_vmalloc(lua_State *L)
{
	luaL_newmetatable(L, AREA_MT);
	luaL_setfuncs(L, (const luaL_Reg[]){{"__index", area_index}, {"__tostring", area_tostring}, {NULL, NULL}}, 0);
	lua_pop(L, 1);
	static const luaL_Reg fns[] = {
		{"vmalloc", l_vmalloc},
		{"vfree", l_vfree},
		{"vm_unmap_aliases", l_vm_unmap_aliases},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
