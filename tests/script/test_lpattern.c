/*
 * src/script/lpattern.c against Lua's own string library: the same calls of
 * find, match, gmatch and gsub on the same subjects and patterns give the
 * same results and the same error messages, on hand-picked cases and on
 * many made from random pieces of pattern; the library functions that
 * sandbox_work.c wraps (to charge their work) behave as Lua's, errors
 * included; and an explosive pattern ends with the budget's error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#include "script/sandbox.h"

static const char *const calls[] = {
	"return string.find(S, P)",
	"return string.find(S, P, 3)",
	"return string.find(S, P, -2)",
	"return string.find(S, P, 1, true)",
	"return string.match(S, P)",
	"return string.match(S, P, 2)",
	"return string.gsub(S, P, '<%0>')",
	"return string.gsub(S, P, '[%1]')",
	"return string.gsub(S, P, '%%')",
	"return string.gsub(S, P, function(...) return select('#', ...) .. ':' .. table.concat({...}, ',') end)",
	"return string.gsub(S, P, {a = 'A', ['1'] = false, b = 7}, 2)",
	"local t = {} for a, b in string.gmatch(S, P) do t[#t + 1] = tostring(a) .. '/' .. tostring(b) end "
	"return table.concat(t, '|')",
	"local t = {} for a in string.gmatch(S, P, 3) do t[#t + 1] = tostring(a) end return table.concat(t, '|')",
};

/* Run every call with S and P set; the results (or the error) as text. */
static void run(lua_State *L, const char *s, size_t ls, const char *p, size_t lp, const char *call, char *out,
		size_t n)
{
	lua_pushlstring(L, s, ls);
	lua_setglobal(L, "S");
	lua_pushlstring(L, p, lp);
	lua_setglobal(L, "P");
	int base = lua_gettop(L);
	int rc = luaL_loadbufferx(L, call, strlen(call), "=t", "t");
	if (rc == LUA_OK)
		rc = lua_pcall(L, 0, LUA_MULTRET, 0);
	size_t at = (size_t)snprintf(out, n, "%s", rc == LUA_OK ? "ok" : "error");
	for (int i = base + 1; i <= lua_gettop(L) && at < n; i++) {
		const char *v = luaL_tolstring(L, i, NULL);
		at += (size_t)snprintf(out + at, n - at, " %s:%s", luaL_typename(L, i), v);
		lua_pop(L, 1);
	}
	lua_settop(L, base);
}

struct pair {
	lua_State *stock;
	struct sandbox sb;
};

static struct pair *pair_open(void)
{
	static struct pair p;
	p.stock = luaL_newstate();
	luaL_openlibs(p.stock);
	struct sandbox_limits lim = {.max_instructions = 0, .max_memory = 256u << 20};
	assert_int_equal(sandbox_open(&p.sb, &lim, NULL), 0);
	return &p;
}

static void pair_close(struct pair *p)
{
	lua_close(p->stock);
	sandbox_close(&p->sb);
}

static void same(struct pair *pr, const char *s, size_t ls, const char *p, size_t lp)
{
	char a[2048], b[2048];
	for (size_t i = 0; i < sizeof calls / sizeof *calls; i++) {
		run(pr->stock, s, ls, p, lp, calls[i], a, sizeof a);
		run(pr->sb.L, s, ls, p, lp, calls[i], b, sizeof b);
		if (strcmp(a, b) != 0)
			fail_msg("S=\"%.*s\" P=\"%.*s\" %s:\n  Lua:     %s\n  sandbox: %s", (int)ls, s, (int)lp, p, calls[i],
				 a, b);
	}
}

static void test_hand_picked(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"hello world", "o"}, {"hello world", "(o)(r)"}, {"hello world", "()ll()"}, {"hello", "l+"},
		{"hello", "l*"}, {"hello", "l-o"}, {"hello", "x?h"}, {"hello", "^h"}, {"hello", "o$"},
		{"hello", "^(h)(.-)$"}, {"key = value", "(%w+)%s*=%s*(%w+)"}, {"f(a(b)c)d", "%b()"},
		{"THE (quick) fox", "%f[%a]%a+"}, {"abcabc", "(abc)%1"}, {"a.b", "%."}, {"a]b", "[]]"},
		{"a^b", "[%^]"}, {"a-b", "[a-]"}, {"a-b", "[%a-]+"}, {"x", "[^%d]"}, {"", ""}, {"", "x*"},
		{"abc", ""}, {"abc", ".-"}, {"a,b,,c", "([^,]*)"}, {"  trim  ", "^%s*(.-)%s*$"},
		{"Normal 123 456", "Normal%s+(%d+)"}, {"abc", "%"}, {"abc", "[a"}, {"abc", "(a"},
		{"abc", "a)"}, {"abc", "%b"}, {"abc", "%f"}, {"abc", "%fa"}, {"abc", "(a)%2"}, {"abc", "%0"},
		{"abc", "((a)(b))"}, {"aaa", "a-"}, {"a$b", "$b"}, {"a$b", "a$"}, {"%d", "%%d"}, {"abc", "[%]"},
		{"x1y22z333", "%d+"}, {"ABCdef", "%u+%l+"}, {"a\0b", "%z"}, {"a\tb", "%c"}, {"a.b", "%p"},
		{"ab", "(a)(b)()"}, {"aaaa", "^a"}, {"aaaa", "a+$"}, {"tab\tend", "%S+"}, {"x", "[^]x]"},
	};
	struct pair *pr = pair_open();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		same(pr, cases[i][0], strlen(cases[i][0]), cases[i][1], strlen(cases[i][1]));
	same(pr, "a\0b\0c", 5, "%z", 2);
	same(pr, "a\0b", 3, "\0", 1);
	same(pr, "a\0b", 3, "a\0*", 3);
	pair_close(pr);
}

