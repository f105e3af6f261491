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

static bool parse_u32(const char *s, uint32_t *v)
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
	if (!parse_u32(a->argv[1], &pos)) {
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
	return motion(s, session_goto(s, pos), from, out);
}

static int do_break(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	if (a->argc < 2) {
		strbuf_printf(out, "break: which event kind? (see `help break`)\n");
		return -1;
	}
	int kind = ev_kind_by_name(a->argv[1]);
	if (kind < 0) {
		strbuf_printf(out, "break: unknown event kind '%s' (kinds:", a->argv[1]);
		for (int k = 0; k < NR_EV_KINDS; k++)
			strbuf_printf(out, " %s", ev_kinds[k].name);
		strbuf_printf(out, ")\n");
		return -1;
	}
	const char *cond = NULL;
	if (a->argc > 2) {
		if (strcmp(a->argv[2], "if") != 0 || a->argc < 4) {
			strbuf_printf(out, "break: expected `if CONDITION` after the kind\n");
			return -1;
		}
		cond = a->rest[3];
	}
	return session_break(s, kind, cond, out) < 0 ? -1 : 0;
}

static int do_watch(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	uint32_t v;
	if (a->argc == 3 && strcmp(a->argv[1], "pfn") == 0 && parse_u32(a->argv[2], &v)) {
		if (v >= m->nr_frames) {
			strbuf_printf(out, "watch: pfn 0x%x is outside memory (pfns 0x0..0x%x)\n", v, m->nr_frames - 1);
			return -1;
		}
		return session_watch(s, WATCH_PFN, v, out) < 0 ? -1 : 0;
	}
	if ((a->argc == 3 || a->argc == 4) && strcmp(a->argv[1], "zone") == 0) {
		uint32_t node = 0;
		if (a->argc == 4 && (!parse_u32(a->argv[3], &node) || node >= m->nr_nodes)) {
			strbuf_printf(out, "watch: no node '%s'\n", a->argv[3]);
			return -1;
		}
		for (unsigned t = 0; t < MAX_NR_ZONES; t++)
			if (arch_has_zone(m, t) && strcasecmp(zone_type_names[t], a->argv[2]) == 0)
				return session_watch(s, WATCH_ZONE, node * MAX_NR_ZONES + t, out) < 0 ? -1 : 0;
		strbuf_printf(out, "watch: unknown zone '%s'\n", a->argv[2]);
		return -1;
	}
	strbuf_printf(out, "usage: watch pfn N | watch zone NAME [NODE]\n");
	return -1;
}

static int do_delete(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	uint32_t id;
	if (a->argc < 2) {
		session_delete(s, -1);
		strbuf_printf(out, "deleted every breakpoint and watch\n");
		return 0;
	}
	if (!parse_u32(a->argv[1], &id) || session_delete(s, (int)id) != 0) {
		strbuf_printf(out, "delete: no breakpoint %s\n", a->argv[1]);
		return -1;
	}
	return 0;
}

static int do_info(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	const char *what = a->argc > 1 ? a->argv[1] : "";
	uint32_t pfn;
	if (strcmp(what, "breakpoints") == 0 || strcmp(what, "watch") == 0)
		info_breakpoints(s, out);
	else if (strcmp(what, "zones") == 0)
		info_zones(s, out);
	else if (strcmp(what, "buddy") == 0)
		info_buddy(s, out);
	else if (strcmp(what, "frame") == 0 && a->argc > 2 && parse_u32(a->argv[2], &pfn))
		return info_frame(s, pfn, out);
	else if (strcmp(what, "events") == 0)
		info_events(s, 10, out);
	else if (strcmp(what, "ops") == 0)
		info_ops(s, out);
	else if (strcmp(what, "marks") == 0)
		info_marks(s, out);
	else if (strcmp(what, "slabs") == 0)
		info_slabs(s, out);
	else if (strcmp(what, "pgtable") == 0)
		return info_pgtable(s, a->argc > 2 ? a->argv[2] : NULL, out);
	else if (strcmp(what, "where") == 0 || !*what)
		info_where(s, out);
	else {
		strbuf_printf(out, "usage: info breakpoints|zones|buddy|frame PFN|events|ops|marks|slabs|pgtable [MM]|where\n");
		return -1;
	}
	return 0;
}

