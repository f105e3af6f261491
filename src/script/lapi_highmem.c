/*
 * Highmem in scenarios (mm/highmem.h):
 *   local a = kmap(page)               -- address, or nil, reason (all slots in use)
 *   kunmap(page)
 *   local l = kmap_local_page(page [, cpu])   kunmap_local(l [, cpu])
 *   kmap_atomic(page [, cpu])           kunmap_atomic(addr [, cpu])
 *   page_address(page)                  -- address, or nil for an unmapped highmem page
 *   kmap_flush_unused()
 *   pkmap()  -- {last_pkmap=, last_pkmap_nr=, base=, slots={{nr=, count=, pfn=, addr=}, …},
 *               local={[cpu]={{idx=, pfn=, addr=}, …}}, flushes=, waits=}
 *   init_mm() -- the kernel's address space (an mm handle), nil until made
 * A page is a page handle or a pfn.
 */
#include <string.h>

#include "lapi.h"
#include "mm/highmem.h"
#include "mm/vmalloc.h"

static uint32_t check_pfn(lua_State *L, int idx, const char *fn)
{
	uint32_t pfn;
	unsigned order;
	if (lapi_page_live(L, idx, fn, &pfn, &order))
		return pfn;
	if (!lua_isinteger(L, idx))
		luaL_error(L, "%s: expects a page or a pfn, not %s", fn, luaL_typename(L, idx));
	lua_Integer v = lua_tointeger(L, idx);
	if (v < 0 || v > UINT32_MAX)
		luaL_error(L, "%s: pfn %I is out of range", fn, v);
	return (uint32_t)v;
}

static unsigned opt_cpu(lua_State *L, int idx, const char *fn)
{
	lua_Integer c = luaL_optinteger(L, idx, 0);
	if (c < 0 || c > 4096)
		luaL_error(L, "%s: cpu %I does not exist", fn, c);
	return (unsigned)c;
}

static int l_kmap(lua_State *L)
{
	uint32_t pfn = check_pfn(L, 1, "kmap");
	struct machine *m = lapi_op_begin(L, "kmap");
	uint32_t before = m->nsteps;
	uint64_t addr;
	int rc = kmap(m, pfn, &addr);
	if (rc == MM_EINVAL)
		return lapi_model_error(L, "kmap", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, (lua_Integer)addr);
	return lapi_op_end(L, before, 1);
}

static int l_kunmap(lua_State *L)
{
	uint32_t pfn = check_pfn(L, 1, "kunmap");
	struct machine *m = lapi_op_begin(L, "kunmap");
	uint32_t before = m->nsteps;
	if (kunmap(m, pfn) != MM_OK)
		return lapi_model_error(L, "kunmap", m->error);
	return lapi_op_end(L, before, 0);
}

static int local_map(lua_State *L, bool atomic)
{
	const char *fn = atomic ? "kmap_atomic" : "kmap_local_page";
	uint32_t pfn = check_pfn(L, 1, fn);
	unsigned cpu = opt_cpu(L, 2, fn);
	struct machine *m = lapi_op_begin(L, fn);
	uint32_t before = m->nsteps;
	uint64_t addr;
	int rc = kmap_local_page(m, pfn, cpu, atomic, &addr);
	if (rc == MM_EINVAL)
		return lapi_model_error(L, fn, m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, (lua_Integer)addr);
	return lapi_op_end(L, before, 1);
}

static int local_unmap(lua_State *L, bool atomic)
{
	const char *fn = atomic ? "kunmap_atomic" : "kunmap_local";
	uint64_t addr = (uint64_t)luaL_checkinteger(L, 1);
	unsigned cpu = opt_cpu(L, 2, fn);
	struct machine *m = lapi_op_begin(L, fn);
	uint32_t before = m->nsteps;
	if (kunmap_local(m, addr, cpu, atomic) != MM_OK)
		return lapi_model_error(L, fn, m->error);
	return lapi_op_end(L, before, 0);
}

