/*
 * Lua 5.4's pattern matching (string.find, match, gmatch, gsub), written for
 * the sandbox so that its work is counted.  Lua's own matcher backtracks in C
 * without a VM instruction: `("a"):rep(40):find(("a*"):rep(40) .. "b")`
 * takes longer than the universe has left, out of the count hook's reach.
 * This one follows the manual's rules (section 6.4.1: classes, sets,
 * quantifiers * + - ?, anchors, captures and position captures, %b, %f,
 * back-references) and the library's results and messages, and charges each
 * step it takes to the instruction budget as it goes, so an explosive
 * pattern ends with the budget's error.
 */
#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#include "sandbox.h"

#define MAX_CAPTURES 32   /* LUA_MAXCAPTURES */
#define MAX_DEPTH 200     /* MAXCCALLS: recursion before "pattern too complex" */
#define CHARGE_EVERY 4096 /* steps between charges to the budget */
#define CAP_OPEN (-1)
#define CAP_POSITION (-2)
#define SPECIALS "^$*+?.([%-"

struct matcher {
	const char *src, *src_end, *pat_end;
	lua_State *L;
	int depth, level;
	uint64_t steps;
	struct {
		const char *at;
		ptrdiff_t len;
	} cap[MAX_CAPTURES];
};

static void step(struct matcher *m, uint64_t n)
{
	m->steps += n;
	if (m->steps >= CHARGE_EVERY) {
		uint64_t s = m->steps;
		m->steps = 0;
		sandbox_charge(m->L, s);
	}
}

static bool class_match(int c, int cl)
{
	bool r;
	switch (tolower(cl)) {
	case 'a': r = isalpha(c); break;
	case 'c': r = iscntrl(c); break;
	case 'd': r = isdigit(c); break;
	case 'g': r = isgraph(c); break;
	case 'l': r = islower(c); break;
	case 'p': r = ispunct(c); break;
	case 's': r = isspace(c); break;
	case 'u': r = isupper(c); break;
	case 'w': r = isalnum(c); break;
	case 'x': r = isxdigit(c); break;
	case 'z': r = c == 0; break; /* deprecated, still in Lua 5.4 */
	default: return cl == c;
	}
	return isupper(cl) ? !r : r;
}

/* One past the single-character class at p. */
static const char *class_end(struct matcher *m, const char *p)
{
	switch (*p++) {
	case '%':
		if (p == m->pat_end)
			luaL_error(m->L, "malformed pattern (ends with '%%')");
		return p + 1;
	case '[':
		if (*p == '^')
			p++;
		do { /* the first ']' of a set is itself */
			if (p == m->pat_end)
				luaL_error(m->L, "malformed pattern (missing ']')");
			if (*p++ == '%' && p < m->pat_end)
				p++;
		} while (*p != ']');
		return p + 1;
	default:
		return p;
	}
}

/* c against the set [ ... ] from p (at '[') to ec (at its ']'). */
static bool set_match(int c, const char *p, const char *ec)
{
	bool in = true;
	if (*++p == '^') {
		in = false;
		p++;
	}
	for (; p < ec; p++) {
		if (*p == '%' && p + 1 < ec) {
			p++;
			if (class_match(c, (unsigned char)*p))
				return in;
		} else if (p[1] == '-' && p + 2 < ec) {
			if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
				return in;
			p += 2;
		} else if ((unsigned char)*p == c) {
			return in;
		}
	}
	return !in;
}

static bool single_match(struct matcher *m, const char *s, const char *p, const char *ep)
{
	if (s >= m->src_end)
		return false;
	int c = (unsigned char)*s;
	switch (*p) {
	case '.': return true;
	case '%': return class_match(c, (unsigned char)p[1]);
	case '[': return set_match(c, p, ep - 1);
	default: return (unsigned char)*p == c;
	}
}

static const char *match(struct matcher *m, const char *s, const char *p);

static int open_capture_level(struct matcher *m)
{
	for (int l = m->level - 1; l >= 0; l--)
		if (m->cap[l].len == CAP_OPEN)
			return l;
	return luaL_error(m->L, "invalid pattern capture");
}

