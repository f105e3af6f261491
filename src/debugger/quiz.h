/*
 * Quiz mode: at a question point the class is asked what the next
 * operation will do, as a multiple choice built from the fields of the
 * events it is about to make (the scenario has already recorded them, one
 * operation ahead of the cursor), or the scenario's own ask{} question.
 * Front ends pose it and reveal the answer; a batch run grades a file of
 * answers.  Knows no screen.
 */
#ifndef DEBUGGER_QUIZ_H
#define DEBUGGER_QUIZ_H

#include <stdbool.h>
#include <stdint.h>

#include "script/lapi_quiz.h"
#include "session.h"

struct quiz_question {
	uint32_t at;       /* the position it is asked at */
	int line;          /* the scenario line it is about */
	char question[300];
	char choices[QUIZ_MAX_CHOICES][80];
	int nchoices;
	int answer;        /* index into choices */
	char explain[600]; /* why: the deciding event, or the scenario's note */
};

/* Where questions are asked: at every pause() (and ask{}), and before
 * every operation that makes an event of kind `every` (-1: none). */
struct quiz_opts {
	int every;
};

/* Is position `at` a question point? */
bool quiz_due(const struct session *s, const struct quiz_opts *o, uint32_t at);
/* The question at `at`: the scenario's own, else one built from the next
 * operation's events.  false when there is nothing to ask (no operation
 * follows, or none of a kind the quiz knows), with why set. */
bool quiz_build(struct session *s, uint32_t at, struct quiz_question *q, char *why, size_t whylen);
/* Which choice an answer names: its number (1-based), its letter (a, b…)
 * or its text, ignoring case; -1 if none. */
int quiz_choice(const struct quiz_question *q, const char *answer);

#endif