static int l_kmap_local_page(lua_State *L) { return local_map(L, false); }
static int l_kmap_atomic(lua_State *L) { return local_map(L, true); }
static int l_kunmap_local(lua_State *L) { return local_unmap(L, false); }
static int l_kunmap_atomic(lua_State *L) { return local_unmap(L, true); }

static int l_page_address(lua_State *L)
{
	uint32_t pfn = check_pfn(L, 1, "page_address");
	struct machine *m = lapi_op_begin(L, "page_address");
	uint32_t before = m->nsteps;
	uint64_t addr;
	if (page_address(m, pfn, &addr) != MM_OK)
		return lapi_model_error(L, "page_address", m->error);
	if (addr)
		lua_pushinteger(L, (lua_Integer)addr);
	else
		lua_pushnil(L);
	return lapi_op_end(L, before, 1);
}

static int l_kmap_flush_unused(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "kmap_flush_unused");
	uint32_t before = m->nsteps;
	if (kmap_flush_unused(m) != MM_OK)
		return lapi_model_error(L, "kmap_flush_unused", m->error);
	return lapi_op_end(L, before, 0);
}

static void push_local(lua_State *L, const struct machine *m)
{
	const struct hm_root *r = hm_root(m);
	lua_createtable(L, 0, (int)m->highmem->cpus);
	for (unsigned cpu = 0; cpu < m->highmem->cpus; cpu++) {
		lua_createtable(L, (int)r->local_depth[cpu], 0);
		for (unsigned i = 0; i < r->local_depth[cpu]; i++) {
			lua_createtable(L, 0, 3);
			lapi_set_int(L, "idx", i);
			lapi_set_int(L, "pfn", r->local_pfn[cpu * KM_MAX_IDX + i] - 1);
			lapi_set_int(L, "addr", (lua_Integer)kmap_local_addr(cpu, i));
			lua_rawseti(L, -2, i + 1);
		}
		lua_rawseti(L, -2, cpu);
	}
}

static int l_pkmap(lua_State *L)
{
	const struct machine *m = scenario_of(L)->m;
	const struct hm_root *r = hm_root(m);
	if (!m->highmem->pkmap)
		return luaL_error(L, "pkmap: this machine has no highmem (x86 or x86_pae with more than 896M has)");
	lua_createtable(L, 0, 8);
	lapi_set_int(L, "last_pkmap", m->highmem->last_pkmap);
	lapi_set_int(L, "last_pkmap_nr", r->last_pkmap_nr);
	lapi_set_int(L, "base", (lua_Integer)pkmap_addr(0));
	lapi_set_int(L, "kmapped", r->nr_kmapped);
	lapi_set_int(L, "flushes", r->flushes);
	lapi_set_int(L, "waits", r->waits);
	lua_newtable(L);
	int n = 0;
	for (uint32_t i = 0; i < m->highmem->last_pkmap; i++) {
		if (!r->pkmap_count[i])
			continue;
		lua_createtable(L, 0, 4);
		lapi_set_int(L, "nr", i);
		lapi_set_int(L, "count", r->pkmap_count[i]);
		lapi_set_int(L, "pfn", r->slot_pfn[i] - 1);
		lapi_set_int(L, "addr", (lua_Integer)pkmap_addr(i));
		lua_rawseti(L, -2, ++n);
	}
	lua_setfield(L, -2, "slots");
	push_local(L, m);
	lua_setfield(L, -2, "local");
	return 1;
}

static int l_init_mm(lua_State *L)
{
	const struct machine *m = scenario_of(L)->m;
	uint32_t id = vmalloc_root(m)->kernel_mm;
	if (!id)
		lua_pushnil(L);
	else
		lapi_push_mm(L, id);
	return 1;
}

void lapi_open_highmem(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"kmap", l_kmap},
		{"kunmap", l_kunmap},
		{"kmap_local_page", l_kmap_local_page},
		{"kmap_atomic", l_kmap_atomic},
		{"kunmap_local", l_kunmap_local},
		{"kunmap_atomic", l_kunmap_atomic},
		{"page_address", l_page_address},
		{"kmap_flush_unused", l_kmap_flush_unused},
		{"pkmap", l_pkmap},
		{"init_mm", l_init_mm},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
