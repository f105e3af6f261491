/* The scenario sandbox (see sandbox.h). */
#include "sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOOK_EVERY 1000 /* instructions between budget checks */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct sandbox *sb = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		sb->used -= old;
		return NULL;
	}
	if (nsize > old && sb->used - old + nsize > sb->limits.max_memory) {
		sb->hit_memory_cap = 1;
		return NULL; /* Lua raises "not enough memory" */
	}
	void *p = realloc(ptr, nsize);
	if (p)
		sb->used = sb->used - old + nsize;
	return p;
}

static struct sandbox *sandbox_of(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
	struct sandbox *sb = sandbox_of(L);
	sb->instructions += HOOK_EVERY;
	if (!sb->limits.max_instructions || sb->instructions <= sb->limits.max_instructions)
		return;
	/* The hook runs inside the looping function: name its line. */
	lua_getinfo(L, "Sl", ar);
	lua_pushfstring(L, "%s:%d: instruction budget of %I instructions used up (an endless loop?)",
			ar->short_src, ar->currentline, (lua_Integer)sb->limits.max_instructions);
	lua_error(L);
}

void sandbox_hook(struct sandbox *sb, lua_State *thread)
{
	(void)sb;
	lua_sethook(thread, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

void sandbox_reset_budget(struct sandbox *sb)
{
	sb->instructions = 0;
}

/* Names a scenario may not use, with what to say when it tries. */
static const char *const forbidden[] = {"io", "package", "require", "debug", "dofile", "loadfile",
					"collectgarbage", NULL};

static int forbidden_index(lua_State *L)
{
	const char *name = lua_tostring(L, 2);
	for (const char *const *f = forbidden; name && *f; f++)
		if (strcmp(*f, name) == 0)
			return luaL_error(L, "'%s' is not available in a scenario (sandbox)", name);
	return 0;
}

/* load() for text only, defaulting to the sandbox's globals. */
static int safe_load(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "=(load)");
	int has_env = !lua_isnone(L, 4);
	if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (has_env) {
		lua_pushvalue(L, 4);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
	}
	return 1;
}

static int no_dump(lua_State *L)
{
	return luaL_error(L, "'string.dump' is not available in a scenario (sandbox)");
}

static void open_lib(lua_State *L, const char *name, lua_CFunction open)
{
	luaL_requiref(L, name, open, 1);
	lua_pop(L, 1);
}

/* os with only clock and time. */
static void open_os(lua_State *L)
{
	open_lib(L, LUA_OSLIBNAME, luaopen_os);
	lua_getglobal(L, "os");
	lua_newtable(L);
	lua_getfield(L, -2, "clock");
	lua_setfield(L, -2, "clock");
	lua_getfield(L, -2, "time");
	lua_setfield(L, -2, "time");
	lua_setglobal(L, "os");
	lua_pop(L, 1);
}

int sandbox_open(struct sandbox *sb, const struct sandbox_limits *limits, void *owner)
{
	memset(sb, 0, sizeof *sb);
	sb->limits = *limits;
	lua_State *L = lua_newstate(limited_alloc, sb);
	if (!L)
		return -1;
	sb->L = L;
	*(void **)lua_getextraspace(L) = owner;

	open_lib(L, LUA_GNAME, luaopen_base);
	open_lib(L, LUA_STRLIBNAME, luaopen_string);
	open_lib(L, LUA_TABLIBNAME, luaopen_table);
	open_lib(L, LUA_MATHLIBNAME, luaopen_math);
	open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
	open_lib(L, LUA_COLIBNAME, luaopen_coroutine);
	open_os(L);

	for (const char *const *f = forbidden; *f; f++) {
		lua_pushnil(L);
		lua_setglobal(L, *f);
	}
	lua_pushcfunction(L, safe_load);
	lua_setglobal(L, "load");
	lua_getglobal(L, "string");
	lua_pushcfunction(L, no_dump);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);

	/* Reading a forbidden global says why instead of giving nil. */
	lua_pushglobaltable(L);
	lua_newtable(L);
	lua_pushcfunction(L, forbidden_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);

	sandbox_hook(sb, L);
	return 0;
}

void sandbox_close(struct sandbox *sb)
{
	if (sb->L)
		lua_close(sb->L);
	sb->L = NULL;
}

int sandbox_load(lua_State *L, const char *code, size_t len, const char *chunkname)
{
	return luaL_loadbufferx(L, code, len, chunkname, "t");
}
