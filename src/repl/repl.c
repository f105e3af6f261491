/*
 * The line REPL.  Interactive input goes through GNU readline (editing, tab
 * completion from the command table, history appended to
 * $XDG_STATE_HOME/memstep/history as each line is entered, so it survives
 * however memstep ends); piped input is read line by line and echoed, so a
 * transcript reads like a session.  As in gdb, an empty line repeats the
 * last motion; Lua cut short continues on the next line; Ctrl-C interrupts
 * the running command (session.interrupt) and never ends memstep.
 */
#include "mm/xalloc.h"
#include "repl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "debugger/commands.h"

static struct session *current; /* readline's and signals' callbacks have no context */

/* ---- Ctrl-C ---- */

static void on_sigint(int sig)
{
	(void)sig;
	if (current)
		current->interrupt++;
}

/* At the prompt (readline sees the interrupted read): drop the line typed
 * so far and prompt again, as a shell does. */
static int at_prompt_interrupt(void)
{
	if (current && current->interrupt) {
		current->interrupt = 0;
		rl_replace_line("", 0);
		rl_crlf();
		rl_on_new_line();
		rl_redisplay();
	}
	return 0;
}

static void catch_sigint(bool interactive)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	/* readline must see its read interrupted; getline must not */
	sa.sa_flags = interactive ? 0 : SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
}

/* ---- completion ---- */

struct matches {
	char **v;
	int n, cap;
};

static void add_match(void *ctx, const char *word)
{
	struct matches *m = ctx;
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->v[i], word) == 0)
			return;
	if (m->n + 1 >= m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->v = xrealloc(m->v, (size_t)m->cap * sizeof *m->v);
	}
	m->v[m->n++] = xstrdup(word);
}

static char *next_match(const char *text, int state)
{
	static struct matches m;
	static int at;
	if (!state) {
		for (int i = at; i < m.n; i++)
			free(m.v[i]);
		m.n = at = 0;
		command_complete(current, rl_line_buffer, rl_point - (int)strlen(text), text, add_match, &m);
	}
	return at < m.n ? m.v[at++] : NULL; /* readline frees what it is given */
}

static char **complete(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1; /* no file names unless we say so */
	const struct command *c = command_find(rl_line_buffer);
	if (c && c->complete == COMPLETE_FILE && start > 0) {
		rl_attempted_completion_over = 0;
		return NULL;
	}
	return rl_completion_matches(text, next_match);
}

/* ---- history ---- */

static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[1024];
	if (state && *state)
		snprintf(dir, sizeof dir, "%s/memstep", state);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.local/state/memstep", home);
	else
		return NULL;
	/* mkdir -p, quietly: no history is no reason to fail */
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(dir, 0700);
			*p = '/';
		}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return NULL;
	size_t n = strlen(dir) + 9;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/history", dir);
	return path;
}

/* ---- the loop ---- */

static void print_out(struct strbuf *out)
{
	if (out->len)
		fwrite(out->s, 1, out->len, stdout);
	out->len = 0;
	if (out->s)
		out->s[0] = 0;
	fflush(stdout);
}

/* play: step at the session's speed until something stops it. */
static void play(struct session *s, struct strbuf *out)
{
	struct timespec delay = {0, 0};
	double secs = 1.0 / s->speed;
	delay.tv_sec = (time_t)secs;
	delay.tv_nsec = (long)((secs - (double)delay.tv_sec) * 1e9);
	while (s->playing) {
		if (s->interrupt) { /* Ctrl-C stops playing */
			s->playing = false;
			strbuf_printf(out, "[interrupted (Ctrl-C)]\n");
			print_out(out);
			break;
		}
		uint32_t from = session_cursor(s);
		enum stop_reason r = session_step(s, 1);
		command_report_motion(s, from, r, out);
		print_out(out);
		if (r != STOP_DONE)
			s->playing = false;
		else
			nanosleep(&delay, NULL);
	}
}

/* Run a line; an empty one repeats the last motion (`repeat`, kept here). */
static void run_line(struct session *s, const char *line, char **repeat, struct strbuf *out)
{
	if (!line[strspn(line, " \t")]) {
		if (!*repeat)
			return;
		line = *repeat;
	} else {
		const struct command *c = command_find(line);
		if (c && c->repeats && line != *repeat) {
			free(*repeat);
			*repeat = xstrdup(line);
		}
	}
	command_execute(s, line, out);
	print_out(out);
	if (s->playing)
		play(s, out);
}

/* One line of input, NULL at the end; `more` for a continuation. */
static char *read_line(bool interactive, bool more)
{
	const char *prompt = more ? "...> " : "(memstep) ";
	if (interactive)
		return readline(prompt);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n && line[n - 1] == '\n')
		line[n - 1] = 0;
	printf("%s%s\n", prompt, line);
	return line;
}

/* A line, and while it is Lua cut short (a function, a loop, a table not
 * closed yet), the lines that continue it. */
static char *read_chunk(struct session *s, bool interactive)
{
	char *chunk = read_line(interactive, false);
	while (chunk && command_incomplete(s, chunk)) {
		char *more = read_line(interactive, true);
		if (!more)
			break;
		size_t n = strlen(chunk) + strlen(more) + 2;
		chunk = xrealloc(chunk, n);
		strcat(chunk, "\n");
		strcat(chunk, more);
		free(more);
	}
	return chunk;
}

int repl_run(const char *file, const struct scenario_opts *opts)
{
	char why[256];
	struct strbuf out = {0};
	struct session *s = session_new(opts, NULL, NULL, why, sizeof why);
	if (!s) {
		fprintf(stderr, "memstep: %s\n", why);
		return 2;
	}
	current = s;
	int status = 0;
	if (file && session_load(s, file, &out) != 0)
		status = 2;
	else
		command_report_start(s, &out);
	print_out(&out);
	bool interactive = isatty(STDIN_FILENO);
	char *hist = NULL, *repeat = NULL;
	catch_sigint(interactive);
	if (interactive) {
		rl_readline_name = "memstep";
		rl_attempted_completion_function = complete;
		rl_basic_word_break_characters = " \t\n\"'(),=[]{}+-*/<>~";
		rl_catch_signals = 0; /* Ctrl-C is ours: on_sigint */
		rl_signal_event_hook = at_prompt_interrupt;
		hist = history_path();
		/* the file must exist for lines to be appended to it */
		if (hist && read_history(hist) != 0 && write_history(hist) != 0) {
			free(hist);
			hist = NULL;
		}
		puts("Type `help` for commands; any other line is Lua.");
	}
	while (!s->quit && status == 0) {
		char *line = read_chunk(s, interactive);
		if (!line)
			break;
		if (interactive && *line) {
			add_history(line);
			if (hist)
				append_history(1, hist);
		}
		char question[300];
		if (interactive && command_confirm(s, line, question, sizeof question)) {
			char *answer = readline(question);
			bool yes = answer && (answer[0] == 'y' || answer[0] == 'Y');
			free(answer);
			if (!yes) {
				puts("(not run: the steps ahead stay)");
				free(line);
				continue;
			}
		}
		run_line(s, line, &repeat, &out);
		free(line);
	}
	free(repeat);
	if (hist) {
		history_truncate_file(hist, 1000);
		free(hist);
	}
	current = NULL;
	strbuf_free(&out);
	session_free(s);
	return status;
}