static const char *start_capture(struct matcher *m, const char *s, const char *p, ptrdiff_t what)
{
	if (m->level >= MAX_CAPTURES)
		luaL_error(m->L, "too many captures");
	m->cap[m->level].at = s;
	m->cap[m->level].len = what;
	m->level++;
	const char *r = match(m, s, p);
	if (!r)
		m->level--;
	return r;
}

static const char *end_capture(struct matcher *m, const char *s, const char *p)
{
	int l = open_capture_level(m);
	m->cap[l].len = s - m->cap[l].at;
	const char *r = match(m, s, p);
	if (!r)
		m->cap[l].len = CAP_OPEN;
	return r;
}

static const char *balance(struct matcher *m, const char *s, const char *p)
{
	if (p + 1 >= m->pat_end)
		luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
	if (s >= m->src_end || *s != *p)
		return NULL;
	int depth = 1;
	for (const char *q = s + 1; q < m->src_end; q++) {
		step(m, 1);
		if (*q == p[1]) {
			if (--depth == 0)
				return q + 1;
		} else if (*q == *p) {
			depth++;
		}
	}
	return NULL;
}

static const char *back_reference(struct matcher *m, const char *s, int digit)
{
	int l = digit - '1';
	if (l < 0 || l >= m->level || m->cap[l].len == CAP_OPEN)
		luaL_error(m->L, "invalid capture index %%%d", l + 1);
	size_t len = (size_t)m->cap[l].len;
	step(m, len);
	if ((size_t)(m->src_end - s) >= len && memcmp(m->cap[l].at, s, len) == 0)
		return s + len;
	return NULL;
}

/* Greedy: the longest run first, then shorter ones. */
static const char *max_expand(struct matcher *m, const char *s, const char *p, const char *ep)
{
	ptrdiff_t i = 0;
	while (single_match(m, s + i, p, ep))
		i++;
	step(m, (uint64_t)i);
	for (; i >= 0; i--) {
		const char *r = match(m, s + i, ep + 1);
		if (r)
			return r;
	}
	return NULL;
}

/* Lazy: the shortest run first, then one more at a time. */
static const char *min_expand(struct matcher *m, const char *s, const char *p, const char *ep)
{
	for (;;) {
		const char *r = match(m, s, ep + 1);
		if (r)
			return r;
		if (!single_match(m, s, p, ep))
			return NULL;
		s++;
	}
}

/* Items that end the pattern's sequence here (captures, repetitions) recurse;
 * the others go on in the loop, as Lua's matcher does, so that a long plain
 * pattern does not count as deep. */
static const char *match(struct matcher *m, const char *s, const char *p)
{
	if (m->depth-- == 0)
		luaL_error(m->L, "pattern too complex");
	const char *r = NULL, *ep;
	for (;;) {
		step(m, 1);
		if (p == m->pat_end) {
			r = s;
			goto done;
		}
		switch (*p) {
		case '(':
			r = p[1] == ')' ? start_capture(m, s, p + 2, CAP_POSITION) : start_capture(m, s, p + 1, CAP_OPEN);
			goto done;
		case ')':
			r = end_capture(m, s, p + 1);
			goto done;
		case '$':
			if (p + 1 != m->pat_end)
				break;
			r = s == m->src_end ? s : NULL;
			goto done;
		case '%':
			if (p[1] == 'b') {
				if (!(s = balance(m, s, p + 2)))
					goto done;
				p += 4;
				continue;
			}
			if (p[1] == 'f') {
				p += 2;
				if (*p != '[')
					luaL_error(m->L, "missing '[' after '%%f' in pattern");
				ep = class_end(m, p);
				int prev = s == m->src ? 0 : (unsigned char)s[-1];
				int cur = s < m->src_end ? (unsigned char)*s : 0;
				if (set_match(prev, p, ep - 1) || !set_match(cur, p, ep - 1))
					goto done;
				p = ep;
				continue;
			}
			if (isdigit((unsigned char)p[1])) {
				if (!(s = back_reference(m, s, (unsigned char)p[1])))
					goto done;
				p += 2;
				continue;
			}
			break;
		}
		/* a single-character class, maybe repeated */
		ep = class_end(m, p);
		bool ok = single_match(m, s, p, ep);
		switch (*ep) {
		case '?':
			if (ok && (r = match(m, s + 1, ep + 1)))
				goto done;
			p = ep + 1;
			continue;
		case '+':
			r = ok ? max_expand(m, s + 1, p, ep) : NULL;
			goto done;
		case '*':
			r = max_expand(m, s, p, ep);
			goto done;
		case '-':
			r = min_expand(m, s, p, ep);
			goto done;
		default:
			if (!ok)
				goto done;
			s++;
			p = ep;
		}
	}
done:
	m->depth++;
	return r;
}

