/*
 * The command table: gdb's words for moving through a scenario's steps, plus
 * breakpoints, information and files.  One table drives parsing, `help`, tab
 * completion and the README's reference; every front end runs lines through
 * command_execute().  A line that is not a command is Lua.
 */
#ifndef DEBUGGER_COMMANDS_H
#define DEBUGGER_COMMANDS_H

#include "session.h"

#define CMD_MAX_ARGS 16

struct cmd_args {
	int argc;
	char *argv[CMD_MAX_ARGS];
	const char *rest[CMD_MAX_ARGS]; /* the raw line from argv[i] on */
};

/* What completes a command's arguments. */
enum complete_kind { COMPLETE_NONE, COMPLETE_KIND, COMPLETE_INFO, COMPLETE_FILE, COMPLETE_COMMAND, COMPLETE_WATCH,
		     COMPLETE_MARK };

struct command {
	const char *name, *alias, *args, *help;
	int (*fn)(struct session *s, const struct cmd_args *a, struct strbuf *out);
	enum complete_kind complete;
	bool motion; /* moves the cursor: a front end may show the move its own way */
	bool repeats; /* an empty line at the prompt does it again, as in gdb */
};

extern const struct command commands[];

/* The `info` topics (info_topics.c): one table for dispatch, usage, help
 * and completion. */
enum info_arg { INFO_ARG_NONE, INFO_ARG_OPTIONAL, INFO_ARG_NEEDED };
struct info_topic {
	const char *name, *alias, *args;
	enum info_arg arg;
	const char *help;
	/* 0, -1 with the error in out, or 1 for a malformed argument */
	int (*fn)(struct session *s, const char *arg, struct strbuf *out);
};
extern const struct info_topic info_topics[];
const struct info_topic *info_topic_find(const char *name);
/* "breakpoints|zones|…|frame PFN|…": the topics and their arguments. */
void info_topics_usage(struct strbuf *out);
/* One line per topic, for `help info`. */
void info_topics_help(struct strbuf *out);
int info_run(struct session *s, const struct cmd_args *a, struct strbuf *out);

/* break, watch, delete, enable, disable (cmd_break.c). */
int command_break(struct session *s, const struct cmd_args *a, struct strbuf *out);
int command_watch(struct session *s, const struct cmd_args *a, struct strbuf *out);
int command_delete(struct session *s, const struct cmd_args *a, struct strbuf *out);
int command_enable(struct session *s, const struct cmd_args *a, struct strbuf *out);
int command_disable(struct session *s, const struct cmd_args *a, struct strbuf *out);

/* `save FILE` (save.c). */
int command_save(struct session *s, const struct cmd_args *a, struct strbuf *out);

/* A number as commands take it (decimal, or 0x hex as memstep prints). */
bool command_parse_u32(const char *s, uint32_t *v);

/* A command's arguments as help shows them (NULL args: built from a table). */
void command_args(const struct command *c, struct strbuf *out);

/* Run one line (a command or Lua); output goes to out.  0 or -1. */
int command_execute(struct session *s, const char *line, struct strbuf *out);
/* The command a line starts with, or NULL when the line is Lua. */
const struct command *command_find(const char *line);
/* A line shaped like a command that is none (line_kind.c): says so in out,
 * with the nearest command, and returns true. */
bool command_unknown(const struct session *s, const char *line, struct strbuf *out);
/* Should a front end ask before running the line?  True, with the question
 * in `question`, when it is Lua that may make an operation while steps lie
 * ahead of the cursor: the operation would drop them (`undo` takes it back). */
bool command_confirm(const struct session *s, const char *line, char *question, size_t n);
/* Is the line Lua cut short, that the next line may complete? */
bool command_incomplete(const struct session *s, const char *line);
/* The command nearest to a mistyped word, or NULL if none is near. */
const struct command *command_suggest(const char *word);
/* Words that complete `prefix`, the word starting at offset `start` of
 * `line`: commands and Lua globals first, then what the command takes. */
void command_complete(struct session *s, const char *line, int start, const char *prefix,
		      void (*add)(void *ctx, const char *word), void *ctx);

/* What a front end shows after a motion: the stop reason, the step just
 * taken, and narration reached on the way. */
void command_report_motion(struct session *s, uint32_t from, enum stop_reason r, struct strbuf *out);
/* The first look at a scenario: what it says before its first step. */
void command_report_start(struct session *s, struct strbuf *out);

/* Text renderings, also used by the line REPL (info.c). */
void info_zones(const struct session *s, struct strbuf *out);
void info_buddy(const struct session *s, struct strbuf *out);
int info_frame(const struct session *s, uint32_t pfn, struct strbuf *out);
void info_events(const struct session *s, int around, struct strbuf *out);
/* Steps from..to (positions), at most a screenful. */
void info_steps(const struct session *s, uint32_t from, uint32_t to, struct strbuf *out);
void info_ops(const struct session *s, struct strbuf *out);
void info_breakpoints(const struct session *s, struct strbuf *out);
void info_marks(const struct session *s, struct strbuf *out);
void info_where(const struct session *s, struct strbuf *out);
/* info_where, then the operation (steps, line and its source) and the
 * scenario's caption (its title and latest say()). */
void info_where_full(const struct session *s, struct strbuf *out);
void info_list(const struct session *s, int line, struct strbuf *out);
void info_slabs(const struct session *s, struct strbuf *out);
/* Every mm's mappings as ptdump prints them, or one mm's ("2"). */
int info_pgtable(const struct session *s, const char *mm, struct strbuf *out);

#endif
