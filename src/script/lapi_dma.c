/* Device memory in scenarios: dma_alloc_coherent{size=, mask=} and
 * dma_free_coherent(buf), ioremap(phys, size) and iounmap(addr). */
#include <string.h>

#include "lapi.h"
#include "mm/dma.h"

/* dma_alloc_coherent{size=, mask=} (mask default DMA_BIT_MASK(32), the
 * kernel's default coherent mask) -> {cpu_addr, dma_handle, pfn, order,
 * size, zone}, or nil, reason */
static int l_dma_alloc_coherent(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_getfield(L, 1, "size");
	uint64_t size = lapi_checksize(L, -1, "dma_alloc_coherent: size");
	uint64_t mask = 0xffffffffull;
	if (lua_getfield(L, 1, "mask") != LUA_TNIL) {
		if (!lua_isinteger(L, -1))
			return luaL_error(L, "dma_alloc_coherent: mask must be an integer such as 0xffffffff, not %s",
					  luaL_typename(L, -1));
		mask = (uint64_t)lua_tointeger(L, -1);
	}
	lua_pop(L, 2);
	struct machine *m = lapi_op_begin(L, "dma_alloc_coherent");
	uint32_t before = m->nsteps;
	struct dma_buf b;
	int rc = dma_alloc_coherent(m, size, mask, &b);
	if (rc == MM_EINVAL)
		return luaL_error(L, "%s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_createtable(L, 0, 6);
	lapi_set_int(L, "pfn", b.pfn);
	lapi_set_int(L, "order", b.order);
	lapi_set_int(L, "size", (lua_Integer)size);
	lapi_set_int(L, "dma_handle", (lua_Integer)b.dma_handle);
	lapi_set_int(L, "phys", (lua_Integer)b.dma_handle);
	lapi_set_str(L, "zone", zone_type_names[pfn_zone(m, b.pfn)->type]);
	return lapi_op_end(L, before, 1);
}

static int l_dma_free_coherent(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_getfield(L, 1, "pfn");
	lua_getfield(L, 1, "size");
	if (!lua_isinteger(L, -2) || !lua_isinteger(L, -1))
		return luaL_error(L, "dma_free_coherent: pass the buffer dma_alloc_coherent returned");
	uint32_t pfn = (uint32_t)lua_tointeger(L, -2);
	uint64_t size = (uint64_t)lua_tointeger(L, -1);
	struct machine *m = lapi_op_begin(L, "dma_free_coherent");
	uint32_t before = m->nsteps;
	if (dma_free_coherent(m, pfn, size) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_ioremap(lua_State *L)
{
	uint64_t phys = lapi_checksize(L, 1, "ioremap: phys");
	uint64_t size = lapi_checksize(L, 2, "ioremap: size");
	struct machine *m = lapi_op_begin(L, "ioremap");
	uint32_t before = m->nsteps;
	uint64_t addr;
	int rc = ioremap(m, phys, size, &addr);
	if (rc == MM_EINVAL)
		return luaL_error(L, "%s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, (lua_Integer)addr);
	return lapi_op_end(L, before, 1);
}

static int l_iounmap(lua_State *L)
{
	uint64_t addr = (uint64_t)luaL_checkinteger(L, 1);
	struct machine *m = lapi_op_begin(L, "iounmap");
	uint32_t before = m->nsteps;
	if (iounmap(m, addr) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

void lapi_open_dma(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"dma_alloc_coherent", l_dma_alloc_coherent},
		{"dma_free_coherent", l_dma_free_coherent},
		{"ioremap", l_ioremap},
		{"iounmap", l_iounmap},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
