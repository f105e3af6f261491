/* Shared helpers for the debugger unit tests (see dbg.h). */
#include "dbg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm/event.h"

const char walk_lua[] =
	"machine{memory=\"1M\", page_size=\"64K\", max_order=5}\n" /* 1 */
	"title(\"walk\")\n"                                         /* 2 */
	"local a = alloc_pages(0)\n"                                /* 3 */
	"mark(\"one\")\n"                                           /* 4 */
	"local b = alloc_pages(1)\n"                                /* 5 */
	"pause()\n"                                                 /* 6 */
	"say(\"after b\")\n"                                        /* 7 */
	"local c = alloc_pages(0)\n"                                /* 8 */
	"mark(\"two\")\n"                                           /* 9 */
	"free_pages(b)\n"                                           /* 10 */
	"free_pages(a)\n"                                           /* 11 */
	"pause()\n"                                                 /* 12 */
	"free_pages(c)\n";                                          /* 13 */

static void free_out(void);

/* ---- temporary files ---- */

static char tmpdir[256];
static char *files[256];
static int nfiles;

static const char *new_path(const char *name)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/memstep-dbg-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir))
			fail_msg("cannot make a temporary directory in %s", base && *base ? base : "/tmp");
	}
	assert_true(nfiles < 256);
	char path[512];
	snprintf(path, sizeof path, "%s/%d-%s", tmpdir, nfiles, name);
	files[nfiles] = strdup(path);
	return files[nfiles++];
}

const char *dbg_write(const char *code)
{
	const char *path = new_path("scenario.lua");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(code, f);
	fclose(f);
	return path;
}

const char *dbg_path(const char *name)
{
	return new_path(name);
}

void dbg_cleanup(void)
{
	for (int i = 0; i < nfiles; i++) {
		unlink(files[i]);
		free(files[i]);
	}
	nfiles = 0;
	if (tmpdir[0])
		rmdir(tmpdir);
	tmpdir[0] = 0;
	free_out();
}

/* ---- sessions ---- */

static struct session *live[64];
static int nlive;

void dbg_free(struct session *s)
{
	for (int i = 0; i < nlive; i++)
		if (live[i] == s) {
			live[i] = live[--nlive];
			break;
		}
	session_free(s);
}

int dbg_group_teardown(void **state)
{
	(void)state;
	dbg_cleanup();
	return 0;
}

int dbg_teardown(void **state)
{
	(void)state;
	while (nlive)
		session_free(live[--nlive]);
	return 0;
}

struct session *dbg_new(void)
{
	struct scenario_opts o;
	char why[256] = "";
	scenario_opts_default(&o);
	struct session *s = session_new(&o, NULL, NULL, why, sizeof why);
	if (!s)
		fail_msg("session_new: %s", why);
	assert_true(nlive < 64);
	live[nlive++] = s;
	dbg_check(s);
	return s;
}

struct session *dbg_open(const char *code)
{
	struct session *s = dbg_new();
	struct strbuf out = {0};
	int rc = session_load(s, dbg_write(code), &out);
	if (rc != 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", out.s ? out.s : "");
		strbuf_free(&out);
		fail_msg("session_load failed: %s", msg);
	}
	strbuf_free(&out);
	assert_int_equal(session_cursor(s), 0);
	dbg_check(s);
	return s;
}

/* ---- commands ---- */

static struct strbuf out;

static void free_out(void)
{
	strbuf_free(&out);
	out = (struct strbuf){0};
}

static const char *reset_out(void)
{
	out.len = 0;
	if (out.s)
		out.s[0] = 0;
	return "";
}

const char *dbg_run(struct session *s, const char *line, int want_rc)
{
	reset_out();
	int rc = command_execute(s, line, &out);
	if (rc != want_rc)
		fail_msg("`%s` returned %d, not %d; it said:\n%s", line, rc, want_rc, out.s ? out.s : "");
	dbg_check(s);
	return out.s ? out.s : "";
}

const char *dbg_eval(struct session *s, const char *code, int want_rc)
{
	reset_out();
	int rc = session_eval(s, code, &out);
	if (rc != want_rc)
		fail_msg("eval `%s` returned %d, not %d; it said:\n%s", code, rc, want_rc, out.s ? out.s : "");
	dbg_check(s);
	return out.s ? out.s : "";
}

/* ---- assertions ---- */

void dbg_check(const struct session *s)
{
	char why[512] = "";
	if (check_machine(session_machine(s), why, sizeof why) != 0)
		fail_msg("invariant broken at position %u: %s", session_cursor(s), why);
}

static const char *reason_name(enum stop_reason r)
{
	static const char *const names[] = {"DONE", "BREAKPOINT", "WATCH", "PAUSE", "END", "START", "ERROR"};
	return (unsigned)r < sizeof names / sizeof *names ? names[r] : "?";
}

void dbg_at(const struct session *s, enum stop_reason got, enum stop_reason want, uint32_t pos)
{
	if (got != want || session_cursor(s) != pos)
		fail_msg("stopped with %s at %u (%s), wanted %s at %u", reason_name(got), session_cursor(s),
			 s->stop_msg, reason_name(want), pos);
	dbg_check(s);
}

void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, text);
}

void assert_lacks(const char *text, const char *needle)
{
	if (strstr(text, needle))
		fail_msg("did not expect \"%s\" in:\n%s", needle, text);
}

void assert_step_kind(const struct session *s, uint32_t step, const char *kind)
{
	struct event e;
	session_event(s, step, &e);
	if (strcmp(ev_kinds[e.kind].name, kind) != 0)
		fail_msg("step %u is a %s, not a %s", step, ev_kinds[e.kind].name, kind);
}
