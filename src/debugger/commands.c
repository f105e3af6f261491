/* The command table and its handlers (see commands.h). */
#include "mm/xalloc.h"
#include "commands.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mm/gfp.h"
#include "mm/trace.h"

/* ---- argument helpers ---- */

static bool parse_count(const struct cmd_args *a, int i, long *n, struct strbuf *out)
{
	*n = 1;
	if (a->argc <= i)
		return true;
	char *end;
	*n = strtol(a->argv[i], &end, 0);
	if (*end || *n < 1) {
		strbuf_printf(out, "%s: expected a positive count, not '%s'\n", a->argv[0], a->argv[i]);
		return false;
	}
	return true;
}

bool command_parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long x = strtoul(s, &end, 0);
	if (!*s || *end || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

static int motion(struct session *s, enum stop_reason r, uint32_t from, struct strbuf *out)
{
	command_report_motion(s, from, r, out);
	return 0;
}

/* ---- handlers ---- */

/* step/next [N] and their reverses: a count, then the motion (sign -1 back). */
static int counted(struct session *s, const struct cmd_args *a, struct strbuf *out,
		   enum stop_reason (*move)(struct session *, long), long sign)
{
	long n;
	uint32_t from = session_cursor(s);
	if (!parse_count(a, 1, &n, out))
		return -1;
	return motion(s, move(s, sign * n), from, out);
}

static int do_step(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	return counted(s, a, out, session_step, 1);
}

static int do_reverse_step(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	return counted(s, a, out, session_step, -1);
}

static int do_next(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	return counted(s, a, out, session_next, 1);
}

static int do_reverse_next(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	return counted(s, a, out, session_next, -1);
}

static int do_continue(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)a;
	uint32_t from = session_cursor(s);
	return motion(s, session_continue(s, false), from, out);
}

static int do_reverse_continue(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)a;
	uint32_t from = session_cursor(s);
	return motion(s, session_continue(s, true), from, out);
}

static int do_goto(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	uint32_t from = session_cursor(s), pos;
	if (a->argc < 2) {
		strbuf_printf(out, "goto: which step or mark?\n");
		return -1;
	}
	if (!command_parse_u32(a->argv[1], &pos)) {
		long at = session_mark(s, a->argv[1]);
		if (at < 0) {
			/* A mark may lie ahead: run the scenario to find it. */
			session_run_all(s);
			at = session_mark(s, a->argv[1]);
		}
		if (at < 0) {
			strbuf_printf(out, "goto: no step or mark '%s'\n", a->argv[1]);
			return -1;
		}
		pos = (uint32_t)at;
	}
	enum stop_reason r = session_goto(s, pos);
	if (r == STOP_END && session_cursor(s) < pos)
		snprintf(s->stop_msg, sizeof s->stop_msg, "there is no step %u: the scenario ends at step %u", pos,
			 session_known(s));
	return motion(s, r, from, out);
}

static int do_info(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	return info_run(s, a, out);
}

static int do_list(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	uint32_t line = 0;
	if (a->argc > 1 && !command_parse_u32(a->argv[1], &line)) {
		strbuf_printf(out, "list: expected a line number\n");
		return -1;
	}
	info_list(s, (int)line, out);
	return 0;
}

static int do_play(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	if (a->argc > 1) {
		char *end;
		double v = strtod(a->argv[1], &end);
		if (*end || v <= 0 || v > 1000) {
			strbuf_printf(out, "play: steps per second from 0.1 to 1000, not '%s'\n", a->argv[1]);
			return -1;
		}
		s->speed = v;
	}
	s->playing = true;
	return 0;
}

static int do_pause(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)a;
	(void)out;
	s->playing = false;
	return 0;
}

/* A failed load changed nothing (session_load): say so. */
static void unchanged(const struct session *s, struct strbuf *out)
{
	strbuf_printf(out, "(nothing changed: still %s%s, at step %u)\n", s->file[0] ? "on " : "without a scenario",
		      s->file, session_cursor(s));
}

static int do_restart(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)a;
	if (session_restart(s, out) != 0) {
		unchanged(s, out);
		return -1;
	}
	command_report_start(s, out);
	return 0;
}

static int do_run(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	if (a->argc < 2) {
		strbuf_printf(out, "run: which file?\n");
		return -1;
	}
	if (session_load(s, a->rest[1], out) != 0) {
		unchanged(s, out);
		return -1;
	}
	command_report_start(s, out);
	return 0;
}

static int eval_lua(struct session *s, const char *code, struct strbuf *out);

