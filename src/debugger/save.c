/*
 * `save FILE`: a scenario that reproduces the session at the cursor.  It
 * starts a machine of the first machine's configuration (every field of
 * it: arch, a toy arch's page-table format, the TLB's geometry, zones,
 * seed), runs the session's scenario file (by include) up to the step where
 * the session left it — an on() hook on that step stops it — and then the
 * lines typed at the prompt that brought the session to the cursor.
 * Replaying the file in batch mode reaches the state the session shows (the
 * same machine_hash), which tests/debugger/test_save.c checks.
 *
 * A scenario replays whole operations: where the session left the scenario
 * in the middle of one (a line typed at step 3 of an 8-step operation), the
 * file cannot follow it, and save says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "mm/pgformat.h"
#include "mm/trace.h"
#include "session_impl.h"

static void save_lua_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void save_arch(const struct mm_config *c, FILE *f)
{
	if (!c->toy.depth) {
		fprintf(f, "arch=\"%s\"", c->arch->name);
		return;
	}
	const struct pt_format *t = &c->toy;
	fprintf(f, "arch={name=");
	save_lua_string(f, t->name);
	fprintf(f, ", levels={");
	for (unsigned d = 0; d < t->depth; d++)
		fprintf(f, "%s%u", d ? ", " : "", t->bits[d]);
	fprintf(f, "}, offset=%u, entry_size=%u}", t->offset_bits, t->entry_size);
}

/* machine{…} with every field of the configuration. */
static void save_config(const struct mm_config *c, FILE *f)
{
	fprintf(f, "machine{");
	save_arch(c, f);
	fprintf(f, ", memory=%llu, page_size=%u, max_order=%u, nodes=%u, cpus=%u, seed=%llu",
		(unsigned long long)c->memory, c->page_size, c->max_order, c->nodes, c->cpus,
		(unsigned long long)c->seed);
	if (c->min_free_kbytes >= 0)
		fprintf(f, ", min_free_kbytes=%lld", (long long)c->min_free_kbytes);
	if (c->reserved)
		fprintf(f, ", reserved=%llu", (unsigned long long)c->reserved);
	if (c->tlb_entries)
		fprintf(f, ", tlb={entries=%u, ways=%u}", c->tlb_entries, c->tlb_ways);
	if (c->zones_given) {
		fprintf(f, ", zones={");
		for (unsigned t = 0; t < MAX_NR_ZONES; t++)
			if (c->zone_size[t])
				fprintf(f, "%s=%llu, ", zone_type_names[t], (unsigned long long)c->zone_size[t]);
		fprintf(f, "}");
	}
	fprintf(f, "}\n");
}

/* The scenario's path as include() in the saved file finds it: relative to
 * the saved file's folder (include's rule), so the pair can move together. */
