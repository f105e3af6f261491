/*
 * ask{}: a scenario's own quiz question (lapi_quiz.c).  The questions live
 * in the Lua state, each at the position where ask() ran; a front end in
 * quiz mode poses the one at the cursor.
 */
#ifndef SCRIPT_LAPI_QUIZ_H
#define SCRIPT_LAPI_QUIZ_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario.h"

#define QUIZ_MAX_CHOICES 8

struct quiz_ask {
	int line;
	char question[300];
	char choices[QUIZ_MAX_CHOICES][80];
	int nchoices;
	int answer;         /* index into choices, -1 when answer= gave none of them */
	char error[300];    /* why answer= could not be told, "" if it could */
};

/* Open ask() in the scenario's globals. */
void lapi_open_quiz(lua_State *L);
/* Did ask() make a question at position `at`? */
bool lapi_quiz_has(struct scenario *sc, uint32_t at);
/* The question ask() made at position `at`, its answer worked out (an
 * answer= function is called now, the first time, and its value kept);
 * false if none. */
bool lapi_quiz_at(struct scenario *sc, uint32_t at, struct quiz_ask *out);

#endif