static int do_lua(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	if (a->argc < 2) {
		strbuf_printf(out, "lua: which code? e.g. `lua step = 1`\n");
		return -1;
	}
	return eval_lua(s, a->rest[1], out);
}

static int do_undo(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)a;
	uint32_t from = session_cursor(s);
	if (session_undo(s, out) != 0)
		return -1;
	command_report_motion(s, from, STOP_DONE, out);
	return 0;
}

static int do_help(struct session *s, const struct cmd_args *a, struct strbuf *out);

static int do_quit(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)a;
	(void)out;
	s->quit = true;
	return 0;
}

const struct command commands[] = {
	{"step", "s", "[N]", "take N steps forward (one event each)", do_step, COMPLETE_NONE, true, true},
	{"next", "n", "[N]", "go forward N whole operations (API calls)", do_next, COMPLETE_NONE, true, true},
	{"continue", "c", "", "go forward to a breakpoint, a watch, a pause() or the end", do_continue,
	 COMPLETE_NONE, true, true},
	{"reverse-step", "rs", "[N]", "take N steps back", do_reverse_step, COMPLETE_NONE, true, true},
	{"reverse-next", "rn", "[N]", "go back to the start of the operation (N times)", do_reverse_next, COMPLETE_NONE, true, true},
	{"reverse-continue", "rc", "", "go back to a breakpoint, a watch, a pause() or the start", do_reverse_continue,
	 COMPLETE_NONE, true, true},
	{"goto", "g", "N|MARK", "go to step N (0 = before the first) or to a mark()", do_goto, COMPLETE_MARK, true, false},
	{"break", "b", "KIND [if EXPR]",
	 "stop after each event of KIND, e.g. `break split if order >= 3` (EXPR is Lua over the event's fields)",
	 command_break, COMPLETE_KIND, false, false},
	{"watch", NULL, "pfn N | zone NAME [NODE]", "stop when a frame's block or a zone's free lists change",
	 command_watch, COMPLETE_WATCH, false, false},
	{"delete", "d", "[N]", "delete breakpoint or watch N (all without N)", command_delete, COMPLETE_NONE, false, false},
	{"disable", NULL, "[N...]", "keep breakpoints or watches N but stop at none of them (all without N)",
	 command_disable, COMPLETE_NONE, false, false},
	{"enable", NULL, "[N...]", "make breakpoints or watches N stop again (all without N)", command_enable,
	 COMPLETE_NONE, false, false},
	{"info", "i", NULL, "show the machine or the session (`help info` lists the topics)",
	 do_info, COMPLETE_INFO, false, false},
	{"list", "l", "[LINE]", "show the scenario source around the current line", do_list, COMPLETE_NONE, false, false},
	{"play", NULL, "[STEPS-PER-SECOND]", "step on by itself until a breakpoint, a pause() or the end", do_play,
	 COMPLETE_NONE, false, false},
	{"pause", NULL, "", "stop playing", do_pause, COMPLETE_NONE, false, false},
	{"restart", NULL, "", "start the scenario again from its first step", do_restart, COMPLETE_NONE, true, false},
	{"run", NULL, "FILE", "load another scenario file", do_run, COMPLETE_FILE, true, false},
	{"save", NULL, "FILE", "write a scenario that replays this session up to the cursor", command_save, COMPLETE_FILE, false, false},
	{"undo", NULL, "", "take back the last typed operation, and bring back the steps it dropped", do_undo,
	 COMPLETE_NONE, true, false},
	{"lua", NULL, "CODE", "run CODE as Lua even where it looks like a command (also `=EXPR`)", do_lua,
	 COMPLETE_NONE, false, false},
	{"help", "h", "[COMMAND]", "list the commands, or explain one", do_help, COMPLETE_COMMAND, false, false},
	{"quit", "q", "", "leave memstep", do_quit, COMPLETE_NONE, false, false},
	{NULL, NULL, NULL, NULL, NULL, COMPLETE_NONE, false, false},
};

void command_args(const struct command *c, struct strbuf *out)
{
	if (c->args)
		strbuf_printf(out, "%s", c->args);
	else if (c->complete == COMPLETE_INFO)
		info_topics_usage(out);
}

static const struct command *lookup(const char *word, size_t len)
{
	for (const struct command *c = commands; c->name; c++)
		if ((strlen(c->name) == len && strncmp(c->name, word, len) == 0) ||
		    (c->alias && strlen(c->alias) == len && strncmp(c->alias, word, len) == 0))
			return c;
	return NULL;
}