static void matcher_init(struct matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp)
{
	m->L = L;
	m->src = s;
	m->src_end = s + ls;
	m->pat_end = p + lp;
	m->steps = 0;
	m->depth = MAX_DEPTH;
	m->level = 0;
}

/* Capture i of a match from s to e (the whole match when there are none). */
static void push_capture(struct matcher *m, int i, const char *s, const char *e)
{
	if (i >= m->level) {
		if (i != 0)
			luaL_error(m->L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(m->L, s, (size_t)(e - s));
	} else if (m->cap[i].len == CAP_POSITION) {
		lua_pushinteger(m->L, m->cap[i].at - m->src + 1);
	} else if (m->cap[i].len == CAP_OPEN) {
		luaL_error(m->L, "unfinished capture");
	} else {
		lua_pushlstring(m->L, m->cap[i].at, (size_t)m->cap[i].len);
	}
}

static int push_captures(struct matcher *m, const char *s, const char *e, bool whole)
{
	int n = m->level == 0 && whole ? 1 : m->level;
	luaL_checkstack(m->L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(m, i, s, e);
	return n;
}

/* An init argument as a 0-based offset, or -1 when past the end. */
static ptrdiff_t start_offset(lua_State *L, int arg, size_t ls)
{
	lua_Integer i = luaL_optinteger(L, arg, 1);
	if (i > 0)
		return (size_t)i - 1 > ls ? -1 : (ptrdiff_t)i - 1;
	if (i == 0 || (lua_Unsigned)-i > ls)
		return 0;
	return (ptrdiff_t)ls + (ptrdiff_t)i;
}

static const char *plain_find(const char *s, size_t ls, const char *p, size_t lp)
{
	if (lp == 0)
		return s;
	for (const char *q = s; lp <= ls - (size_t)(q - s); q++) {
		q = memchr(q, *p, ls - (size_t)(q - s) - lp + 1);
		if (!q)
			return NULL;
		if (memcmp(q + 1, p + 1, lp - 1) == 0)
			return q;
	}
	return NULL;
}

static bool no_specials(const char *p, size_t lp)
{
	for (size_t i = 0; i < lp; i++)
		if (p[i] && strchr(SPECIALS, p[i]))
			return false;
	return true;
}

static int find_aux(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	ptrdiff_t init = start_offset(L, 3, ls);
	if (init < 0) {
		luaL_pushfail(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
		sandbox_charge(L, (ls - (size_t)init) / 4);
		const char *at = plain_find(s + init, ls - (size_t)init, p, lp);
		if (!at) {
			luaL_pushfail(L);
			return 1;
		}
		lua_pushinteger(L, at - s + 1);
		lua_pushinteger(L, at - s + (ptrdiff_t)lp);
		return 2;
	}
	struct matcher m;
	bool anchor = *p == '^';
	if (anchor) {
		p++;
		lp--;
	}
	matcher_init(&m, L, s, ls, p, lp);
	const char *s1 = s + init;
	do {
		m.level = 0;
		const char *e = match(&m, s1, p);
		if (e) {
			if (!find)
				return push_captures(&m, s1, e, true);
			lua_pushinteger(L, s1 - s + 1);
			lua_pushinteger(L, e - s);
			return push_captures(&m, NULL, NULL, false) + 2;
		}
	} while (s1++ < m.src_end && !anchor);
	luaL_pushfail(L);
	return 1;
}

static int p_find(lua_State *L)
{
	return find_aux(L, true);
}

static int p_match(lua_State *L)
{
	return find_aux(L, false);
}

/* gmatch's state, a userdata: where to go on from, and the last match's
 * end (an empty match there is skipped). */
struct gmatch_state {
	size_t next, last; /* offsets; last = SIZE_MAX for none yet */
};

static int gmatch_next(lua_State *L)
{
	size_t ls, lp;
	const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
	const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
	struct gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
	struct matcher m;
	matcher_init(&m, L, s, ls, p, lp);
	for (const char *src = s + g->next; src <= m.src_end; src++) {
		m.level = 0;
		const char *e = match(&m, src, p);
		if (e && (size_t)(e - s) != g->last) {
			g->next = g->last = (size_t)(e - s);
			return push_captures(&m, src, e, true);
		}
	}
	g->next = ls + 1;
	return 0;
}

static int p_gmatch(lua_State *L)
{
	size_t ls;
	luaL_checklstring(L, 1, &ls);
	luaL_checkstring(L, 2);
	ptrdiff_t init = start_offset(L, 3, ls);
	lua_settop(L, 2);
	struct gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
	g->next = init < 0 ? ls + 1 : (size_t)init;
	g->last = SIZE_MAX;
	lua_pushcclosure(L, gmatch_next, 3);
	return 1;
}

static void add_string_replacement(struct matcher *m, luaL_Buffer *b, const char *s, const char *e)
{
	size_t l;
	const char *r = lua_tolstring(m->L, 3, &l);
	for (const char *q = r; q < r + l; q++) {
		if (*q != '%') {
			luaL_addchar(b, *q);
			continue;
		}
		q++;
		if (q < r + l && *q == '%') {
			luaL_addchar(b, '%');
		} else if (q < r + l && isdigit((unsigned char)*q)) {
			if (*q == '0')
				luaL_addlstring(b, s, (size_t)(e - s));
			else {
				push_capture(m, *q - '1', s, e);
				luaL_addvalue(b);
			}
		} else {
			luaL_error(m->L, "invalid use of '%%' in replacement string");
		}
	}
}

/* Add what replaces the match from s to e; false or nil keeps it. */
static void add_replacement(struct matcher *m, luaL_Buffer *b, const char *s, const char *e, int type)
{
	lua_State *L = m->L;
	if (type == LUA_TNUMBER || type == LUA_TSTRING) {
		add_string_replacement(m, b, s, e);
		return;
	}
	if (type == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		int n = push_captures(m, s, e, true);
		lua_call(L, n, 1);
	} else {
		push_capture(m, 0, s, e);
		lua_gettable(L, 3);
	}
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s));
	} else if (!lua_isstring(L, -1)) {
		luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	} else {
		luaL_addvalue(b);
	}
}

static int p_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *src = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int type = lua_type(L, 3);
	lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
	luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE,
			 3, "string/function/table");
	bool anchor = *p == '^';
	if (anchor) {
		p++;
		lp--;
	}
	struct matcher m;
	matcher_init(&m, L, src, ls, p, lp);
	const char *last = NULL;
	lua_Integer n = 0;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	while (n < max) {
		m.level = 0;
		const char *e = match(&m, src, p);
		if (e && e != last) {
			n++;
			add_replacement(&m, &b, src, e, type);
			src = last = e;
		} else if (src < m.src_end) {
			luaL_addchar(&b, *src++);
		} else {
			break;
		}
		if (anchor)
			break;
	}
	luaL_addlstring(&b, src, (size_t)(m.src_end - src));
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

void sandbox_open_patterns(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"find", p_find}, {"match", p_match}, {"gmatch", p_gmatch}, {"gsub", p_gsub}, {NULL, NULL},
	};
	lua_getglobal(L, "string");
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
