/* The OSTEP simulators' command lines, as Python's optparse reads them,
 * and what the course front ends share. */
#ifndef COURSE_OPTPARSE_H
#define COURSE_OPTPARSE_H

#include <stdbool.h>
#include <stdio.h>

struct machine;

enum opt_type { OPT_INT, OPT_STR, OPT_BOOL };

struct opt {
	char shortname;
	const char *longname;
	enum opt_type type;
	const char *help;
	long long ival; /* defaults set by the caller, then parsed values */
	const char *sval;
	bool bval;
};

struct prog {
	const char *name; /* the simulator's name, for messages */
	struct opt *opts;
	int nopts;
	bool lua; /* --lua: print a scenario instead */
};

/* Parse argv[1..]: 0, or 2 after a message as optparse gives it. */
int parse_args(struct prog *p, int argc, char **argv);
struct opt *get_opt(struct prog *p, char shortname);
static inline const char *pybool(bool b) { return b ? "True" : "False"; }
/* optparse's integers: 0x hex, 0b binary, a leading 0 octal. */
bool parse_int(const char *s, long long *out);

/* The simulators' convert(): a size with an optional k, m or g suffix
 * (binary), else Python's int(). */
bool size_arg(const char *s, long long *out);

/* A machine for the models alone: the smallest there is, no journal. */
struct machine *model_machine(void);

int course_malloc(int argc, char **argv);
int course_paging(int argc, char **argv);
int course_relocation(int argc, char **argv);
int course_segmentation(int argc, char **argv);
int course_linear(int argc, char **argv);
int course_multilevel(int argc, char **argv);

#endif