static int do_help(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)s;
	if (a->argc > 1) {
		const struct command *c = lookup(a->argv[1], strlen(a->argv[1]));
		if (!c) {
			strbuf_printf(out, "help: no command '%s'\n", a->argv[1]);
			return -1;
		}
		strbuf_printf(out, "%s ", c->name);
		command_args(c, out);
		strbuf_printf(out, "%s%s%s\n  %s\n", c->alias ? "   (alias " : "", c->alias ? c->alias : "",
			      c->alias ? ")" : "", c->help);
		if (c->complete == COMPLETE_INFO)
			info_topics_help(out);
		if (c->fn == command_break) {
			strbuf_printf(out, "  kinds and their fields:\n");
			for (int k = 0; k < NR_EV_KINDS; k++) {
				strbuf_printf(out, "    %-10s", ev_kinds[k].name);
				for (unsigned f = 0; f < ev_kinds[k].nfields; f++)
					strbuf_printf(out, " %s", ev_kinds[k].field[f].name);
				strbuf_printf(out, "\n");
			}
		}
		return 0;
	}
	for (const struct command *c = commands; c->name; c++) {
		struct strbuf usage = {0};
		strbuf_printf(&usage, "%s ", c->name);
		command_args(c, &usage);
		/* a long usage gets a line of its own, keeping the columns */
		if (usage.len > 30)
			strbuf_printf(out, "  %s\n  %-30s", usage.s, "");
		else
			strbuf_printf(out, "  %-30s", usage.s);
		strbuf_free(&usage);
		strbuf_printf(out, " %-3s %s\n", c->alias ? c->alias : "", c->help);
	}
	strbuf_printf(out, "Any other line is Lua, run in the scenario's globals: a = alloc_pages(2)\n"
			   "A word that is no command and names nothing is a mistyped command: `stpe` says so.\n"
			   "An empty line repeats the last step, next, continue or reverse-*.\n");
	return 0;
}

/* ---- parsing ---- */

const struct command *command_find(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	size_t len = strcspn(line, " \t");
	const struct command *c = lookup(line, len);
	if (!c)
		return NULL;
	/* `s = alloc_pages(0)`, `n.x` or `s + 1` is Lua that happens to start
	 * with an alias: commands take words and numbers, never operators. */
	const char *rest = line + len;
	while (isspace((unsigned char)*rest))
		rest++;
	/* ...but a file name may start with a dot: `save ../x.lua` */
	bool path = c->complete == COMPLETE_FILE && rest > line + len && (*rest == '.' || *rest == '/');
	if (*rest && !path && strchr("=.[:(\"'{+*%^<>,&|", *rest))
		return NULL;
	return c;
}

static void split_args(char *buf, const char *line, struct cmd_args *a)
{
	a->argc = 0;
	char *p = buf;
	while (*p && a->argc < CMD_MAX_ARGS) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		a->rest[a->argc] = line + (p - buf);
		a->argv[a->argc++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = 0;
	}
}

/* Typed Lua; the steps its operations took are shown, as stepping shows
 * them (they start at the cursor: a typed operation drops what followed). */
static int eval_lua(struct session *s, const char *code, struct strbuf *out)
{
	uint32_t from = session_cursor(s);
	int rc = session_eval(s, code, out);
	uint32_t to = session_cursor(s);
	if (to > from)
		info_steps(s, from + 1, to, out);
	return rc;
}

/* Say once per machine that its journal could not grow and time travel
 * ends where it stopped recording (journal.c); after that, each motion says
 * why it does not go back.  A motion's stop message says it too, for front
 * ends that show only that (the TUI). */
static void tell_journal_full(struct session *s, const struct command *c, struct strbuf *out)
{
	const struct machine *m = s->sc->m;
	if (!m->j.full)
		return;
	char msg[200];
	uint32_t n = m->step_base + m->j.nsteps;
	if (s->told_full != m)
		snprintf(msg, sizeof msg,
			 "time travel now ends at step %u: the journal could not grow (the host is out of memory); "
			 "memstep goes on without recording, and cannot go back",
			 n);
	else if (c && c->motion)
		snprintf(msg, sizeof msg, "time travel ended at step %u: the journal is full", n);
	else
		return;
	s->told_full = m;
	strbuf_printf(out, "(%s)\n", msg);
	if (c && c->motion)
		snprintf(s->stop_msg, sizeof s->stop_msg, "%s", msg);
}

