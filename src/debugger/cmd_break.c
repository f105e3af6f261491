/* The breakpoint commands: break, watch, delete, enable and disable (the
 * breakpoints themselves are in breakpoints.c). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "mm/trace.h"

int command_break(struct session *s, const struct cmd_args *a, struct strbuf *out)
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

int command_watch(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	uint32_t v;
	if (a->argc == 3 && strcmp(a->argv[1], "pfn") == 0 && command_parse_u32(a->argv[2], &v)) {
		if (v >= m->nr_frames) {
			strbuf_printf(out, "watch: pfn 0x%x is outside memory (pfns 0x0..0x%x)\n", v, m->nr_frames - 1);
			return -1;
		}
		return session_watch(s, WATCH_PFN, v, out) < 0 ? -1 : 0;
	}
	if ((a->argc == 3 || a->argc == 4) && strcmp(a->argv[1], "zone") == 0) {
		uint32_t node = 0;
		if (a->argc == 4 && (!command_parse_u32(a->argv[3], &node) || node >= m->nr_nodes)) {
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

int command_delete(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	uint32_t id;
	if (a->argc < 2) {
		session_delete(s, -1);
		strbuf_printf(out, "deleted every breakpoint and watch\n");
		return 0;
	}
	if (!command_parse_u32(a->argv[1], &id) || session_delete(s, (int)id) != 0) {
		strbuf_printf(out, "delete: no breakpoint %s\n", a->argv[1]);
		return -1;
	}
	return 0;
}

/* enable/disable [N...]: every breakpoint and watch without N. */
static int switch_bps(struct session *s, const struct cmd_args *a, struct strbuf *out, bool on)
{
	const char *verb = on ? "enabled" : "disabled";
	if (a->argc < 2) {
		session_enable(s, -1, on);
		strbuf_printf(out, "%s every breakpoint and watch\n", verb);
		return 0;
	}
	for (int i = 1; i < a->argc; i++) {
		uint32_t id;
		if (!command_parse_u32(a->argv[i], &id) || session_enable(s, (int)id, on) != 0) {
			strbuf_printf(out, "%s: no breakpoint %s\n", a->argv[0], a->argv[i]);
			return -1;
		}
	}
	strbuf_printf(out, "%s", verb);
	for (int i = 1; i < a->argc; i++)
		strbuf_printf(out, " %s", a->argv[i]);
	strbuf_printf(out, "\n");
	return 0;
}

int command_enable(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	return switch_bps(s, a, out, true);
}

int command_disable(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	return switch_bps(s, a, out, false);
}
