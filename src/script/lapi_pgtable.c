/* mm_alloc, map, unmap, protect, translate, flush_tlb, tlb, ptdump,
 * pgformat, and machine{arch={...}, tlb={...}} parsing.
 *
 * An mm handle remembers its id and the step that made it: after
 * machine{} or once its creation is undone, using it is an error. */
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "lapi_segment.h"
#include "mm/pgtable.h"
#include "mm/tlb.h"

#define MM_MT "mm"

struct lmm {
	uint32_t id, born;
	unsigned gen;
};

static struct lmm *live_mm(lua_State *L, int idx, const char *fn)
{
	struct lmm *h = luaL_testudata(L, idx, MM_MT);
	if (!h)
		luaL_error(L, "%s: argument %d must be an mm (from mm_alloc()), not a %s", fn, idx,
			   luaL_typename(L, idx));
	struct scenario *sc = scenario_of(L);
	if (h->gen != sc->machine_gen)
		luaL_error(L, "%s: mm %d belongs to a machine that machine{} replaced", fn, (int)h->id);
	const struct pt_mm *o = sc->m->pt->fmt.depth ? pt_mm(sc->m, h->id) : NULL;
	if (!o || o->born != h->born)
		luaL_error(L, "%s: mm %d no longer exists (its creation was undone)", fn, (int)h->id);
	return h;
}

static int mm_index(lua_State *L)
{
	struct lmm *h = live_mm(L, 1, "mm");
	const char *k = luaL_checkstring(L, 2);
	struct machine *m = scenario_of(L)->m;
	const struct pt_mm *o = pt_mm(m, h->id);
	if (strcmp(k, "pgd") == 0)
		lua_pushinteger(L, pt_table(m, o->pgd)->pfn);
	else if (strcmp(k, "id") == 0 || strcmp(k, "asid") == 0)
		lua_pushinteger(L, h->id);
	else if (strcmp(k, "tables") == 0)
		lua_pushinteger(L, o->nr_tables);
	else
		return luaL_error(L, "mm has no field '%s' (fields: pgd, id, asid, tables)", k);
	return 1;
}

static int mm_tostring(lua_State *L)
{
	struct lmm *h = luaL_checkudata(L, 1, MM_MT);
	lua_pushfstring(L, "mm %d", (int)h->id);
	return 1;
}

static int mm_eq(lua_State *L)
{
	struct lmm *a = luaL_checkudata(L, 1, MM_MT), *b = luaL_checkudata(L, 2, MM_MT);
	lua_pushboolean(L, a->id == b->id && a->born == b->born && a->gen == b->gen);
	return 1;
}

static int l_mm_alloc(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "mm_alloc");
	uint32_t before = m->nsteps, id;
	int rc = pt_mm_alloc(m, &id);
	if (rc == MM_EINVAL)
		return luaL_error(L, "mm_alloc: %s", m->error + (strncmp(m->error, "mm_alloc: ", 10) ? 0 : 10));
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	struct lmm *h = lua_newuserdatauv(L, sizeof *h, 0);
	h->id = id;
	h->born = pt_mm(m, id)->born;
	h->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, MM_MT);
	return lapi_op_end(L, before, 1);
}

void lapi_push_mm(lua_State *L, uint32_t id)
{
	struct lmm *h = lua_newuserdatauv(L, sizeof *h, 0);
	h->id = id;
	h->born = pt_mm(scenario_of(L)->m, id)->born;
	h->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, MM_MT);
}

static uint64_t check_va(lua_State *L, int idx, const char *fn)
{
	if (!lua_isinteger(L, idx))
		luaL_error(L, "%s: the address must be an integer (e.g. 0x401000), not %s", fn,
			   lua_type(L, idx) == LUA_TNUMBER ? lua_tostring(L, idx) : luaL_typename(L, idx));
	return (uint64_t)lua_tointeger(L, idx);
}

static unsigned check_prot(lua_State *L, int idx, const char *fn)
{
	const char *s = luaL_checkstring(L, idx);
	char why[200];
	int p = pt_parse_prot(s, why, sizeof why);
	if (p < 0)
		luaL_error(L, "%s: %s", fn, why);
	return (unsigned)p;
}

/* Strip the model's own "fn: " so the message names the function once. */
static int model_error(lua_State *L, const char *fn, const char *msg)
{
	size_t n = strlen(fn);
	if (strncmp(msg, fn, n) == 0 && msg[n] == ':')
		msg += n + 2;
	return luaL_error(L, "%s: %s", fn, msg);
}

