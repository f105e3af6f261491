/*
 * ask{question=, choices={…}, answer=…}: a question for the class, posed
 * in quiz mode where ask() ran (usually just before a pause()).  answer is
 * one of the choices (its text or its 1-based index) or a function that
 * returns one; a function is called when the question is first posed, as
 * if just after the operation that follows it had returned (the quiz runs
 * the scenario that far, quiz.c), so it can look at what happened, e.g.
 *
 *   ask{question = "Which zone serves it?", choices = {"DMA", "DMA32", "Normal"},
 *       answer = function() return p.zone end}
 *   pause()
 *   p = alloc_pages(0)
 *
 * The questions are kept in a registry table keyed by position.
 */
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "lapi_quiz.h"

static const char asks_key[] = "memstep.asks";

static void push_asks(lua_State *L)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, asks_key) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, asks_key);
	}
}

static int l_ask(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (lua_getfield(L, 1, "question") != LUA_TSTRING)
		return luaL_error(L, "ask: question must be a string");
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "choices") != LUA_TTABLE)
		return luaL_error(L, "ask: choices must be a list of strings");
	lua_Integer n = luaL_len(L, -1);
	if (n < 2 || n > QUIZ_MAX_CHOICES)
		return luaL_error(L, "ask: between 2 and %d choices, not %d", QUIZ_MAX_CHOICES, (int)n);
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_geti(L, -1, i) != LUA_TSTRING)
			return luaL_error(L, "ask: choice %d is not a string", (int)i);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	int t = lua_getfield(L, 1, "answer");
	if (t != LUA_TSTRING && t != LUA_TNUMBER && t != LUA_TFUNCTION)
		return luaL_error(L, "ask: answer must be a choice, its number, or a function returning one");
	lua_pop(L, 1);
	struct scenario *sc = scenario_of(L);
	lua_Integer at = sc->m->step_base + sc->m->j.nsteps;
	lapi_set_int(L, "line", lapi_line(L)); /* the table is the record */
	push_asks(L);
	lua_pushvalue(L, 1);
	lua_seti(L, -2, at);
	lua_pop(L, 1);
	return 0;
}

void lapi_open_quiz(lua_State *L)
{
	lua_pushcfunction(L, l_ask);
	lua_setglobal(L, "ask");
}

/* The answer value on the stack top (popped) as a choice index, or -1. */
static int choice_of(lua_State *L, const struct quiz_ask *q)
{
	int i = -1;
	if (lua_type(L, -1) == LUA_TNUMBER) {
		lua_Integer k = lua_tointeger(L, -1);
		i = k >= 1 && k <= q->nchoices ? (int)k - 1 : -1;
	} else if (lua_type(L, -1) == LUA_TSTRING) {
		for (int k = 0; k < q->nchoices && i < 0; k++)
			if (strcmp(q->choices[k], lua_tostring(L, -1)) == 0)
				i = k;
	}
	lua_pop(L, 1);
	return i;
}

bool lapi_quiz_has(struct scenario *sc, uint32_t at)
{
	lua_State *L = sc->sb.L;
	push_asks(L);
	bool has = lua_geti(L, -1, at) == LUA_TTABLE;
	lua_pop(L, 2);
	return has;
}

bool lapi_quiz_at(struct scenario *sc, uint32_t at, struct quiz_ask *out)
{
	lua_State *L = sc->sb.L;
	int top = lua_gettop(L);
	bool found = false;
	memset(out, 0, sizeof *out);
	push_asks(L);
	if (lua_geti(L, -1, at) != LUA_TTABLE)
		goto done;
	int rec = lua_gettop(L);
	lua_getfield(L, rec, "question");
	snprintf(out->question, sizeof out->question, "%s", lua_tostring(L, -1));
	lua_getfield(L, rec, "line");
	out->line = (int)lua_tointeger(L, -1);
	lua_getfield(L, rec, "choices");
	out->nchoices = (int)luaL_len(L, -1);
	for (int i = 0; i < out->nchoices; i++) {
		lua_geti(L, -1, i + 1);
		snprintf(out->choices[i], sizeof out->choices[i], "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_settop(L, rec);
	if (lua_getfield(L, rec, "answer") == LUA_TFUNCTION) {
		/* called once, as an on() hook is: it may look, not operate;
		 * the value replaces the function */
		bool in_hook = sc->in_hook;
		sc->in_hook = true;
		int rc = lua_pcall(L, 0, 1, 0);
		sc->in_hook = in_hook;
		if (rc != LUA_OK) {
			snprintf(out->error, sizeof out->error, "ask (line %d): %s", out->line, lua_tostring(L, -1));
			lua_pop(L, 1);
			lua_pushboolean(L, 0);
		}
		lua_pushvalue(L, -1);
		lua_setfield(L, rec, "answer");
	}
	out->answer = choice_of(L, out);
	if (out->answer < 0 && !out->error[0])
		snprintf(out->error, sizeof out->error, "ask (line %d): the answer is none of the choices", out->line);
	found = true;
done:
	lua_settop(L, top);
	return found;
}
