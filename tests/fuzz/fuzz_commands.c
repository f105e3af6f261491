/*
 * Fuzz target: the command line of a session.  Each line of the input goes
 * through command_execute() as a front end sends it — motions, breakpoints
 * with conditions, watches, info, Lua typed at the prompt — over a scenario
 * that uses every allocator.  After each line the invariants must hold at
 * the cursor.  `run` and `save` (files of the host) are left out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugger/commands.h"
#include "mm/check.h"

static const char scenario[] =
	"machine{memory = \"2M\", page_size = \"4K\", max_order = 6, zones = {DMA = \"1M\", Normal = \"1M\"}}\n"
	"local p = alloc_pages(2)\n"
	"mark(\"one\")\n"
	"local q = alloc_pages(0, \"GFP_DMA\")\n"
	"local c = kmem_cache_create(\"fz\", 200)\n"
	"local o = kmem_cache_alloc(c)\n"
	"pause()\n"
	"local k = kmalloc(100)\n"
	"local v = vmalloc(\"20K\")\n"
	"local mm = mm_alloc()\n"
	"map(mm, 0x400000, q, \"rw\")\n"
	"translate(mm, 0x400123, \"r\")\n"
	"say(\"half way\")\n"
	"free_pages(p)\n"
	"kfree(k)\n"
	"vfree(v)\n"
	"kmem_cache_free(c, o)\n"
	"mark(\"two\")\n"
	"for i = 1, 3 do free_pages(alloc_pages(i)) end\n";

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "/tmp/memstep-fuzz-XXXXXX.lua");
	int fd = mkstemps(path, 4);
	if (fd < 0 || write(fd, scenario, sizeof scenario - 1) != (ssize_t)(sizeof scenario - 1))
		abort();
	close(fd);
	return 0;
}

/* Records after the live machine's last step belong to no step (a large
 * kmalloc's, issue 9): false when the input cannot go on meaningfully, with
 * MEMSTEP_FUZZ_NO_LARGE_KMALLOC=1 set to fuzz past that known finding. */
static bool all_records_stepped(const struct session *s, const char *line)
{
	const struct journal *j = &s->sc->m->j;
	if (j->full || j->nrb == journal_rec_begin(j, j->nsteps))
		return true;
	if (getenv("MEMSTEP_FUZZ_NO_LARGE_KMALLOC"))
		return false;
	fprintf(stderr, "fuzz_commands: after '%s': journal records after the last step (they belong to no step)\n",
		line);
	abort();
}

static void check(const struct session *s, const char *line)
{
	char why[512];
	if (check_machine(session_machine(s), why, sizeof why) != 0) {
		fprintf(stderr, "fuzz_commands: after '%s': %s\n", line, why);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0])
		LLVMFuzzerInitialize(NULL, NULL);
	struct scenario_opts o;
	scenario_opts_default(&o);
	o.limits.max_instructions = 1000000;
	o.limits.max_memory = 16u << 20;
	char why[256];
	struct session *s = session_new(&o, NULL, NULL, why, sizeof why);
	if (!s)
		abort();
	struct strbuf out = {0};
	if (session_load(s, path, &out) != 0)
		abort();
	char line[512];
	size_t at = 0;
	for (int n = 0; at < size && n < 64 && !s->quit; n++) {
		size_t len = 0;
		while (at < size && data[at] != '\n') {
			if (len < sizeof line - 1)
				line[len++] = (char)data[at];
			at++;
		}
		at++;
		line[len] = 0;
		if (memchr(line, 0, len))
			continue; /* a front end never sends NUL */
		const struct command *c = command_find(line);
		if (c && (strcmp(c->name, "run") == 0 || strcmp(c->name, "save") == 0))
			continue;
		out.len = 0;
		command_execute(s, line, &out);
		if (!all_records_stepped(s, line))
			break;
		check(s, line);
	}
	strbuf_free(&out);
	session_free(s);
	return 0;
}
