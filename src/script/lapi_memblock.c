/* Boot memory in scenarios: machine{memory_map=, reserve=, kernel=, boot=},
 * memblock(), memblock_add/remove/reserve/free, memblock_alloc and
 * memblock_free_all (the hand-over). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lapi.h"
#include "mm/memblock.h"

static const struct {
	const char *name;
	uint32_t type;
} type_names[] = {
	{"usable", E820_TYPE_RAM},       {"ram", E820_TYPE_RAM},           {"System RAM", E820_TYPE_RAM},
	{"reserved", E820_TYPE_RESERVED}, {"ACPI data", E820_TYPE_ACPI},   {"acpi", E820_TYPE_ACPI},
	{"ACPI NVS", E820_TYPE_NVS},     {"nvs", E820_TYPE_NVS},           {"unusable", E820_TYPE_UNUSABLE},
	{"device", E820_TYPE_DEVICE},    {"hole", 0},
};

static uint32_t type_by_name(lua_State *L, const char *what)
{
	const char *s = luaL_checkstring(L, -1);
	for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
		if (strcasecmp(type_names[i].name, s) == 0)
			return type_names[i].type;
	luaL_error(L, "%s: unknown type '%s' (usable, reserved, ACPI data, ACPI NVS, unusable, hole, device)", what, s);
	return 0;
}

/* Field `key` or positional `pos` of the entry at the top of the stack. */
static bool entry_field(lua_State *L, const char *key, int pos)
{
	if (lua_getfield(L, -1, key) != LUA_TNIL)
		return true;
	lua_pop(L, 1);
	if (pos && lua_rawgeti(L, -1, pos) != LUA_TNIL)
		return true;
	lua_pop(L, 1);
	return false;
}

/* {addr, size, type [, name]} or {addr=, size= | end=, type=, name=}:
 * false for a "hole" (the firmware lists nothing there). */
static bool parse_entry(lua_State *L, struct e820_entry *e, const char *what, bool typed)
{
	char w[80];
	memset(e, 0, sizeof *e);
	if (!lua_istable(L, -1))
		luaL_error(L, "%s must be a table like {0x100000, \"1G\", \"usable\"}, not a %s", what, luaL_typename(L, -1));
	snprintf(w, sizeof w, "%s: addr", what);
	if (!entry_field(L, "addr", 1))
		luaL_error(L, "%s: no addr", what);
	e->addr = lapi_checksize(L, -1, w);
	lua_pop(L, 1);
	snprintf(w, sizeof w, "%s: size", what);
	if (entry_field(L, "size", 2)) {
		e->size = lapi_checksize(L, -1, w);
	} else if (entry_field(L, "end", 0)) {
		uint64_t end = lapi_checksize(L, -1, w);
		if (end < e->addr)
			luaL_error(L, "%s: end 0x%llx lies before addr 0x%llx", what, (unsigned long long)end,
				   (unsigned long long)e->addr);
		e->size = end - e->addr;
	} else {
		luaL_error(L, "%s: no size (or end)", what);
	}
	lua_pop(L, 1);
	e->type = E820_TYPE_RESERVED;
	if (typed) {
		if (!entry_field(L, "type", 3))
			luaL_error(L, "%s: no type", what);
		e->type = type_by_name(L, what);
		lua_pop(L, 1);
	}
	if (entry_field(L, "name", typed ? 4 : 3)) {
		snprintf(e->name, sizeof e->name, "%s", luaL_checkstring(L, -1));
		lua_pop(L, 1);
	}
	return e->type != 0;
}

static void parse_map(lua_State *L, struct mm_config *c, const char *key)
{
	lapi_check_table(L, -1, key, "{{0, \"640K\", \"usable\"}, {\"1M\", \"255M\", \"usable\"}}");
	c->nr_e820 = 0;
	lua_Integer n = luaL_len(L, -1);
	if (n == 0)
		luaL_error(L, "machine: %s is empty: it has no usable memory", key);
	for (lua_Integer i = 1; i <= n; i++) {
		char what[64];
		snprintf(what, sizeof what, "machine: %s[%d]", key, (int)i);
		lua_rawgeti(L, -1, i);
		struct e820_entry e;
		if (parse_entry(L, &e, what, true)) {
			if (c->nr_e820 == E820_MAX - 1)
				luaL_error(L, "machine: %s has more than %d entries", key, E820_MAX - 1);
			c->e820[c->nr_e820++] = e;
		}
		lua_pop(L, 1);
	}
}

static void add_reserve(lua_State *L, struct mm_config *c, const struct e820_entry *e)
{
	if (c->nr_boot_reserve == BOOT_RESERVE_MAX)
		luaL_error(L, "machine: at most %d boot reservations (reserve= and kernel=)", BOOT_RESERVE_MAX);
	c->boot_reserve[c->nr_boot_reserve++] = *e;
}