static int do_list(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	uint32_t line = 0;
	if (a->argc > 1 && !parse_u32(a->argv[1], &line)) {
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

static int do_restart(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	(void)a;
	if (session_restart(s, out) != 0)
		return -1;
	command_report_start(s, out);
	return 0;
}

static int do_run(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	if (a->argc < 2) {
		strbuf_printf(out, "run: which file?\n");
		return -1;
	}
	if (session_load(s, a->rest[1], out) != 0)
		return -1;
	command_report_start(s, out);
	return 0;
}

static void save_config(const struct machine *m, FILE *f)
{
	const struct mm_config *c = &m->cfg;
	fprintf(f, "machine{arch=\"%s\", memory=%llu, page_size=%u, max_order=%u, nodes=%u, cpus=%u, seed=%llu",
		c->arch->name, (unsigned long long)c->memory, c->page_size, c->max_order, c->nodes, c->cpus,
		(unsigned long long)c->seed);
	if (c->min_free_kbytes >= 0)
		fprintf(f, ", min_free_kbytes=%lld", (long long)c->min_free_kbytes);
	if (c->reserved)
		fprintf(f, ", reserved=%llu", (unsigned long long)c->reserved);
	if (c->zones_given) {
		fprintf(f, ", zones={");
		for (unsigned t = 0; t < MAX_NR_ZONES; t++)
			if (c->zone_size[t])
				fprintf(f, "%s=%llu, ", zone_type_names[t], (unsigned long long)c->zone_size[t]);
		fprintf(f, "}");
	}
	fprintf(f, "}\n");
}

static int do_save(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	if (a->argc < 2) {
		strbuf_printf(out, "save: which file?\n");
		return -1;
	}
	FILE *f = fopen(a->rest[1], "w");
	if (!f) {
		strbuf_printf(out, "save: cannot write %s\n", a->rest[1]);
		return -1;
	}
	fprintf(f, "-- Saved by memstep: the lines typed in a session, replayed on a\n"
		   "-- fresh machine of the same configuration.\n");
	save_config(session_machine(s), f);
	for (int i = 0; i < s->ntyped; i++)
		fprintf(f, "%s\n", s->typed[i].code);
	fclose(f);
	strbuf_printf(out, "saved %d line%s to %s\n", s->ntyped, s->ntyped == 1 ? "" : "s", a->rest[1]);
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
	{"step", "s", "[N]", "take N steps forward (one event each)", do_step, COMPLETE_NONE, true},
	{"next", "n", "[N]", "go forward N whole operations (API calls)", do_next, COMPLETE_NONE, true},
	{"continue", "c", "", "go forward to a breakpoint, a watch, a pause() or the end", do_continue,
	 COMPLETE_NONE, true},
	{"reverse-step", "rs", "[N]", "take N steps back", do_reverse_step, COMPLETE_NONE, true},
	{"reverse-next", "rn", "[N]", "go back to the start of the operation (N times)", do_reverse_next, COMPLETE_NONE, true},
	{"reverse-continue", "rc", "", "go back to a breakpoint, a watch, a pause() or the start", do_reverse_continue,
	 COMPLETE_NONE, true},
	{"goto", "g", "N|MARK", "go to step N (0 = before the first) or to a mark()", do_goto, COMPLETE_MARK, true},
	{"break", "b", "KIND [if EXPR]",
	 "stop after each event of KIND, e.g. `break split if order >= 3` (EXPR is Lua over the event's fields)",
	 do_break, COMPLETE_KIND, false},
	{"watch", NULL, "pfn N | zone NAME [NODE]", "stop when a frame's block or a zone's free lists change",
	 do_watch, COMPLETE_WATCH, false},
	{"delete", "d", "[N]", "delete breakpoint or watch N (all without N)", do_delete, COMPLETE_NONE, false},
	{"info", "i", "breakpoints|zones|buddy|frame N|events|ops|marks|slabs|pgtable [MM]|where",
	 "show the machine or the session (pgtable: each mm's mappings, as ptdump)",
	 do_info, COMPLETE_INFO, false},
	{"list", "l", "[LINE]", "show the scenario source around the current line", do_list, COMPLETE_NONE, false},
	{"play", NULL, "[STEPS-PER-SECOND]", "step on by itself until a breakpoint, a pause() or the end", do_play,
	 COMPLETE_NONE, false},
	{"pause", NULL, "", "stop playing", do_pause, COMPLETE_NONE, false},
	{"restart", NULL, "", "start the scenario again from its first step", do_restart, COMPLETE_NONE, true},
	{"run", NULL, "FILE", "load another scenario file", do_run, COMPLETE_FILE, true},
	{"save", NULL, "FILE", "write the lines typed in this session as a scenario", do_save, COMPLETE_FILE, false},
	{"help", "h", "[COMMAND]", "list the commands, or explain one", do_help, COMPLETE_COMMAND, false},
	{"quit", "q", "", "leave memstep", do_quit, COMPLETE_NONE, false},
	{NULL, NULL, NULL, NULL, NULL, COMPLETE_NONE, false},
};

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
		strbuf_printf(out, "%s %s%s%s%s\n  %s\n", c->name, c->args, c->alias ? "   (alias " : "",
			      c->alias ? c->alias : "", c->alias ? ")" : "", c->help);
		if (c->fn == do_break) {
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
		char usage[128];
		snprintf(usage, sizeof usage, "%s %s", c->name, c->args);
		/* a long usage gets a line of its own, keeping the columns */
		if (strlen(usage) > 30)
			strbuf_printf(out, "  %s\n  %-30s", usage, "");
		else
			strbuf_printf(out, "  %-30s", usage);
		strbuf_printf(out, " %-3s %s\n", c->alias ? c->alias : "", c->help);
	}
	strbuf_printf(out, "Any other line is Lua, run in the scenario's globals: a = alloc_pages(2)\n");
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
	if (*rest && strchr("=.[:(\"'{+*%^<>,&|", *rest))
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
	const struct command *c = command_find(line);
	if (!c) {
		const char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			return 0;
		return session_eval(s, line, out);
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
	static const char *const info_topics[] = {"breakpoints", "zones", "buddy", "frame", "events",
						  "ops", "marks", "slabs", "pgtable", "where", NULL};
	static const char *const watch_topics[] = {"pfn", "zone", NULL};
	switch (c->complete) {
	case COMPLETE_KIND:
		for (int k = 0; k < NR_EV_KINDS; k++)
			if (strncmp(ev_kinds[k].name, prefix, plen) == 0)
				add(ctx, ev_kinds[k].name);
		break;
	case COMPLETE_INFO:
		complete_words(info_topics, prefix, add, ctx);
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
