/*
 * Work done inside C functions, charged to the sandbox's instruction budget.
 * The count hook only sees VM instructions: one call of string.find or
 * table.move may loop for as long as it likes without one.  Each library
 * function that loops over its input is wrapped here, and charged before it
 * runs for what it will touch: the bytes of its string arguments, the
 * elements of the range it moves, unpacks, concatenates, shifts or sorts.
 * What a function makes (string.rep, string.format, ..) is charged by the
 * allocator (sandbox.c).  The pattern functions count their own steps, the
 * backtracking too, which no size bounds (lpattern.c).
 */
#include <lauxlib.h>
#include <lualib.h>

#include "sandbox.h"

#define BYTES_PER_INSTRUCTION 4 /* scanning a byte costs less than an instruction */

enum charge { BY_STRINGS, BY_MOVE, BY_RANGE, BY_CONCAT, BY_SHIFT, BY_SORT };

static uint64_t range(lua_Integer from, lua_Integer to)
{
	return to >= from ? (uint64_t)to - (uint64_t)from + 1 : 0;
}

static uint64_t length_of(lua_State *L, int idx)
{
	return lua_type(L, idx) == LUA_TTABLE ? lua_rawlen(L, idx) : 0;
}

/* What a call will cost, from its arguments (before it checks them). */
static uint64_t cost(lua_State *L, enum charge how)
{
	uint64_t n;
	switch (how) {
	case BY_MOVE: /* table.move(a1, f, e, t [, a2]) */
		return range(luaL_optinteger(L, 2, 1), luaL_optinteger(L, 3, 0));
	case BY_RANGE: /* table.unpack(t, i, j) */
		return range(luaL_optinteger(L, 2, 1), luaL_optinteger(L, 3, (lua_Integer)length_of(L, 1)));
	case BY_CONCAT: /* table.concat(t, sep, i, j) */
		return range(luaL_optinteger(L, 3, 1), luaL_optinteger(L, 4, (lua_Integer)length_of(L, 1)));
	case BY_SHIFT: /* table.insert(t, pos, v) / table.remove(t, pos) */
		if (lua_gettop(L) < (lua_tointeger(L, lua_upvalueindex(3)) ? 3 : 2))
			return 0; /* at the end: nothing moves */
		return range(luaL_optinteger(L, 2, 1), (lua_Integer)length_of(L, 1));
	case BY_SORT:
		n = length_of(L, 1);
		for (uint64_t m = n; m > 1; m >>= 1)
			n += length_of(L, 1);
		return n;
	case BY_STRINGS:
	default:
		n = 0;
		for (int i = 1; i <= lua_gettop(L); i++)
			if (lua_type(L, i) == LUA_TSTRING)
				n += lua_rawlen(L, i) / BYTES_PER_INSTRUCTION;
		return n;
	}
}

/* upvalue 1: the library's function; upvalue 2: how to charge it;
 * upvalue 3: for BY_SHIFT, whether the call has a value (insert). */
static int charged(lua_State *L)
{
	sandbox_charge(L, 1 + cost(L, (enum charge)lua_tointeger(L, lua_upvalueindex(2))));
	/* Run it in this frame, so that its errors name the Lua caller's line
	 * and the function as called (the library's functions use no upvalues). */
	return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

static void wrap(lua_State *L, const char *lib, const char *name, enum charge how)
{
	lua_getglobal(L, lib);
	if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
		lua_pushinteger(L, how);
		lua_pushinteger(L, name[0] == 'i');
		lua_pushcclosure(L, charged, 3);
		lua_setfield(L, -2, name);
	} else {
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

void sandbox_charge_work(lua_State *L)
{
	/* The rest make what they scan (charged as memory) or push it on the
	 * stack (bounded by the stack's size). */
	static const char *const utf8s[] = {"len", "offset", NULL};
	sandbox_open_patterns(L);
	for (const char *const *f = utf8s; *f; f++)
		wrap(L, LUA_UTF8LIBNAME, *f, BY_STRINGS);
	wrap(L, LUA_TABLIBNAME, "move", BY_MOVE);
	wrap(L, LUA_TABLIBNAME, "unpack", BY_RANGE);
	wrap(L, LUA_TABLIBNAME, "concat", BY_CONCAT);
	wrap(L, LUA_TABLIBNAME, "insert", BY_SHIFT);
	wrap(L, LUA_TABLIBNAME, "remove", BY_SHIFT);
	wrap(L, LUA_TABLIBNAME, "sort", BY_SORT);
}