/* The keys this file parses in machine{}; true when `key` was one. */
bool lapi_parse_boot_field(lua_State *L, struct mm_config *c, const char *key)
{
	if (strcmp(key, "memory_map") == 0 || strcmp(key, "e820") == 0) {
		parse_map(L, c, key);
	} else if (strcmp(key, "reserve") == 0) {
		lapi_check_table(L, -1, "reserve", "{{\"64M\", \"8M\", \"initrd\"}}");
		for (lua_Integer i = 1, n = luaL_len(L, -1); i <= n; i++) {
			char what[64];
			snprintf(what, sizeof what, "machine: reserve[%d]", (int)i);
			lua_rawgeti(L, -1, i);
			struct e820_entry e;
			parse_entry(L, &e, what, false);
			add_reserve(L, c, &e);
			lua_pop(L, 1);
		}
	} else if (strcmp(key, "kernel") == 0) {
		/* the image at CONFIG_PHYSICAL_START, 16M on x86 */
		struct e820_entry e = {16u << 20, lapi_checksize(L, -1, "machine: kernel"), E820_TYPE_RESERVED, "kernel"};
		add_reserve(L, c, &e);
	} else if (strcmp(key, "boot") == 0) {
		if (!lua_isboolean(L, -1))
			luaL_error(L, "machine: boot must be true or false, not a %s", luaL_typename(L, -1));
		c->boot = lua_toboolean(L, -1);
	} else {
		return false;
	}
	return true;
}

static void push_type(lua_State *L, const struct memblock_type *t)
{
	lua_createtable(L, (int)t->cnt, 0);
	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		lua_createtable(L, 0, 4);
		lapi_set_int(L, "base", (lua_Integer)r->base);
		lapi_set_int(L, "size", (lua_Integer)r->size);
		lapi_set_int(L, "end", (lua_Integer)mb_end(r));
		lapi_set_str(L, "flags", memblock_flag_name(r->flags));
		if (r->nid != MEMBLOCK_NO_NODE)
			lapi_set_int(L, "nid", r->nid);
		lua_rawseti(L, -2, i + 1);
	}
}

/* memblock() -> {memory = {{base, size, end, flags, nid}…}, reserved = …, booting} */
static int l_memblock(lua_State *L)
{
	const struct machine *m = scenario_of(L)->m;
	const struct memblock_root *r = memblock_root(m);
	lua_createtable(L, 0, 3);
	push_type(L, &r->memory);
	lua_setfield(L, -2, "memory");
	push_type(L, &r->reserved);
	lua_setfield(L, -2, "reserved");
	lua_pushboolean(L, r->booting != 0);
	lua_setfield(L, -2, "booting");
	return 1;
}

typedef int (*range_call)(struct machine *m, uint64_t base, uint64_t size);

static int range_op(lua_State *L, const char *fname, range_call fn)
{
	char what[48];
	snprintf(what, sizeof what, "%s: base", fname);
	uint64_t base = lapi_checksize(L, 1, what);
	snprintf(what, sizeof what, "%s: size", fname);
	uint64_t size = lapi_checksize(L, 2, what);
	struct machine *m = lapi_op_begin(L, fname);
	uint32_t before = m->nsteps;
	if (fn(m, base, size) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_memblock_add(lua_State *L) { return range_op(L, "memblock_add", memblock_add); }
static int l_memblock_remove(lua_State *L) { return range_op(L, "memblock_remove", memblock_remove); }
static int l_memblock_reserve(lua_State *L) { return range_op(L, "memblock_reserve", memblock_reserve); }
static int l_memblock_free(lua_State *L) { return range_op(L, "memblock_free", memblock_free); }

/* memblock_alloc(size [, align]) -> physical address, or nil, reason */
static int l_memblock_alloc(lua_State *L)
{
	uint64_t size = lapi_checksize(L, 1, "memblock_alloc: size");
	uint64_t align = lua_isnoneornil(L, 2) ? 0 : lapi_checksize(L, 2, "memblock_alloc: align");
	struct machine *m = lapi_op_begin(L, "memblock_alloc");
	uint32_t before = m->nsteps;
	uint64_t addr = 0;
	int rc = memblock_alloc(m, size, align, &addr);
	if (rc == MM_EINVAL)
		return luaL_error(L, "%s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, (lua_Integer)addr);
	return lapi_op_end(L, before, 1);
}

static int l_memblock_free_all(lua_State *L)
{
	struct machine *m = lapi_op_begin(L, "memblock_free_all");
	uint32_t before = m->nsteps;
	if (memblock_free_all(m, true) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

void lapi_open_memblock(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"memblock", l_memblock},
		{"memblock_add", l_memblock_add},
		{"memblock_remove", l_memblock_remove},
		{"memblock_reserve", l_memblock_reserve},
		{"memblock_free", l_memblock_free},
		{"memblock_alloc", l_memblock_alloc},
		{"memblock_free_all", l_memblock_free_all},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