static void include_path(const char *scenario, const char *saved, char *path, size_t n)
{
	char from[4096], to[4096];
	snprintf(path, n, "%s", scenario);
	if (!realpath(scenario, to))
		return;
	snprintf(from, sizeof from, "%s", saved);
	char *slash = strrchr(from, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(from, sizeof from, ".");
	char dir[4096];
	if (!realpath(from, dir)) {
		snprintf(path, n, "%s", to);
		return;
	}
	/* the folders both paths share, then ../ for each left in dir */
	size_t i = 0, common = 0;
	while (dir[i] && dir[i] == to[i])
		i++;
	if (!dir[i] && to[i] == '/')
		common = i;
	else
		for (size_t k = 0; k < i; k++)
			if (dir[k] == '/')
				common = k;
	size_t len = 0;
	path[0] = 0;
	for (const char *p = dir + common; *p; p++)
		if (*p == '/' && p[1] && len + 4 < n)
			len += (size_t)snprintf(path + len, n - len, "../");
	snprintf(path + len, n - len, "%s", to + common + 1);
}

/* The scenario's part: its file up to step `cut`, stopped by a hook on
 * that step's event. */
static void save_scenario(struct session *s, uint32_t cut, bool inside, const char *saved, FILE *f,
			  struct strbuf *out)
{
	char path[4096];
	include_path(s->file, saved, path, sizeof path);
	if (!cut) {
		fprintf(f, "-- (%s took no step before the typed lines)\n", s->file);
		return;
	}
	if (inside)
		strbuf_printf(out, "save: the session leaves %s at step %u, inside an operation; a scenario\n"
				   "  replays whole operations, so the saved file runs that one to its end\n",
			      s->file, cut);
	struct event e;
	session_event(s, cut, &e);
	fprintf(f, "-- %s up to step %u, where the session left it: an on() hook stops it there.\n", s->file, cut);
	fprintf(f, "local memstep_cut = %u\n", cut);
	fprintf(f, "on(\"%s\", function(e)\n"
		   "\tif memstep_cut and e.step == memstep_cut then\n"
		   "\t\tmemstep_cut = nil\n"
		   "\t\terror(\"memstep save: the session's scenario stops here\", 0)\n"
		   "\tend\n"
		   "end)\n",
		ev_kinds[e.kind].name);
	/* include from a function of this file: it names files relative to
	 * the file that calls it */
	fprintf(f, "local ok, err = pcall(function() include(");
	save_lua_string(f, path);
	fprintf(f, ") end)\n"
		   "if not ok and not tostring(err):find(\"memstep save: \", 1, true) then error(err, 0) end\n");
}

int command_save(struct session *s, const struct cmd_args *a, struct strbuf *out)
{
	if (a->argc < 2) {
		strbuf_printf(out, "save: which file?\n");
		return -1;
	}
	const char *name = a->rest[1];
	FILE *f = fopen(name, "w");
	if (!f) {
		strbuf_printf(out, "save: cannot write %s: %s\n", name, strerror(errno));
		return -1;
	}
	uint32_t cur = session_cursor(s);
	/* the typed lines that brought the session here; the scenario's part
	 * ends where the first of them ran (or at the cursor) */
	int n = 0;
	uint32_t cut = cur;
	bool inside = false;
	for (int i = 0; i < s->ntyped; i++)
		if (s->typed[i].end <= cur && !n++) {
			cut = s->typed[i].at;
			inside = s->typed[i].inside_op;
		}
	if (!n && cut && cut < session_known(s)) {
		struct event here, next;
		session_event(s, cut, &here);
		session_event(s, cut + 1, &next);
		inside = here.op == next.op;
	}
	fprintf(f, "-- Saved by memstep at step %u: replays the session on a machine of the\n"
		   "-- same configuration.\n",
		cur);
	save_config(&s->epochs[0].m->cfg, f);
	if (s->file[0])
		save_scenario(s, cut, inside, name, f, out);
	for (int i = 0; i < s->ntyped; i++)
		if (s->typed[i].end <= cur)
			fprintf(f, "%s\n", s->typed[i].code);
	int skipped = s->ntyped - n;
	bool failed = ferror(f) != 0;
	if (fclose(f) != 0 || failed) {
		strbuf_printf(out, "save: writing %s failed: %s\n", name, strerror(errno ? errno : EIO));
		return -1;
	}
	strbuf_printf(out, "saved %s%s and %d typed line%s to %s\n", s->file[0] ? s->file : "a fresh machine",
		      s->file[0] ? " up to the cursor" : "", n, n == 1 ? "" : "s", name);
	char path[4096];
	if (s->file[0] && (include_path(s->file, name, path, sizeof path), path[0] == '/' || !strncmp(path, "../", 3)))
		/* the saved file includes the scenario, and include reads only
		 * files under the including file's folder (the sandbox's rule) */
		strbuf_printf(out, "(note: %s is outside %s's folder, and a scenario includes only files under its "
				   "own: to replay it, keep the two in one folder)\n",
			      name, s->file);
	if (skipped)
		strbuf_printf(out, "(%d typed line%s after the cursor left out: step there first to keep %s)\n",
			      skipped, skipped == 1 ? "" : "s", skipped == 1 ? "it" : "them");
	return 0;
}
