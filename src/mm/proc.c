/* The table of /proc files a scenario can read with proc(name). */
#include "proc.h"
#include "procs.h"
#include "slub.h"
#include "vmalloc.h"

#include <string.h>

static const struct {
	const char *name;
	void (*show)(const struct machine *, struct strbuf *);
} files[] = {
	{"buddyinfo", proc_buddyinfo},
	{"zoneinfo", proc_zoneinfo},
	{"meminfo", proc_meminfo},
	{"slabinfo", proc_slabinfo},
	{"vmallocinfo", proc_vmallocinfo},
	{"vmstat", proc_vmstat},
};

const char mm_proc_names[] = "buddyinfo, zoneinfo, meminfo, slabinfo, vmallocinfo, vmstat";

int mm_proc(const struct machine *m, const char *name, struct strbuf *out)
{
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (strcmp(files[i].name, name) == 0) {
			files[i].show(m, out);
			return 0;
		}
	return -1;
}
