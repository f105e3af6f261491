/* Batch mode (see batch.h). */
#include "batch.h"

#include <stdio.h>
#include <string.h>

#include "mm/check.h"
#include "mm/trace.h"

struct batch {
	const struct batch_opts *opts;
	struct scenario *sc;
	bool invariant_broken;
	char invariant[800];
	/* the state last checked: the journal's change count and operation */
	uint64_t checked_changes, checked_op;
	bool checked;
};

/* A step that wrote nothing inside the operation last checked leaves the
 * state the checker passed: checking it again would repeat the verdict. */
static bool state_unchanged(struct batch *b, const struct machine *m)
{
	bool same = b->checked && m->j.changes == b->checked_changes && m->op_serial == b->checked_op;
	b->checked = true;
	b->checked_changes = m->j.changes;
	b->checked_op = m->op_serial;
	return same;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void on_event(void *ctx, const struct machine *m, const struct event *e)
{
	struct batch *b = ctx;
	char buf[512];
	if (b->opts->trace == TRACE_TEXT) {
		ev_format_text(m, e, buf, sizeof buf);
		printf("%6u %-9s %s\n", e->step, ev_kinds[e->kind].name, buf);
	} else if (b->opts->trace == TRACE_JSON) {
		ev_format_json(m, e, buf, sizeof buf);
		puts(buf);
	}
	if (b->opts->check && !b->invariant_broken && !state_unchanged(b, m) &&
	    check_machine(m, buf, sizeof buf) != 0) {
		b->invariant_broken = true;
		snprintf(b->invariant, sizeof b->invariant, "invariant broken after step %u (%s): %s", e->step,
			 ev_kinds[e->kind].name, buf);
	}
}

static const char *const narration_kind[] = {"title", "say", "print"};

static void on_narrate(void *ctx, enum narration kind, const char *text, int line)
{
	struct batch *b = ctx;
	if (b->opts->trace == TRACE_JSON) {
		printf("{\"kind\":\"%s\",\"step\":%u,\"line\":%d,\"text\":", narration_kind[kind], b->sc->m->nsteps,
		       line);
		json_string(stdout, text);
		puts("}");
	} else if (kind == NARRATE_TITLE) {
		printf("== %s ==\n", text);
	} else if (kind == NARRATE_SAY) {
		printf("-- %s\n", text);
	} else {
		puts(text);
	}
}

static void on_expect(void *ctx, bool ok, const char *where, const char *msg)
{
	struct batch *b = ctx;
	if (b->opts->trace == TRACE_JSON) {
		printf("{\"kind\":\"expect\",\"step\":%u,\"ok\":%s,\"where\":", b->sc->m->nsteps, ok ? "true" : "false");
		json_string(stdout, where);
		fputs(",\"message\":", stdout);
		json_string(stdout, msg);
		puts("}");
	} else if (!ok) {
		printf("FAILED %s: %s\n", where, msg);
	}
}

static const struct scenario_host batch_host = {
	.event = on_event,
	.narrate = on_narrate,
	.expect = on_expect,
};

/* Run the loaded script to its end, one operation at a time. */
static enum scenario_state run(struct batch *b)
{
	enum scenario_state st;
	while ((st = scenario_resume(b->sc)) == SC_SUSPENDED && !b->invariant_broken)
		;
	return st;
}

/* The closing line; `error` is what went wrong for exits 2 and 3. */
static int finish(struct batch *b, int code, const char *error)
{
	struct scenario *sc = b->sc;
	if (b->opts->trace == TRACE_JSON) {
		printf("{\"kind\":\"result\",\"expectations_held\":%u,\"expectations_failed\":%u,\"exit\":%d",
		       sc->expect_passed, sc->expect_failed, code);
		if (error) {
			fputs(",\"error\":", stdout);
			json_string(stdout, error);
		}
		puts("}");
	}
	else if (sc->expect_passed + sc->expect_failed)
		printf("expectations: %u held, %u failed\n", sc->expect_passed, sc->expect_failed);
	fflush(stdout);
	scenario_free(sc);
	return code;
}

int batch_run(const struct batch_opts *opts, struct scenario_opts *so)
{
	struct batch b = {.opts = opts};
	char why[256];
	so->host = &batch_host;
	so->ctx = &b;
	/* one operation per resume only to stop right after a broken invariant:
	 * without --check the script runs through (no yield per operation) */
	so->lazy = opts->check;
	so->no_lines = opts->trace != TRACE_JSON; /* only JSON events carry their line */
	b.sc = scenario_new(so, why, sizeof why);
	if (!b.sc) {
		fprintf(stderr, "memstep: %s\n", why);
		return EXIT_BAD_SCENARIO;
	}
	for (int i = -1; i < opts->nchunks; i++) {
		if (i < 0 && !opts->file)
			continue;
		if (i < 0)
			scenario_load_file(b.sc, opts->file);
		else
			scenario_load_string(b.sc, opts->chunks[i], "=(command line)");
		enum scenario_state st = b.sc->state == SC_ERROR ? SC_ERROR : run(&b);
		if (b.invariant_broken) {
			fflush(stdout);
			fprintf(stderr, "memstep: %s\n", b.invariant);
			return finish(&b, EXIT_INVARIANT, b.invariant);
		}
		if (st == SC_ERROR) {
			fflush(stdout);
			fprintf(stderr, "memstep: %s\n", b.sc->error);
			return finish(&b, EXIT_BAD_SCENARIO, b.sc->error);
		}
	}
	return finish(&b, b.sc->expect_failed ? EXIT_EXPECT_FAILED : EXIT_HELD, NULL);
}
