/* The TUI's command line: editing, history, completion from the command
 * table.  tui.c runs what it hands back. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/commands.h"
#include "mm/xalloc.h"
#include "tui.h"

#define CTRL(c) ((c) & 0x1f)

static void history_add(struct tui *t, const char *line)
{
	if (!*line || (t->nhistory && strcmp(t->history[t->nhistory - 1], line) == 0))
		return;
	t->history = xrealloc(t->history, (size_t)(t->nhistory + 1) * sizeof *t->history);
	t->history[t->nhistory++] = xstrdup(line);
}

struct completion {
	char first[128];
	int n;
};

static void add_completion(void *ctx, const char *word)
{
	struct completion *c = ctx;
	if (!c->n++)
		snprintf(c->first, sizeof c->first, "%s", word);
	else {
		/* keep the common prefix */
		int i = 0;
		while (c->first[i] && c->first[i] == word[i])
			i++;
		c->first[i] = 0;
	}
}

static void complete(struct tui *t)
{
	int start = t->pos;
	while (start > 0 && !strchr(" \t(\"',=", t->line[start - 1]))
		start--;
	char prefix[128];
	snprintf(prefix, sizeof prefix, "%.*s", t->pos - start, t->line + start);
	struct completion c = {{0}, 0};
	command_complete(t->s, t->line, start, prefix, add_completion, &c);
	int add = (int)strlen(c.first) - (int)strlen(prefix);
	if (c.n && add > 0 && t->len + add < (int)sizeof t->line - 1) {
		memmove(t->line + t->pos + add, t->line + t->pos, (size_t)(t->len - t->pos + 1));
		memcpy(t->line + t->pos, c.first + strlen(prefix), (size_t)add);
		t->len += add;
		t->pos += add;
	}
}

bool cmdline_key(struct tui *t, int ch)
{
	switch (ch) {
	case '\n':
	case KEY_ENTER:
		t->editing = false;
		history_add(t, t->line);
		return true;
	case 27: /* Escape */
		t->editing = false;
		return false;
	case KEY_BACKSPACE:
	case 127:
	case CTRL('h'):
		if (t->pos > 0) {
			memmove(t->line + t->pos - 1, t->line + t->pos, (size_t)(t->len - t->pos + 1));
			t->pos--;
			t->len--;
		} else if (!t->len) {
			t->editing = false;
		}
		return false;
	case KEY_DC:
		if (t->pos < t->len) {
			memmove(t->line + t->pos, t->line + t->pos + 1, (size_t)(t->len - t->pos));
			t->len--;
		}
		return false;
	case KEY_LEFT: if (t->pos > 0) t->pos--; return false;
	case KEY_RIGHT: if (t->pos < t->len) t->pos++; return false;
	case KEY_HOME: case CTRL('a'): t->pos = 0; return false;
	case KEY_END: case CTRL('e'): t->pos = t->len; return false;
	case CTRL('u'): t->line[0] = 0; t->len = t->pos = 0; return false;
	case '\t': complete(t); return false;
	case KEY_UP:
	case KEY_DOWN:
		if (!t->nhistory)
			return false;
		t->hpos += ch == KEY_UP ? -1 : 1;
		if (t->hpos < 0)
			t->hpos = 0;
		if (t->hpos >= t->nhistory) {
			t->hpos = t->nhistory;
			t->line[0] = 0;
		} else {
			snprintf(t->line, sizeof t->line, "%s", t->history[t->hpos]);
		}
		t->len = t->pos = (int)strlen(t->line);
		return false;
	}
	if (ch >= 32 && ch < 256 && t->len < (int)sizeof t->line - 1) {
		memmove(t->line + t->pos + 1, t->line + t->pos, (size_t)(t->len - t->pos + 1));
		t->line[t->pos++] = (char)ch;
		t->len++;
	}
	return false;
}

void cmdline_open(struct tui *t, const char *text)
{
	t->editing = true;
	snprintf(t->line, sizeof t->line, "%s", text);
	t->len = t->pos = (int)strlen(t->line);
	t->hpos = t->nhistory;
}

void cmdline_free(struct tui *t)
{
	for (int i = 0; i < t->nhistory; i++)
		free(t->history[i]);
	free(t->history);
	t->history = NULL;
	t->nhistory = 0;
}