/* Random patterns from pieces, short enough that Lua's own matcher ends. */
static void test_random_patterns(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"a", "b", "1", " ", ".", "%a", "%d", "%s", "%w", "%A", "[ab]", "[^a]", "[a-c]", "[%d ]", "*", "+",
		"-", "?", "(", ")", "()", "%b()", "%f[%a]", "%f[%A]", "%1", "%2", "^", "$", "%", "[", "]",
		"%%", "%(", "%b", "[]", "[^]",
	};
	static const char subject_chars[] = "ab1 ()[]%";
	struct pair *pr = pair_open();
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (int n = 0; n < 4000; n++) {
		char p[64] = "", s[24];
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		unsigned np = 1 + (unsigned)(x >> 60) % 6, ns = (unsigned)(x >> 40) % 16;
		for (unsigned i = 0; i < np; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			strcat(p, pieces[(x >> 33) % (sizeof pieces / sizeof *pieces)]);
		}
		for (unsigned i = 0; i < ns; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			s[i] = subject_chars[(x >> 33) % (sizeof subject_chars - 1)];
		}
		same(pr, s, ns, p, strlen(p));
	}
	pair_close(pr);
}

static void test_wrapped_functions_behave_as_lua(void **state)
{
	(void)state;
	static const char *const code[] = {
		"return table.concat({1, 2, 3}, 1.5)", "return table.concat({1, 2, 3}, ',', 2)",
		"return table.concat({1, 2, 3}, ',', 2, 3)", "return table.concat({1, {}, 3})",
		"return table.unpack({1, 2, 3}, 2)", "return table.unpack({1, 2, 3}, -1, 1)",
		"return table.unpack({1, 2}, 'x')", "return table.move({1, 2, 3}, 1, 3, 2)[3]",
		"return table.move({1, 2, 3}, 1)",
		"local t = {1, 2, 3} table.insert(t, 1, 0) return table.concat(t, ' ')",
		"local t = {1, 2, 3} table.insert(t, 9) return table.concat(t, ' ')",
		"local t = {1, 2, 3} table.insert(t, 5, 9) return t[5]",
		"local t = {1, 2, 3} return table.remove(t, 1), table.concat(t, ' ')",
		"local t = {1, 2, 3} return table.remove(t), #t", "return table.remove({}, 2)",
		"local t = {3, 1, 2} table.sort(t) return table.concat(t, ' ')",
		"local t = {3, 1, 2} table.sort(t, function(a, b) return a > b end) return table.concat(t, ' ')",
		"table.sort({3, 'x', 1})", "return utf8.len('h\xc3\xa9llo')", "return utf8.len('\xff')",
		"return utf8.offset('h\xc3\xa9llo', 3)", "return utf8.len(nil)",
	};
	struct pair *pr = pair_open();
	char a[2048], b[2048];
	for (size_t i = 0; i < sizeof code / sizeof *code; i++) {
		run(pr->stock, "", 0, "", 0, code[i], a, sizeof a);
		run(pr->sb.L, "", 0, "", 0, code[i], b, sizeof b);
		if (strcmp(a, b) != 0)
			fail_msg("%s:\n  Lua:     %s\n  sandbox: %s", code[i], a, b);
	}
	pair_close(pr);
}

static void test_explosive_pattern_ends(void **state)
{
	(void)state;
	struct sandbox sb;
	struct sandbox_limits lim = {.max_instructions = 10000000, .max_memory = 64u << 20};
	assert_int_equal(sandbox_open(&sb, &lim, NULL), 0);
	const char *code = "return string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')";
	assert_int_equal(luaL_loadstring(sb.L, code), LUA_OK);
	assert_int_not_equal(lua_pcall(sb.L, 0, 1, 0), LUA_OK);
	const char *msg = lua_tostring(sb.L, -1);
	assert_non_null(strstr(msg, "instruction budget of 10000000 instructions used up"));
	assert_true(sb.fatal);
	sandbox_close(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_picked),
		cmocka_unit_test(test_random_patterns),
		cmocka_unit_test(test_wrapped_functions_behave_as_lua),
		cmocka_unit_test(test_explosive_pattern_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
