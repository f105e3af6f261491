/* memstep: the command line.  Until the front ends exist it runs a short
 * built-in demonstration of the buddy allocator and prints its steps. */
#include <stdio.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/machine.h"
#include "mm/page_alloc.h"
#include "mm/trace.h"

static void print_event(void *ctx, const struct machine *m, const struct event *e)
{
	(void)ctx;
	char buf[256];
	ev_format_text(m, e, buf, sizeof buf);
	printf("%5u  %-9s %s\n", e->step, ev_kinds[e->kind].name, buf);
}

int main(void)
{
	struct mm_config c;
	char why[256];
	mm_config_default(&c);
	c.memory = 1 << 20;
	c.page_size = 64 << 10;
	struct machine *m = machine_new(&c, why, sizeof why);
	if (!m) {
		fprintf(stderr, "memstep: %s\n", why);
		return 2;
	}
	m->listener = print_event;
	uint32_t a, b, cc, d;
	puts("1 MiB in 64 KiB pages: allocate 1, 2, 1, 2 pages, then free the 2nd, 4th, 1st, 3rd");
	alloc_pages(m, 0, GFP_KERNEL, -1, &a);
	alloc_pages(m, 1, GFP_KERNEL, -1, &b);
	alloc_pages(m, 0, GFP_KERNEL, -1, &cc);
	alloc_pages(m, 1, GFP_KERNEL, -1, &d);
	free_pages(m, b, -1);
	free_pages(m, d, -1);
	free_pages(m, a, -1);
	free_pages(m, cc, -1);
	int rc = check_machine(m, why, sizeof why);
	if (rc)
		fprintf(stderr, "memstep: invariant broken: %s\n", why);
	machine_free(m);
	return rc ? 3 : 0;
}
