/*
 * Python optparse's reading of a command line, as far as the OSTEP
 * simulators use it (optparse.h): short and long options, values attached
 * or separate, clustered switches, its integer syntax and its messages.
 */
#include "optparse.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mm/machine.h"

/* ---- optparse, as far as the simulators use it ---- */

static void usage(const struct prog *p, FILE *out)
{
	fprintf(out, "Usage: memstep course %s [options]\n\nOptions:\n  -h, --help            show this help message and exit\n", p->name);
	for (int i = 0; i < p->nopts; i++) {
		const struct opt *o = &p->opts[i];
		char left[64];
		if (o->type == OPT_BOOL)
			snprintf(left, sizeof left, "-%c, --%s", o->shortname, o->longname);
		else
			snprintf(left, sizeof left, "-%c %s, --%s=%s", o->shortname, "X", o->longname, "X");
		fprintf(out, "  %-22s%s\n", left, o->help);
	}
	fprintf(out, "  %-22s%s\n", "--lua", "print the run as a memstep scenario (memstep's own)");
}

static int opt_error(const struct prog *p, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "Usage: memstep course %s [options]\n\nmemstep course %s: error: ", p->name, p->name);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

/* optparse's _parse_num: 0x hex, 0b binary, a leading 0 octal. */
bool parse_int(const char *s, long long *out)
{
	const char *t = s;
	bool neg = false;
	if (*t == '-' || *t == '+')
		neg = *t++ == '-';
	int base = 10;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
		base = 16, t += 2;
	else if (t[0] == '0' && (t[1] == 'b' || t[1] == 'B'))
		base = 2, t += 2;
	else if (t[0] == '0' && t[1])
		base = 8, t += 1;
	if (!*t)
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(t, &end, base);
	if (*end || errno)
		return false;
	*out = neg ? -v : v;
	return true;
}

static int set_value(const struct prog *p, struct opt *o, const char *name, const char *val)
{
	if (o->type == OPT_STR) {
		o->sval = val;
		return 0;
	}
	if (!parse_int(val, &o->ival))
		return opt_error(p, "option %s: invalid integer value: '%s'", name, val);
	return 0;
}

int parse_args(struct prog *p, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(p, stdout);
			exit(0);
		}
		if (strcmp(a, "--lua") == 0) {
			p->lua = true;
			continue;
		}
		if (a[0] == '-' && a[1] == '-') {
			char *eq = strchr(a, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			struct opt *o = NULL;
			for (int k = 0; k < p->nopts; k++)
				if (strlen(p->opts[k].longname) == n && strncmp(p->opts[k].longname, a + 2, n) == 0)
					o = &p->opts[k];
			if (!o)
				return opt_error(p, "no such option: %s%s", a, "");
			if (o->type == OPT_BOOL) {
				if (eq)
					return opt_error(p, "--%s option does not take a value%s", o->longname, "");
				o->bval = true;
				continue;
			}
			const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!val)
				return opt_error(p, "%s option requires 1 argument%s", a, "");
			if (set_value(p, o, a, val))
				return 2;
			continue;
		}
		if (a[0] != '-' || !a[1])
			continue; /* optparse keeps positional arguments; the simulators ignore them */
		for (char *c = a + 1; *c; c++) {
			struct opt *o = NULL;
			for (int k = 0; k < p->nopts; k++)
				if (p->opts[k].shortname == *c)
					o = &p->opts[k];
			char name[3] = {'-', *c, 0};
			if (!o)
				return opt_error(p, "no such option: %s%s", name, "");
			if (o->type == OPT_BOOL) {
				o->bval = true;
				continue;
			}
			const char *val = c[1] ? c + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!val)
				return opt_error(p, "%s option requires 1 argument%s", name, "");
			if (set_value(p, o, name, val))
				return 2;
			break;
		}
	}
	return 0;
}

struct opt *get_opt(struct prog *p, char shortname)
{
	for (int k = 0; k < p->nopts; k++)
		if (p->opts[k].shortname == shortname)
			return &p->opts[k];
	abort();
}

/* A machine for the models alone: the smallest there is, no journal. */
bool size_arg(const char *s, long long *out)
{
	size_t n = strlen(s);
	long long mult = 1;
	if (n && strchr("kK", s[n - 1]))
		mult = 1024;
	else if (n && strchr("mM", s[n - 1]))
		mult = 1024 * 1024;
	else if (n && strchr("gG", s[n - 1]))
		mult = 1024 * 1024 * 1024;
	char buf[64], *end;
	snprintf(buf, sizeof buf, "%.*s", (int)(mult > 1 ? n - 1 : n), s);
	long long v = strtoll(buf, &end, 10);
	if (end == buf || *end)
		return false;
	*out = v * mult;
	return true;
}

struct machine *model_machine(void)
{
	struct mm_config c;
	char why[256];
	mm_config_default(&c);
	c.memory = 16 * 64;
	c.page_size = 64;
	c.max_order = 1;
	c.min_free_kbytes = 0;
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m)
		fprintf(stderr, "memstep course: %s\n", why);
	return m;
}

