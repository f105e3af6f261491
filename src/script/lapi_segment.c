/*
 * x86 segmentation in scenarios (mm/segment.h), on 32-bit x86 machines:
 *   gdt()            -- {[index] = descriptor, …} of the GDT's non-zero entries
 *   gdt(i), ldt(i)   -- one descriptor {index=, selector=, base=, limit=, limit_field=,
 *                       g=, type=, s=, dpl=, p=, db=, raw=, name=}; ldt() the LDT's
 *   set_descriptor{table="gdt"|"ldt", index=, base=0, limit=0xfffff, g=true,
 *                  type="data-rw", dpl=3, present=true, db=true}
 *   segment_translate(sel, offset [, {reg=, access=, mode=, size=}])
 *        -- {linear=, base=, limit=} or {fault="#GP", error_code=, reason=}
 *   translate(mm, {ds=0x7b, offset=…} or "0x73:0x8048000" [, access [, mode]])
 *        -- segmentation first, then paging on the linear address
 */
#include <stdlib.h>
#include <string.h>

#include "lapi_segment.h"

static const char *const entry_names[GDT_ENTRIES] = {
	[GDT_ENTRY_KERNEL_CS] = "KERNEL_CS", [GDT_ENTRY_KERNEL_DS] = "KERNEL_DS",
	[GDT_ENTRY_DEFAULT_USER_CS] = "DEFAULT_USER_CS", [GDT_ENTRY_DEFAULT_USER_DS] = "DEFAULT_USER_DS"};

static struct machine *seg_machine(lua_State *L, const char *fn)
{
	struct machine *m = scenario_of(L)->m;
	if (!m->segment->on)
		luaL_error(L, "%s: segmentation is modelled on 32-bit x86 (machine{arch=\"x86\"} or \"x86_pae\")", fn);
	return m;
}

static void push_desc(lua_State *L, bool ldt, unsigned index, uint64_t raw)
{
	struct seg_desc d = seg_decode(raw);
	lua_createtable(L, 0, 14);
	lapi_set_int(L, "index", index);
	lapi_set_int(L, "selector", index * 8 + (ldt ? 4 : 0));
	lapi_set_int(L, "base", d.base);
	lapi_set_int(L, "limit", seg_eff_limit(&d));
	lapi_set_int(L, "limit_field", d.limit);
	const char *t = seg_type_name(d.s, d.type);
	lapi_set_str(L, "type", t ? t : "reserved");
	lapi_set_int(L, "dpl", d.dpl);
	lapi_set_int(L, "raw", (lua_Integer)raw);
	lua_pushboolean(L, d.g);
	lua_setfield(L, -2, "g");
	lua_pushboolean(L, d.s);
	lua_setfield(L, -2, "s");
	lua_pushboolean(L, d.p);
	lua_setfield(L, -2, "p");
	lua_pushboolean(L, d.db);
	lua_setfield(L, -2, "db");
	if (!ldt && entry_names[index])
		lapi_set_str(L, "name", entry_names[index]);
}

static int table_fn(lua_State *L, bool ldt)
{
	const char *fn = ldt ? "ldt" : "gdt";
	const struct machine *m = seg_machine(L, fn);
	const struct seg_root *r = seg_root(m);
	const uint64_t *t = ldt ? r->ldt : r->gdt;
	unsigned n = ldt ? r->ldt_entries : GDT_ENTRIES;
	if (!lua_isnoneornil(L, 1)) {
		lua_Integer i = luaL_checkinteger(L, 1);
		if (i < 0 || i >= (lua_Integer)n)
			return luaL_error(L, "%s: entry %I is beyond the table (entries 0..%d)", fn, i, (int)n - 1);
		push_desc(L, ldt, (unsigned)i, t[i]);
		return 1;
	}
	lua_createtable(L, 0, 8);
	for (unsigned i = 0; i < n; i++)
		if (t[i]) {
			push_desc(L, ldt, i, t[i]);
			lua_rawseti(L, -2, i);
		}
	return 1;
}

static int l_gdt(lua_State *L) { return table_fn(L, false); }
static int l_ldt(lua_State *L) { return table_fn(L, true); }

static lua_Integer opt_int_field(lua_State *L, const char *key, lua_Integer dflt, lua_Integer max)
{
	lua_getfield(L, 1, key);
	lua_Integer v = dflt;
	if (!lua_isnil(L, -1)) {
		if (!lua_isinteger(L, -1))
			luaL_error(L, "set_descriptor: %s must be an integer", key);
		v = lua_tointeger(L, -1);
		if (v < 0 || v > max)
			luaL_error(L, "set_descriptor: %s %I is out of range (0..%I)", key, v, max);
	}
	lua_pop(L, 1);
	return v;
}

