/* proc(name): the files of every subsystem's row in subsys.c. */
#include "proc.h"
#include "numa.h"
#include "subsys.h"

#include <string.h>

int mm_proc(const struct machine *m, const char *name, struct strbuf *out)
{
	for (const struct mm_subsys *s = mm_subsystems; s->name; s++)
		for (const struct mm_proc_file *f = s->proc; f && f->name; f++)
			if (strcmp(f->name, name) == 0) {
				const char *why = f->absent ? f->absent(m) : NULL;
				if (why) {
					strbuf_printf(out, "%s", why);
					return -2;
				}
				f->show(m, out);
				return 0;
			}
	/* /sys/devices/system/node/nodeN/… */
	return numa_node_file(m, name, out);
}

/* How many files of the table from f on share f's directory. */
static unsigned same_dir(const struct mm_proc_file *f)
{
	const char *slash = strrchr(f->name, '/');
	unsigned n = 0;
	while (slash && f[n].name && strncmp(f[n].name, f->name, (size_t)(slash - f->name + 1)) == 0)
		n++;
	return n;
}

/* A directory of many files (kernel/mm/ksm) is named once, as DIR/. */
void mm_proc_names(struct strbuf *out)
{
	const char *sep = "";
	for (const struct mm_subsys *s = mm_subsystems; s->name; s++)
		for (const struct mm_proc_file *f = s->proc; f && f->name; f++) {
			unsigned n = same_dir(f);
			if (n >= 4) {
				strbuf_printf(out, "%s%.*s*", sep, (int)(strrchr(f->name, '/') - f->name + 1), f->name);
				f += n - 1;
			} else {
				strbuf_printf(out, "%s%s", sep, f->name);
			}
			sep = ", ";
		}
}