/* map(mm, va, page_or_pfn, prot) */
static int l_map(lua_State *L)
{
	struct lmm *h = live_mm(L, 1, "map");
	uint64_t va = check_va(L, 2, "map");
	uint32_t pfn;
	unsigned order = 0;
	if (lua_isinteger(L, 3)) {
		lua_Integer p = lua_tointeger(L, 3);
		if (p < 0 || p > UINT32_MAX)
			return luaL_error(L, "map: pfn %I is out of range", p);
		pfn = (uint32_t)p;
	} else if (!lapi_page_live(L, 3, "map", &pfn, &order)) {
		return luaL_error(L, "map: argument 3 must be a page or a pfn, not a %s", luaL_typename(L, 3));
	}
	unsigned prot = check_prot(L, 4, "map");
	struct machine *m = lapi_op_begin(L, "map");
	uint32_t before = m->nsteps;
	int rc = pt_map(m, h->id, va, pfn, order, prot);
	if (rc == MM_EINVAL)
		return model_error(L, "map", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushboolean(L, 1);
	return lapi_op_end(L, before, 1);
}

static int l_unmap(lua_State *L)
{
	struct lmm *h = live_mm(L, 1, "unmap");
	uint64_t va = check_va(L, 2, "unmap");
	struct machine *m = lapi_op_begin(L, "unmap");
	uint32_t before = m->nsteps;
	if (pt_unmap(m, h->id, va) != MM_OK)
		return model_error(L, "unmap", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_protect(lua_State *L)
{
	struct lmm *h = live_mm(L, 1, "protect");
	uint64_t va = check_va(L, 2, "protect");
	unsigned prot = check_prot(L, 3, "protect");
	struct machine *m = lapi_op_begin(L, "protect");
	uint32_t before = m->nsteps;
	if (pt_protect(m, h->id, va, prot) != MM_OK)
		return model_error(L, "protect", m->error);
	return lapi_op_end(L, before, 0);
}

/* translate(mm, va [, access [, mode]]): access "r", "w", "x"; mode
 * "user" (default) or "kernel". */
static int l_translate(lua_State *L)
{
	struct lmm *h = live_mm(L, 1, "translate");
	bool logical = lapi_is_logical(L, 2);
	uint64_t va = logical ? 0 : check_va(L, 2, "translate");
	/* a fetch through cs by default when the logical address names cs */
	bool cs = false;
	if (logical && lua_istable(L, 2)) {
		cs = lua_getfield(L, 2, "cs") != LUA_TNIL;
		lua_pop(L, 1);
	}
	const char *a = luaL_optstring(L, 3, cs ? "x" : "r");
	enum pt_access acc;
	if (strcmp(a, "r") == 0)
		acc = ACC_READ;
	else if (strcmp(a, "w") == 0)
		acc = ACC_WRITE;
	else if (strcmp(a, "x") == 0)
		acc = ACC_EXEC;
	else
		return luaL_error(L, "translate: access must be \"r\", \"w\" or \"x\", not \"%s\"", a);
	const char *mode = luaL_optstring(L, 4, "user");
	if (strcmp(mode, "user") && strcmp(mode, "kernel"))
		return luaL_error(L, "translate: mode must be \"user\" or \"kernel\", not \"%s\"", mode);
	struct lapi_logical lg;
	if (logical)
		lapi_parse_logical(L, 2, "translate", acc, &lg);
	struct machine *m = lapi_op_begin(L, "translate");
	uint32_t before = m->nsteps;
	struct pt_result r;
	struct seg_result sr;
	/* segmentation then paging: one operation */
	mm_op_begin(m);
	int rc = MM_OK;
	if (logical) {
		rc = x86_seg_translate(m, lg.reg, lg.sel, lg.offset, 1, acc, strcmp(mode, "user") ? 0 : 3, &sr);
		va = sr.linear;
	}
	if (rc == MM_OK && (!logical || sr.fault == SEGF_NONE))
		rc = pt_translate(m, h->id, va, acc, strcmp(mode, "user") == 0, &r);
	mm_op_end(m);
	if (rc != MM_OK)
		return model_error(L, "translate", m->error);
	lua_createtable(L, 0, 10);
	if (logical) {
		lua_createtable(L, 0, 3);
		lapi_set_str(L, "segment", seg_reg_names[lg.reg]);
		lapi_set_int(L, "selector", lg.sel);
		lapi_set_int(L, "offset", lg.offset);
		lua_setfield(L, -2, "logical");
		lapi_push_seg_result(L, &sr);
		if (sr.fault != SEGF_NONE)
			return lapi_op_end(L, before, 1);
	}
	lapi_set_int(L, "va", (lua_Integer)va);
	lapi_set_str(L, "tlb", r.tlb_hit ? "hit" : "miss");
	if (r.fault == PTF_NONE) {
		lapi_set_int(L, "pa", (lua_Integer)r.pa);
		lapi_set_int(L, "pfn", r.pfn);
		lapi_set_int(L, "offset", (lua_Integer)(va & ((1ull << r.page_shift) - 1)));
		lapi_set_int(L, "page_size", (lua_Integer)(1ull << r.page_shift));
	} else {
		lapi_set_str(L, "fault", r.fault == PTF_NOT_PRESENT ? "not-present" : "protection");
		lapi_set_str(L, "reason", pt_fault_names[r.fault]);
		lapi_set_str(L, "level", pt_level_names[r.fault_level]);
	}
	lua_createtable(L, (int)r.nlevels, 0);
	for (unsigned i = 0; i < r.nlevels; i++) {
		lua_createtable(L, 0, 4);
		lapi_set_str(L, "name", pt_level_names[r.levels[i].level]);
		lapi_set_int(L, "index", r.levels[i].index);
		lapi_set_int(L, "table", r.levels[i].table);
		lapi_set_int(L, "entry", (lua_Integer)r.levels[i].entry);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "levels");
	return lapi_op_end(L, before, 1);
}

/* flush_tlb([mm [, va]]): one page of mm, all of mm, or everything. */
static int l_flush_tlb(lua_State *L)
{
	uint32_t id = 0;
	if (!lua_isnoneornil(L, 1))
		id = live_mm(L, 1, "flush_tlb")->id;
	bool all = lua_isnoneornil(L, 2);
	uint64_t va = all ? 0 : check_va(L, 2, "flush_tlb");
	struct machine *m = lapi_op_begin(L, "flush_tlb");
	if (!m->pt->fmt.depth)
		return luaL_error(L, "flush_tlb: no page tables on this machine");
	uint32_t before = m->nsteps;
	lua_pushinteger(L, pt_tlb_flush(m, id, va, all));
	return lapi_op_end(L, before, 1);
}

/* tlb() -> {entries=, ways=, sets=, hits=, misses=, …, {asid=, va=, pfn=, size=, set=, way=}…} */
static int l_tlb(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	const struct pgtable *pt = m->pt;
	const struct pt_root *r = pt_root(m);
	lua_createtable(L, 8, 9);
	lapi_set_int(L, "entries", pt->tlb_entries);
	lapi_set_int(L, "ways", pt->tlb_ways);
	lapi_set_int(L, "sets", pt->tlb_sets);
	lapi_set_int(L, "hits", r->hits);
	lapi_set_int(L, "misses", r->misses);
	lapi_set_int(L, "fills", r->fills);
	lapi_set_int(L, "evictions", r->evictions);
	lapi_set_int(L, "flushes", r->flushes);
	int n = 0;
	const struct tlb_entry *t = pt_tlb(m);
	for (unsigned i = 0; i < pt->tlb_entries; i++) {
		if (!t[i].valid)
			continue;
		lua_createtable(L, 0, 6);
		lapi_set_int(L, "asid", t[i].asid);
		lapi_set_int(L, "va", (lua_Integer)tlb_entry_va(m, &t[i]));
		lapi_set_int(L, "pfn", pte_pfn(m, t[i].entry));
		lapi_set_int(L, "size", (lua_Integer)(1ull << t[i].shift));
		lapi_set_int(L, "set", i / pt->tlb_ways);
		lapi_set_int(L, "way", i % pt->tlb_ways);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static int l_ptdump(lua_State *L)
{
	struct machine *m = scenario_of(L)->m;
	struct strbuf sb = {0};
	if (lua_isnoneornil(L, 1)) {
		if (m->pt->fmt.depth)
			for (uint32_t id = 1; id <= pt_root(m)->mms.n; id++)
				pt_dump(m, id, &sb);
	} else {
		pt_dump(m, live_mm(L, 1, "ptdump")->id, &sb);
	}
	lua_pushlstring(L, sb.s ? sb.s : "", sb.len);
	strbuf_free(&sb);
	return 1;
}

/* pgformat() -> {name=, va_bits=, offset_bits=, entry_size=, levels={{name=, bits=, shift=}…}} */
static int l_pgformat(lua_State *L)
{
	const struct pt_format *f = &scenario_of(L)->m->pt->fmt;
	if (!f->depth)
		return luaL_error(L, "pgformat: no page tables on this machine");
	lua_createtable(L, 0, 6);
	lapi_set_str(L, "name", f->name);
	lapi_set_int(L, "va_bits", f->va_bits);
	lapi_set_int(L, "pa_bits", f->pa_bits);
	lapi_set_int(L, "offset_bits", f->offset_bits);
	lapi_set_int(L, "entry_size", f->entry_size);
	lua_createtable(L, f->depth, 0);
	for (unsigned d = 0; d < f->depth; d++) {
		lua_createtable(L, 0, 4);
		lapi_set_str(L, "name", pt_level_names[f->level[d]]);
		lapi_set_int(L, "bits", f->bits[d]);
		lapi_set_int(L, "shift", f->shift[d]);
		lua_pushboolean(L, (f->huge_mask >> d & 1) != 0);
		lua_setfield(L, -2, "huge");
		lua_rawseti(L, -2, d + 1);
	}
	lua_setfield(L, -2, "levels");
	return 1;
}

static lua_Integer field_int(lua_State *L, int t, const char *k, lua_Integer def, lua_Integer lo, lua_Integer hi,
			     const char *what)
{
	lua_getfield(L, t, k);
	lua_Integer v = def;
	if (!lua_isnil(L, -1)) {
		if (!lua_isinteger(L, -1))
			luaL_error(L, "machine: %s.%s must be a whole number, not %s", what, k,
				   lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
		v = lua_tointeger(L, -1);
		if (v < lo || v > hi)
			luaL_error(L, "machine: %s.%s must be from %I to %I, not %I", what, k, lo, hi, v);
	}
	lua_pop(L, 1);
	return v;
}

static void only_keys(lua_State *L, int t, const char *const *keys, const char *what, const char *list)
{
	lua_pushnil(L);
	while (lua_next(L, t)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
		const char *const *p = keys;
		while (*p && strcmp(*p, k))
			p++;
		char text[120];
		if (!*p)
			luaL_error(L, "machine: unknown field %s in %s (fields: %s)", lapi_key_text(L, -2, text, sizeof text),
				   what, list);
		lua_pop(L, 1);
	}
}

/* arch = {levels={10, 10}, offset=12, entry_size=4, name="toy"} at the stack top */
void lapi_parse_toy_arch(lua_State *L, struct mm_config *c)
{
	int t = lua_gettop(L);
	static const char *const keys[] = {"levels", "offset", "entry_size", "name", NULL};
	only_keys(L, t, keys, "arch", "levels, offset, entry_size, name");
	unsigned bits[PT_MAX_DEPTH] = {0}, n = 0;
	if (lua_getfield(L, t, "levels") != LUA_TTABLE)
		luaL_error(L, "machine: arch.levels must be a list of index widths, top level first, e.g. {4, 4}");
	n = (unsigned)luaL_len(L, -1);
	if (n < 1 || n > PT_MAX_DEPTH)
		luaL_error(L, "machine: arch.levels must list 1 to %d levels, not %d", PT_MAX_DEPTH, (int)n);
	for (unsigned i = 0; i < n; i++) {
		lua_rawgeti(L, -1, i + 1);
		if (!lua_isinteger(L, -1))
			luaL_error(L, "machine: arch.levels[%d] must be a whole number of bits", (int)i + 1);
		lua_Integer b = lua_tointeger(L, -1);
		bits[i] = b < 0 || b > 64 ? 99 : (unsigned)b;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	unsigned offset = (unsigned)field_int(L, t, "offset", 12, 0, 64, "arch");
	unsigned esize = (unsigned)field_int(L, t, "entry_size", 4, 0, 64, "arch");
	lua_getfield(L, t, "name");
	const char *name = lua_isstring(L, -1) ? lua_tostring(L, -1) : "toy";
	char why[200];
	if (!pt_format_toy(&c->toy, name, bits, n, offset, esize, why, sizeof why))
		luaL_error(L, "machine: arch: %s", why);
	lua_pop(L, 1);
	c->arch = &arch_toy;
}

/* tlb = {entries=, ways=} at the stack top */
void lapi_parse_tlb(lua_State *L, struct mm_config *c)
{
	int t = lua_gettop(L);
	lapi_check_table(L, t, "tlb", "{entries = 64, ways = 4}");
	static const char *const keys[] = {"entries", "ways", NULL};
	only_keys(L, t, keys, "tlb", "entries, ways");
	c->tlb_entries = (uint32_t)field_int(L, t, "entries", 64, 1, 4096, "tlb");
	c->tlb_ways = (uint32_t)field_int(L, t, "ways", c->tlb_entries < 4 ? c->tlb_entries : 4, 1, 4096, "tlb");
	if (c->tlb_entries % c->tlb_ways)
		luaL_error(L, "machine: tlb: %d ways do not divide %d entries", (int)c->tlb_ways, (int)c->tlb_entries);
}

void lapi_open_pgtable(lua_State *L)
{
	static const luaL_Reg meta[] = {
		{"__index", mm_index}, {"__tostring", mm_tostring}, {"__eq", mm_eq}, {NULL, NULL},
	};
	luaL_newmetatable(L, MM_MT);
	luaL_setfuncs(L, meta, 0);
	lua_pop(L, 1);
	static const luaL_Reg fns[] = {
		{"mm_alloc", l_mm_alloc}, {"map", l_map},	      {"unmap", l_unmap},
		{"protect", l_protect},	  {"translate", l_translate}, {"flush_tlb", l_flush_tlb},
		{"tlb", l_tlb},		  {"ptdump", l_ptdump},	      {"pgformat", l_pgformat},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
