/* memstep: the command line picks batch mode, the line REPL or the TUI. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "mm/xalloc.h"
#include "batch.h"
#include "course/course.h"
#include "quiz_batch.h"
#include "scenario_path.h"
#include "repl/repl.h"
#include "debugger/commands.h"
#include "tui/tui.h"
#include "mm/units.h"

static void usage(FILE *f)
{
	fputs("usage: memstep [options] [FILE.lua | NAME]\n"
	      "  NAME               an installed scenario, e.g. 01-buddy-basics (also $MEMSTEP_PATH)\n"
	      "  --batch            run FILE headless: trace, narration, expectations\n"
	      "  --repl             the line REPL (also when standard output is not a terminal)\n"
	      "  --theme NAME       dark (default), light, or mono for projectors (also NO_COLOR)\n"
	      "  --ascii            draw with ASCII only (automatic when the locale is not UTF-8)\n"
	      "  --no-source        start the TUI with the source pane hidden (key S cycles it)\n"
	      "  --quiz             quiz mode: at each pause() ask what happens next (key Q)\n"
	      "  --quiz=ANSWERS     with --batch: grade a file of answers, one a line\n"
	      "  --quiz-every KIND  also ask before each operation with an event of KIND\n"
	      "  --bench-render N   draw N frames offscreen at 200x60 and print the time per frame\n"
	      "  --trace=MODE       text (default), json (JSON Lines) or none\n"
	      "  --check            run the invariant checker after every step\n"
	      "  -e CODE            run CODE after FILE (may repeat)\n"
	      "  --seed N           the default machine seed\n"
	      "  --max-instructions N   Lua instruction budget (default 2000000000)\n"
	      "  --max-lua-memory SIZE  cap on Lua's memory (default 512M)\n"
	      "  --reference        the commands and keys, as the README lists them\n"
	      "  -h, --help         this help\n"
	      "  --version          the version\n"
	      "exit status: 0 expectations held, 1 an expectation failed, 2 the scenario\n"
	      "or command line is wrong, 3 an invariant broke (--quiz=ANSWERS: 1 an answer\n"
	      "was wrong).  See memstep(1).\n",
	      f);
}

/* The README's reference, from the command table and the key list. */
static void reference(void)
{
	puts("| command | alias | what it does |\n|---|---|---|");
	for (const struct command *c = commands; c->name; c++) {
		struct strbuf args = {0};
		command_args(c, &args);
		printf("| `%s", c->name);
		if (args.len)
			putchar(' ');
		for (size_t i = 0; i < args.len; i++) /* a | inside a table cell must be escaped */
			fputs(args.s[i] == '|' ? "\\|" : (char[]){args.s[i], 0}, stdout);
		strbuf_free(&args);
		printf("` | %s | %s |\n", c->alias ? c->alias : "", c->help);
	}
	puts("\nAny other line is Lua, run in the scenario's globals.\n\nKeys in the TUI:\n\n```");
	fputs(tui_keys_help, stdout);
	puts("```");
}

static int bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "memstep: %s%s\n", msg, arg ? arg : "");
	usage(stderr);
	return EXIT_BAD_SCENARIO;
}

