/*
 * What a class sees of a lecture scenario replayed with `continue`: every
 * say() must stand as the caption at some stop (a caption replaced before a
 * stop is never read), the caption at each pause() must ask the class
 * something (a '?'), and every caption must fit the two caption lines of a
 * 120-column screen when wrapped on whole words after the title.
 *
 * usage: lecture_check SCENARIO.lua…   (exit 1 and a line per problem)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/session.h"

#define COLUMNS 120

/* Lines the caption pane needs for text wrapped on words: the first line
 * after the title, the second the full width (view_status.c's rule). */
static int caption_lines(const char *title, const char *text)
{
	int width = COLUMNS - 2 - (title ? (int)strlen(title) + 2 : 0);
	int lines = 0;
	while (*text) {
		int len = (int)strlen(text), take = len < width ? len : width;
		if (take < len) {
			int sp = take;
			while (sp > 0 && text[sp] != ' ')
				sp--;
			if (sp == 0)
				return 99; /* a word longer than the line */
			take = sp;
		}
		text += take;
		while (*text == ' ')
			text++;
		lines++;
		width = COLUMNS - 2;
	}
	return lines;
}

static int check(const char *file)
{
	struct scenario_opts o;
	char why[512] = "";
	scenario_opts_default(&o);
	struct session *s = session_new(&o, NULL, NULL, why, sizeof why);
	struct strbuf out = {0};
	if (!s || session_load(s, file, &out) != 0) {
		printf("%s: does not load: %s%s\n", file, why, out.s ? out.s : "");
		strbuf_free(&out);
		session_free(s);
		return 1;
	}
	strbuf_free(&out);
	session_run_all(s);
	uint32_t n = s->nnotes;
	char *shown = calloc(n ? n : 1, 1);
	int problems = 0;
	for (int guard = 0; guard < 100000; guard++) {
		const struct note *say = session_note(s, NOTE_SAY);
		if (say)
			shown[say - s->notes] = 1;
		enum stop_reason r = session_continue(s, false);
		if (r == STOP_PAUSE) {
			say = session_note(s, NOTE_SAY);
			const struct note *p = session_note(s, NOTE_PAUSE);
			if (!say || !strchr(say->text, '?')) {
				printf("%s:%d: pause() with no question on screen (caption: %s)\n", file,
				       p ? p->line : 0, say ? say->text : "none");
				problems++;
			}
		}
		if (r != STOP_PAUSE && r != STOP_DONE && r != STOP_BREAKPOINT && r != STOP_WATCH) {
			say = session_note(s, NOTE_SAY);
			if (say)
				shown[say - s->notes] = 1;
			if (r == STOP_ERROR) {
				printf("%s: the scenario raised an error: %s\n", file, s->stop_msg);
				problems++;
			}
			break;
		}
	}
	for (uint32_t i = 0; i < s->nnotes && i < n; i++) {
		const struct note *nt = &s->notes[i];
		if (nt->kind != NOTE_SAY)
			continue;
		if (!shown[i]) {
			printf("%s:%d: say() replaced before any stop shows it: %s\n", file, nt->line, nt->text);
			problems++;
		}
		const struct note *title = NULL;
		for (uint32_t k = 0; k < i; k++)
			if (s->notes[k].kind == NOTE_TITLE)
				title = &s->notes[k];
		if (caption_lines(title ? title->text : NULL, nt->text) > 2) {
			printf("%s:%d: caption does not fit two lines at %d columns: %s\n", file, nt->line, COLUMNS,
			       nt->text);
			problems++;
		}
	}
	free(shown);
	session_free(s);
	return problems != 0;
}

int main(int argc, char **argv)
{
	int bad = 0;
	for (int i = 1; i < argc; i++)
		bad |= check(argv[i]);
	return bad;
}
