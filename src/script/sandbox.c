/* The scenario sandbox (see sandbox.h). */
#include "sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOOK_EVERY 1000 /* instructions between budget checks */
#define ALLOC_BYTES_PER_INSTRUCTION 4

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
		sb->hit_memory_cap = sb->fatal = 1;
		return NULL; /* Lua raises "not enough memory" */
	}
	void *p = realloc(ptr, nsize);
	if (p) {
		sb->used = sb->used - old + nsize;
		/* Making memory is work the count hook does not see (a concatenation
		 * is one instruction): the hook finds it charged. */
		if (nsize > old)
			sb->instructions += (nsize - old) / ALLOC_BYTES_PER_INSTRUCTION;
	}
	return p;
}

static struct sandbox *sandbox_of(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

/* The budget is used up: say so at where (a "file:line: " or ""), and make
 * every catcher pass the same error on from now on. */
static int budget_error(lua_State *L, struct sandbox *sb, const char *where)
{
	if (!sb->fatal || !sb->fatal_msg[0])
		snprintf(sb->fatal_msg, sizeof sb->fatal_msg,
			 "%sinstruction budget of %llu instructions used up (an endless loop?)", where,
			 (unsigned long long)sb->limits.max_instructions);
	sb->fatal = 1;
	lua_pushstring(L, sb->fatal_msg);
	return lua_error(L);
}

static bool over_budget(const struct sandbox *sb)
{
	return sb->limits.max_instructions && sb->instructions > sb->limits.max_instructions;
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
	struct sandbox *sb = sandbox_of(L);
	sb->instructions += HOOK_EVERY;
	if (sb->interrupt && sb->interrupt_at && *sb->interrupt >= sb->interrupt_at) {
		/* final as a limit is: every catcher passes this message on */
		lua_getinfo(L, "Sl", ar);
		snprintf(sb->fatal_msg, sizeof sb->fatal_msg, "%s:%d: interrupted (Ctrl-C)", ar->short_src,
			 ar->currentline);
		sb->fatal = 1;
		lua_pushstring(L, sb->fatal_msg);
		lua_error(L);
	}
	if (!over_budget(sb))
		return;
	/* The hook runs inside the looping function: name its line. */
	char where[300] = "";
	if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
		snprintf(where, sizeof where, "%s:%d: ", ar->short_src, ar->currentline);
	budget_error(L, sb, where);
}

void sandbox_charge(lua_State *L, uint64_t work)
{
	struct sandbox *sb = sandbox_of(L);
	sb->instructions += work;
	if (!over_budget(sb))
		return;
	luaL_where(L, 1);
	budget_error(L, sb, lua_tostring(L, -1));
}

void sandbox_hook(struct sandbox *sb, lua_State *thread)
{
	(void)sb;
	lua_sethook(thread, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

void sandbox_reset_budget(struct sandbox *sb)
{
	sb->instructions = 0;
	sb->fatal = sb->hit_memory_cap = 0;
	sb->fatal_msg[0] = 0;
}

int sandbox_pcall_budget(struct sandbox *sb, lua_State *L, int nargs, int nres, int msgh, uint64_t budget,
			 char *err, size_t errlen)
{
	uint64_t used = sb->instructions, max = sb->limits.max_instructions;
	int fatal = sb->fatal, cap = sb->hit_memory_cap;
	char fatal_msg[sizeof sb->fatal_msg];
	memcpy(fatal_msg, sb->fatal_msg, sizeof fatal_msg);
	sb->instructions = 0;
	sb->fatal = sb->hit_memory_cap = 0;
	sb->fatal_msg[0] = 0;
	if (!max || budget < max)
		sb->limits.max_instructions = budget;
	int rc = lua_pcall(L, nargs, nres, msgh);
	if (rc != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		if (rc == LUA_ERRMEM || sb->hit_memory_cap)
			snprintf(err, errlen, "Lua memory cap of %zu MiB reached", sb->limits.max_memory >> 20);
		else if (msg)
			snprintf(err, errlen, "%s", msg);
		else
			snprintf(err, errlen, "(error object is a %s value)", luaL_typename(L, -1));
	}
	sb->instructions = used;
	sb->limits.max_instructions = max;
	sb->fatal = fatal;
	sb->hit_memory_cap = cap;
	memcpy(sb->fatal_msg, fatal_msg, sizeof fatal_msg);
	return rc;
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

/* Raise the error of the limit reached, whatever a __close handler or an
 * error handler made of it on the way. */
static int raise_limit(lua_State *L)
{
	struct sandbox *sb = sandbox_of(L);
	if (sb->hit_memory_cap)
		lua_pushliteral(L, "not enough memory");
	else if (sb->fatal_msg[0])
		lua_pushstring(L, sb->fatal_msg);
	else
		lua_pushvalue(L, -1);
	return lua_error(L);
}

/* pcall and xpcall that pass a reached limit on instead of catching it. */
static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
	if (status != LUA_OK && status != LUA_YIELD) {
		if (sandbox_of(L)->fatal)
			return raise_limit(L);
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

static int safe_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1); /* the first result if no error */
	lua_insert(L, 1);
	int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
	return finish_pcall(L, status, 0);
}

/* The handler runs inside the error: after a limit, with hooks off, so it is
 * not run then (an endless handler would hang memstep). */
static int guarded_handler(lua_State *L)
{
	if (sandbox_of(L)->fatal)
		return 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int safe_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, guarded_handler, 1);
	lua_replace(L, 2);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2); /* handler, true, function, args… */
	int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
	return finish_pcall(L, status, 2);
}

/* coroutine.resume and coroutine.close catch errors as pcall does: after a
 * limit, they pass it on.  Upvalue 1: the library's function, run in this
 * frame so that its own errors name the caller's line. */
static int safe_catcher(lua_State *L)
{
	int n = lua_tocfunction(L, lua_upvalueindex(1))(L);
	if (sandbox_of(L)->fatal && n >= 1 && !lua_toboolean(L, -n))
		return raise_limit(L);
	return n;
}

static void wrap_catcher(lua_State *L, const char *lib, const char *name)
{
	lua_getglobal(L, lib);
	lua_getfield(L, -1, name);
	lua_pushcclosure(L, safe_catcher, 1);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

/* setmetatable without finalizers: they run with hooks off. */
static int safe_setmetatable(lua_State *L)
{
	if (lua_istable(L, 2) && lua_getfield(L, 2, "__gc") != LUA_TNIL)
		return luaL_error(L, "__gc metamethods are not available in a scenario (sandbox)");
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

static int os_missing(lua_State *L)
{
	return luaL_error(L, "'os.%s' is not available in a scenario (sandbox): only os.clock and os.time",
			  lua_tostring(L, 2));
}

/* pairs() in a fixed order (see sandbox.h). */
static const char fixed_pairs[] =
	"local next, type, sort, tostring, getmetatable = next, type, table.sort, tostring, getmetatable\n"
	"local rank = {number = 1, string = 2, boolean = 3}\n"
	"local function before(a, b)\n"
	"  local ra, rb = rank[type(a)] or 4, rank[type(b)] or 4\n"
	"  if ra ~= rb then return ra < rb end\n"
	"  if ra < 3 then return a < b end\n"
	"  if ra == 3 then return not a and b end\n"
	"  return tostring(a) < tostring(b)\n"
	"end\n"
	"return function(t)\n"
	"  local mt = getmetatable(t)\n"
	"  if type(mt) == 'table' and mt.__pairs then return mt.__pairs(t) end\n"
	"  local keys, n = {}, 0\n"
	"  for k in next, t do n = n + 1; keys[n] = k end\n"
	"  sort(keys, before)\n"
	"  local i = 0\n"
	"  return function()\n"
	"    repeat i = i + 1 until keys[i] == nil or t[keys[i]] ~= nil\n"
	"    local k = keys[i]\n"
	"    if k ~= nil then return k, t[k] end\n"
	"  end, t, nil\n"
	"end\n";

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
	lua_newtable(L);
	lua_pushcfunction(L, os_missing);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
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
	lua_pushcfunction(L, safe_pcall);
	lua_setglobal(L, "pcall");
	lua_pushcfunction(L, safe_xpcall);
	lua_setglobal(L, "xpcall");
	wrap_catcher(L, LUA_COLIBNAME, "resume");
	wrap_catcher(L, LUA_COLIBNAME, "close");
	sandbox_charge_work(L);
	lua_getglobal(L, "setmetatable");
	lua_pushcclosure(L, safe_setmetatable, 1);
	lua_setglobal(L, "setmetatable");
	if (luaL_loadbufferx(L, fixed_pairs, sizeof fixed_pairs - 1, "=pairs", "t") != LUA_OK ||
	    lua_pcall(L, 0, 1, 0) != LUA_OK) {
		lua_close(L);
		sb->L = NULL;
		return -1;
	}
	lua_setglobal(L, "pairs");
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