static bool opt_bool_field(lua_State *L, const char *key, bool dflt)
{
	lua_getfield(L, 1, key);
	bool v = lua_isnil(L, -1) ? dflt : lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

static int l_set_descriptor(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	static const char *const keys[] = {"table", "index", "base", "limit", "g", "type", "dpl", "present", "db", NULL};
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		bool ok = false;
		for (int i = 0; keys[i] && lua_type(L, -1) == LUA_TSTRING; i++)
			ok |= strcmp(keys[i], lua_tostring(L, -1)) == 0;
		if (!ok) {
			char buf[64];
			return luaL_error(L, "set_descriptor: unknown field %s (fields: table, index, base, limit, g, "
					     "type, dpl, present, db)", lapi_key_text(L, -1, buf, sizeof buf));
		}
	}
	lua_getfield(L, 1, "table");
	const char *tab = luaL_optstring(L, -1, "gdt");
	bool ldt = strcmp(tab, "ldt") == 0;
	if (!ldt && strcmp(tab, "gdt"))
		return luaL_error(L, "set_descriptor: table must be \"gdt\" or \"ldt\", not \"%s\"", tab);
	lua_pop(L, 1);
	lua_getfield(L, 1, "index");
	if (!lua_isinteger(L, -1))
		return luaL_error(L, "set_descriptor: needs index= (an integer)");
	lua_Integer index = lua_tointeger(L, -1);
	lua_pop(L, 1);
	struct seg_desc d = {0};
	d.base = (uint32_t)opt_int_field(L, "base", 0, 0xffffffff);
	d.limit = (uint32_t)opt_int_field(L, "limit", 0xfffff, 0xffffffff);
	d.dpl = (unsigned)opt_int_field(L, "dpl", 3, 0xff);
	d.g = opt_bool_field(L, "g", true);
	d.p = opt_bool_field(L, "present", true);
	d.db = opt_bool_field(L, "db", true);
	lua_getfield(L, 1, "type");
	if (lua_isinteger(L, -1)) {
		lua_Integer t = lua_tointeger(L, -1);
		d.s = t >= 16;
		d.type = t < 0 || t > 31 ? 99 : (unsigned)(t % 16);
	} else {
		const char *t = luaL_optstring(L, -1, "data-rw");
		if (!seg_type_parse(t, &d.s, &d.type))
			return luaL_error(L, "set_descriptor: unknown type \"%s\" (data-r, data-rw, data-r-down, "
					     "data-rw-down, code-x, code-xr, code-x-conforming, code-xr-conforming, ldt, tss, "
					     "or 0..31 as s * 16 + type)", t);
	}
	lua_pop(L, 1);
	if (index < 0 || index > 0xffff)
		return luaL_error(L, "set_descriptor: index %I is out of range", index);
	struct machine *m = lapi_op_begin(L, "set_descriptor");
	uint32_t before = m->nsteps;
	if (x86_set_descriptor(m, ldt, (unsigned)index, &d) != MM_OK)
		return lapi_model_error(L, "set_descriptor", m->error);
	return lapi_op_end(L, before, 0);
}

static int parse_reg(const char *s)
{
	for (int i = 0; i < NR_SEG_REGS; i++)
		if (strcmp(seg_reg_names[i], s) == 0)
			return i;
	return -1;
}

static enum pt_access parse_access(lua_State *L, const char *fn, const char *a)
{
	if (strcmp(a, "r") == 0)
		return ACC_READ;
	if (strcmp(a, "w") == 0)
		return ACC_WRITE;
	if (strcmp(a, "x") == 0)
		return ACC_EXEC;
	return (enum pt_access)luaL_error(L, "%s: access must be \"r\", \"w\" or \"x\", not \"%s\"", fn, a);
}

static uint32_t check_u32(lua_State *L, lua_Integer v, const char *fn, const char *what)
{
	if (v < 0 || v > 0xffffffff)
		luaL_error(L, "%s: %s %I does not fit 32 bits", fn, what, v);
	return (uint32_t)v;
}

bool lapi_is_logical(lua_State *L, int idx)
{
	return lua_istable(L, idx) || (lua_type(L, idx) == LUA_TSTRING && strchr(lua_tostring(L, idx), ':'));
}

