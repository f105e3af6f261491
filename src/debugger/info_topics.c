/* The `info` topics: one table drives `info`'s dispatch, its usage line,
 * `help info` and the completion of its first word (as tmux's cmd_entry
 * does for commands), so a new topic is one row here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static int show_breakpoints(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_breakpoints(s, out);
	return 0;
}

static int show_zones(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_zones(s, out);
	return 0;
}

static int show_buddy(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_buddy(s, out);
	return 0;
}

static int show_frame(struct session *s, const char *arg, struct strbuf *out)
{
	uint32_t pfn;
	if (!command_parse_u32(arg, &pfn))
		return 1;
	return info_frame(s, pfn, out);
}

static int show_events(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_events(s, 10, out);
	return 0;
}

static int show_ops(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_ops(s, out);
	return 0;
}

static int show_marks(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_marks(s, out);
	return 0;
}

static int show_slabs(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_slabs(s, out);
	return 0;
}

static int show_pgtable(struct session *s, const char *arg, struct strbuf *out)
{
	return info_pgtable(s, arg, out);
}

static int show_where(struct session *s, const char *arg, struct strbuf *out)
{
	(void)arg;
	info_where_full(s, out);
	return 0;
}

const struct info_topic info_topics[] = {
	{"breakpoints", "watch", NULL, INFO_ARG_NONE, "the breakpoints and watches, enabled or not, with their hits",
	 show_breakpoints},
	{"zones", NULL, NULL, INFO_ARG_NONE, "each zone's free pages against its watermarks", show_zones},
	{"buddy", NULL, NULL, INFO_ARG_NONE, "each zone's free lists, order by order", show_buddy},
	{"frame", NULL, "PFN", INFO_ARG_NEEDED, "one frame: its block, zone, and the steps that allocated and freed it",
	 show_frame},
	{"events", NULL, NULL, INFO_ARG_NONE, "the steps around the cursor", show_events},
	{"ops", NULL, NULL, INFO_ARG_NONE, "the operations of this machine, with their steps and lines", show_ops},
	{"marks", NULL, NULL, INFO_ARG_NONE, "the scenario's mark() names and their steps", show_marks},
	{"slabs", NULL, NULL, INFO_ARG_NONE, "the slab caches as slabtop lists them, and the vmalloc areas",
	 show_slabs},
	{"pgtable", NULL, "[MM]", INFO_ARG_OPTIONAL, "each mm's mappings (or one mm's), as ptdump prints them",
	 show_pgtable},
	{"where", NULL, NULL, INFO_ARG_NONE,
	 "the step at the cursor, its operation and line, and the scenario's caption (also `info` alone)",
	 show_where},
	{NULL, NULL, NULL, INFO_ARG_NONE, NULL, NULL},
};

const struct info_topic *info_topic_find(const char *name)
{
	for (const struct info_topic *t = info_topics; t->name; t++)
		if (strcmp(t->name, name) == 0 || (t->alias && strcmp(t->alias, name) == 0))
			return t;
	return NULL;
}

void info_topics_usage(struct strbuf *out)
{
	for (const struct info_topic *t = info_topics; t->name; t++)
		strbuf_printf(out, "%s%s%s%s", t == info_topics ? "" : "|", t->name, t->args ? " " : "",
			      t->args ? t->args : "");
}

void info_topics_help(struct strbuf *out)
{
	strbuf_printf(out, "  topics:\n");
	for (const struct info_topic *t = info_topics; t->name; t++) {
		char usage[40];
		snprintf(usage, sizeof usage, "%s%s%s", t->name, t->args ? " " : "", t->args ? t->args : "");
		strbuf_printf(out, "    %-14s %s\n", usage, t->help);
	}
}

int info_run(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	const struct info_topic *t = info_topic_find(a->argc > 1 ? a->argv[1] : "where");
	const char *arg = a->argc > 2 ? a->argv[2] : NULL;
	int rc = 1;
	if (t && !(t->arg == INFO_ARG_NEEDED && !arg) && !(t->arg == INFO_ARG_NONE && arg))
		rc = t->fn(s, arg, out);
	if (rc > 0) {
		strbuf_printf(out, "usage: info ");
		info_topics_usage(out);
		strbuf_printf(out, "\n");
		return -1;
	}
	return rc;
}