/* The command line and the chosen mode; `chunks` has room for every -e. */
static int run(int argc, char **argv, const char **chunks)
{
	enum { O_BATCH = 256, O_REPL, O_REFERENCE, O_THEME, O_ASCII, O_BENCH, O_TRACE, O_CHECK, O_SEED, O_MAXI, O_MAXM, O_VERSION, O_NO_SOURCE, O_QUIZ, O_QUIZ_EVERY };
	static const struct option longopts[] = {
		{"batch", no_argument, NULL, O_BATCH},
		{"repl", no_argument, NULL, O_REPL},
		{"reference", no_argument, NULL, O_REFERENCE},
		{"theme", required_argument, NULL, O_THEME},
		{"ascii", no_argument, NULL, O_ASCII},
		{"no-source", no_argument, NULL, O_NO_SOURCE},
		{"quiz", optional_argument, NULL, O_QUIZ},
		{"quiz-every", required_argument, NULL, O_QUIZ_EVERY},
		{"bench-render", required_argument, NULL, O_BENCH},
		{"trace", required_argument, NULL, O_TRACE},
		{"check", no_argument, NULL, O_CHECK},
		{"seed", required_argument, NULL, O_SEED},
		{"max-instructions", required_argument, NULL, O_MAXI},
		{"max-lua-memory", required_argument, NULL, O_MAXM},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, O_VERSION},
		{NULL, 0, NULL, 0},
	};
	struct batch_opts b = {0};
	struct tui_opts t = {.quiz_every = -1};
	const char *quiz_answers = NULL;
	int bench_frames = 0;
	enum { MODE_TUI, MODE_REPL, MODE_BATCH } mode = isatty(STDOUT_FILENO) ? MODE_TUI : MODE_REPL;
	struct scenario_opts so;
	scenario_opts_default(&so);
	b.chunks = chunks;
	int c;
	char *end;
	uint64_t size;
	while ((c = getopt_long(argc, argv, "he:", longopts, NULL)) != -1) {
		switch (c) {
		case O_BATCH:
			mode = MODE_BATCH;
			break;
		case O_REPL:
			if (mode != MODE_BATCH)
				mode = MODE_REPL;
			break;
		case O_TRACE:
			if (strcmp(optarg, "text") == 0)
				b.trace = TRACE_TEXT;
			else if (strcmp(optarg, "json") == 0)
				b.trace = TRACE_JSON;
			else if (strcmp(optarg, "none") == 0)
				b.trace = TRACE_NONE;
			else
				return bad_usage("--trace takes text, json or none, not ", optarg);
			break;
		case O_THEME:
			if (!theme_by_name(optarg))
				return bad_usage("--theme takes dark, light or mono, not ", optarg);
			t.theme = optarg;
			break;
		case O_ASCII:
			t.ascii = true;
			break;
		case O_NO_SOURCE:
			t.no_source = true;
			break;
		case O_QUIZ:
			t.quiz = true;
			quiz_answers = optarg;
			break;
		case O_QUIZ_EVERY:
			t.quiz_every = ev_kind_by_name(optarg);
			if (t.quiz_every < 0)
				return bad_usage("--quiz-every takes an event kind (see `help break`), not ", optarg);
			break;
		case O_BENCH:
			bench_frames = atoi(optarg);
			if (bench_frames < 1)
				return bad_usage("--bench-render takes a number of frames, not ", optarg);
			break;
		case O_CHECK:
			b.check = true;
			break;
		case O_SEED:
			so.machine.seed = strtoull(optarg, &end, 10);
			if (*end || !*optarg)
				return bad_usage("--seed takes a number, not ", optarg);
			break;
		case O_MAXI:
			so.limits.max_instructions = strtoull(optarg, &end, 10);
			if (*end || !*optarg)
				return bad_usage("--max-instructions takes a number, not ", optarg);
			break;
		case O_MAXM:
			if (!parse_size(optarg, &size) || size < (1u << 20))
				return bad_usage("--max-lua-memory takes a size of at least 1M, not ", optarg);
			so.limits.max_memory = (size_t)size;
			break;
		case 'e':
			chunks[b.nchunks++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case O_REFERENCE:
			reference();
			return 0;
		case O_VERSION:
			puts("memstep 0.1.0");
			return 0;
		default:
			usage(stderr);
			return EXIT_BAD_SCENARIO;
		}
	}
	char found[4096];
	if (optind < argc)
		b.file = scenario_path(argv[optind++], found, sizeof found);
	if (optind < argc)
		return bad_usage("one scenario file at a time; extra: ", argv[optind]);
	int rc;
	t.file = b.file;
	if (bench_frames) {
		double spf = tui_bench(b.file, bench_frames, 60, 200, &so);
		if (spf >= 0)
			printf("TUI: %.3f ms per frame at 200x60 (target 2 ms)\n", spf * 1e3);
		rc = spf < 0;
	} else if (mode == MODE_BATCH && quiz_answers) {
		rc = quiz_batch_run(b.file, quiz_answers, t.quiz_every, &so);
	} else if (mode == MODE_BATCH) {
		rc = batch_run(&b, &so);
	} else if (mode == MODE_REPL) {
		rc = repl_run(b.file, &so);
	} else {
		rc = tui_run(&t, &so);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "course") == 0)
		return course_main(argc - 1, argv + 1);
	const char **chunks = xcalloc((size_t)argc, sizeof *chunks);
	int rc = run(argc, argv, chunks);
	free(chunks);
	return rc;
}