/* {cs=0x73, offset=…} or "sel:offset" (cs for "x", ds otherwise). */
void lapi_parse_logical(lua_State *L, int idx, const char *fn, enum pt_access acc, struct lapi_logical *out)
{
	out->reg = acc == ACC_EXEC ? SR_CS : SR_DS;
	lua_Integer sel = -1, off = -1;
	if (lua_istable(L, idx)) {
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
			if (!lua_isinteger(L, -1))
				luaL_error(L, "%s: the logical address's %s must be an integer", fn, *k ? k : "key");
			int r = parse_reg(k);
			if (strcmp(k, "offset") == 0) {
				off = lua_tointeger(L, -1);
			} else if (r >= 0 && sel < 0) {
				out->reg = (enum seg_reg)r;
				sel = lua_tointeger(L, -1);
			} else {
				luaL_error(L, "%s: a logical address is {<one of cs, ds, ss, es, fs, gs> = selector, "
					      "offset = …}; '%s' does not belong", fn, k);
			}
			lua_pop(L, 1);
		}
	} else {
		const char *s = lua_tostring(L, idx);
		char *end;
		sel = strtoll(s, &end, 0);
		if (end == s || *end != ':')
			luaL_error(L, "%s: \"%s\" is not a logical address \"selector:offset\"", fn, s);
		const char *o = end + 1;
		off = strtoll(o, &end, 0);
		if (end == o || *end)
			luaL_error(L, "%s: \"%s\" is not a logical address \"selector:offset\"", fn, s);
	}
	if (sel < 0 || off < 0)
		luaL_error(L, "%s: a logical address needs a selector (cs=, ds=, …) and offset=", fn);
	if (sel > 0xffff)
		luaL_error(L, "%s: selector %I does not fit 16 bits", fn, sel);
	out->sel = (uint16_t)sel;
	out->offset = check_u32(L, off, fn, "offset");
}

void lapi_push_seg_result(lua_State *L, const struct seg_result *r)
{
	if (r->fault != SEGF_NONE) {
		lapi_set_str(L, "fault", seg_vector_names[r->vector]);
		lapi_set_int(L, "error_code", r->error_code);
		lapi_set_str(L, "reason", seg_fault_names[r->fault]);
	} else {
		lapi_set_int(L, "linear", r->linear);
	}
	if (r->have_desc) {
		lapi_set_int(L, "base", r->desc.base);
		lapi_set_int(L, "limit", seg_eff_limit(&r->desc));
		lapi_set_int(L, "dpl", r->desc.dpl);
	}
}

/* segment_translate(sel, offset [, {reg=, access=, mode=, size=}]) */
static int l_segment_translate(lua_State *L)
{
	const char *fn = "segment_translate";
	struct machine *m = seg_machine(L, fn);
	uint16_t sel = (uint16_t)check_u32(L, luaL_checkinteger(L, 1), fn, "selector");
	if (luaL_checkinteger(L, 1) > 0xffff)
		return luaL_error(L, "%s: selector %I does not fit 16 bits", fn, luaL_checkinteger(L, 1));
	uint32_t off = check_u32(L, luaL_checkinteger(L, 2), fn, "offset");
	const char *reg = "ds", *acc = "r", *mode = "user";
	lua_Integer size = 1;
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		lua_getfield(L, 3, "reg");
		lua_getfield(L, 3, "access");
		lua_getfield(L, 3, "mode");
		lua_getfield(L, 3, "size");
		reg = luaL_optstring(L, -4, "ds");
		acc = luaL_optstring(L, -3, "r");
		mode = luaL_optstring(L, -2, "user");
		size = luaL_optinteger(L, -1, 1);
		lua_pop(L, 4);
	}
	int r = parse_reg(reg);
	if (r < 0)
		return luaL_error(L, "%s: reg must be one of cs, ds, ss, es, fs, gs, not \"%s\"", fn, reg);
	if (strcmp(mode, "user") && strcmp(mode, "kernel"))
		return luaL_error(L, "%s: mode must be \"user\" or \"kernel\", not \"%s\"", fn, mode);
	if (size < 1 || size > 16)
		return luaL_error(L, "%s: size must be 1..16 bytes", fn);
	enum pt_access a = parse_access(L, fn, acc);
	(void)lapi_op_begin(L, fn);
	uint32_t before = m->nsteps;
	struct seg_result res;
	if (x86_seg_translate(m, (enum seg_reg)r, sel, off, (uint32_t)size, a, strcmp(mode, "user") ? 0 : 3,
			      &res) != MM_OK)
		return lapi_model_error(L, fn, m->error);
	lua_createtable(L, 0, 6);
	lapi_push_seg_result(L, &res);
	return lapi_op_end(L, before, 1);
}

void lapi_open_segment(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"gdt", l_gdt},
		{"ldt", l_ldt},
		{"set_descriptor", l_set_descriptor},
		{"segment_translate", l_segment_translate},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