static int run_line(struct session *s, const char *line, struct strbuf *out)
{
	const char *p = line;
	while (isspace((unsigned char)*p))
		p++;
	s->interrupt = 0; /* a Ctrl-C before this command is not for it */
	if (*p == '=') /* =EXPR: Lua, whatever it looks like */
		return eval_lua(s, p + 1, out);
	const struct command *c = command_find(line);
	if (!c) {
		if (!*p)
			return 0;
		if (command_unknown(s, p, out))
			return -1;
		return eval_lua(s, line, out);
	}
	char *buf = xstrdup(line);
	struct cmd_args a;
	split_args(buf, line, &a);
	int rc = c->fn(s, &a, out);
	free(buf);
	return rc;
}

int command_execute(struct session *s, const char *line, struct strbuf *out)
{
	int rc = run_line(s, line, out);
	tell_journal_full(s, command_find(line), out);
	return rc;
}

/* ---- reporting ---- */

/* Notes in (from, to], or at 0 for the first look at a scenario. */
static void report_notes(struct session *s, uint32_t from, uint32_t to, bool first, struct strbuf *out)
{
	for (uint32_t i = 0; i < s->nnotes; i++) {
		const struct note *n = &s->notes[i];
		bool reached = first ? n->at == 0 : n->at > from && n->at <= to;
		if (!reached)
			continue;
		if (n->kind == NOTE_TITLE)
			strbuf_printf(out, "== %s ==\n", n->text);
		else if (n->kind == NOTE_SAY)
			strbuf_printf(out, "-- %s\n", n->text);
		else if (n->kind == NOTE_PRINT)
			strbuf_printf(out, "%s\n", n->text);
		else if (n->kind == NOTE_EXPECT_FAILED)
			strbuf_printf(out, "FAILED %s\n", n->text);
	}
}

void command_report_start(struct session *s, struct strbuf *out)
{
	report_notes(s, 0, 0, true, out);
	info_where(s, out);
}

void command_report_motion(struct session *s, uint32_t from, enum stop_reason r, struct strbuf *out)
{
	/* Narration reached on the way forward, in order. */
	report_notes(s, from, session_cursor(s), false, out);
	if (r != STOP_DONE)
		strbuf_printf(out, "[%s]\n", s->stop_msg);
	info_where(s, out);
}

/* ---- completion ---- */

static void complete_words(const char *const *words, const char *prefix, void (*add)(void *, const char *),
			   void *ctx)
{
	for (; *words; words++)
		if (strncmp(*words, prefix, strlen(prefix)) == 0)
			add(ctx, *words);
}

void command_complete(struct session *s, const char *line, int start, const char *prefix,
		      void (*add)(void *ctx, const char *word), void *ctx)
{
	size_t plen = strlen(prefix);
	bool first_word = true;
	for (int i = 0; i < start && line[i]; i++)
		if (!isspace((unsigned char)line[i]))
			first_word = false;
	if (first_word) {
		for (const struct command *c = commands; c->name; c++)
			if (strncmp(c->name, prefix, plen) == 0)
				add(ctx, c->name);
		scenario_globals(s->sc, prefix, add, ctx);
		return;
	}
	const struct command *c = command_find(line);
	if (!c) {
		scenario_globals(s->sc, prefix, add, ctx);
		return;
	}
	static const char *const watch_topics[] = {"pfn", "zone", NULL};
	switch (c->complete) {
	case COMPLETE_KIND:
		for (int k = 0; k < NR_EV_KINDS; k++)
			if (strncmp(ev_kinds[k].name, prefix, plen) == 0)
				add(ctx, ev_kinds[k].name);
		break;
	case COMPLETE_INFO:
		for (const struct info_topic *t = info_topics; t->name; t++)
			if (strncmp(t->name, prefix, plen) == 0)
				add(ctx, t->name);
		break;
	case COMPLETE_WATCH:
		complete_words(watch_topics, prefix, add, ctx);
		for (unsigned t = 0; t < MAX_NR_ZONES; t++)
			if (arch_has_zone(session_machine(s), t) && strncmp(zone_type_names[t], prefix, plen) == 0)
				add(ctx, zone_type_names[t]);
		break;
	case COMPLETE_COMMAND:
		for (const struct command *k = commands; k->name; k++)
			if (strncmp(k->name, prefix, plen) == 0)
				add(ctx, k->name);
		break;
	case COMPLETE_MARK:
		for (uint32_t i = 0; i < s->nnotes; i++)
			if (s->notes[i].kind == NOTE_MARK && strncmp(s->notes[i].text, prefix, plen) == 0)
				add(ctx, s->notes[i].text);
		break;
	case COMPLETE_FILE:
	case COMPLETE_NONE:
		break;
	}
}
