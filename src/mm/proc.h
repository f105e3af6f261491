/* /proc files rendered from the model in the kernel's formats. */
#ifndef MM_PROC_H
#define MM_PROC_H

#include "machine.h"
#include "strbuf.h"

/* Append the file's text; -1 for an unknown name; -2 for a file this
 * machine's kernel would not have, with why in out. */
int mm_proc(const struct machine *m, const char *name, struct strbuf *out);
/* Append the names of every file, comma-separated ("buddyinfo, zoneinfo, …"). */
void mm_proc_names(struct strbuf *out);

void proc_buddyinfo(const struct machine *m, struct strbuf *out);
void proc_zoneinfo(const struct machine *m, struct strbuf *out);
void proc_meminfo(const struct machine *m, struct strbuf *out);
void proc_pagetypeinfo(const struct machine *m, struct strbuf *out);

/* NR_PAGETABLE: the table pages of every address space (vmstat.c). */
uint64_t page_table_pages(const struct machine *m);

/* totalreserve_pages: what the allocator keeps back (MemAvailable). */
uint64_t totalreserve_pages(const struct machine *m);

#endif
