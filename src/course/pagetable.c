/*
 * `memstep course paging-linear-translate` and `memstep course
 * paging-multilevel-translate`: OSTEP's vm-paging/paging-linear-translate.py
 * and vm-smalltables/paging-multilevel-translate.py on the textbook page
 * tables.  The page tables, the memory dump and the address traces are
 * drawn as the simulators draw them (each virtual page valid with -u
 * percent, a free physical page drawn for it; the two-level machine's
 * process allocation, page fills and its mix of mapped and random
 * addresses), and printed as they print them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optparse.h"
#include "mm/machine.h"
#include "mm/textbook/pagetable.h"
#include "mm/textbook/pyrandom.h"

static double rnd(struct pyrandom *r)
{
	struct journal none = {0};
	return pyrandom_random(&none, r);
}

static int arg_error(const char *msg)
{
	printf("Error in argument: %s\n", msg);
	return 1;
}

int course_linear(int argc, char **argv)
{
	struct opt opts[] = {
		{'A', "addresses", OPT_STR, "a set of comma-separated pages to access; -1 means randomly generate", 0, "-1",
		 false},
		{'s', "seed", OPT_INT, "the random seed", 0, NULL, false},
		{'a', "asize", OPT_STR, "address space size (e.g., 16, 64k, 32m, 1g)", 0, "16k", false},
		{'p', "physmem", OPT_STR, "physical memory size (e.g., 16, 64k, 32m, 1g)", 0, "64k", false},
		{'P', "pagesize", OPT_STR, "page size (e.g., 4k, 8k, whatever)", 0, "4k", false},
		{'n', "numaddrs", OPT_INT, "number of virtual addresses to generate", 5, NULL, false},
		{'u', "used", OPT_INT, "percent of virtual address space that is used", 50, NULL, false},
		{'v', "verbose", OPT_BOOL, "verbose mode", 0, NULL, false},
		{'c', "compute", OPT_BOOL, "compute answers for me", 0, NULL, false},
	};
	struct prog p = {"paging-linear-translate", opts, (int)(sizeof opts / sizeof opts[0]), false};
	int rc = parse_args(&p, argc, argv);
	if (rc)
		return rc;
	long long seed = get_opt(&p, 's')->ival, n = get_opt(&p, 'n')->ival, used = get_opt(&p, 'u')->ival;
	bool verbose = get_opt(&p, 'v')->bval, solve = get_opt(&p, 'c')->bval;
	const char *addrs = get_opt(&p, 'A')->sval;
	printf("ARG seed %lld\nARG address space size %s\nARG phys mem size %s\nARG page size %s\nARG verbose %s\n"
	       "ARG addresses %s\n\n",
	       seed, get_opt(&p, 'a')->sval, get_opt(&p, 'p')->sval, get_opt(&p, 'P')->sval, pybool(verbose), addrs);
	long long asize, psize, pagesize;
	if (!size_arg(get_opt(&p, 'a')->sval, &asize) || !size_arg(get_opt(&p, 'p')->sval, &psize) ||
	    !size_arg(get_opt(&p, 'P')->sval, &pagesize)) {
		fprintf(stderr, "memstep course paging-linear-translate: sizes are whole numbers with an optional k, m or g\n");
		return 2;
	}
	struct pyrandom r;
	pyrandom_seed(&r, seed);
	if (psize <= 1)
		return printf("Error: must specify a non-zero physical memory size.\n"), 1;
	if (asize < 1)
		return printf("Error: must specify a non-zero address-space size.\n"), 1;
	if (psize <= asize)
		return printf("Error: physical memory size must be GREATER than address space size (for this simulation)\n"), 1;
	if (psize >= 1ll << 30 || asize >= 1ll << 30)
		return printf("Error: must use smaller sizes (less than 1 GB) for this simulation.\n"), 1;
	if (pagesize <= 0) {
		fprintf(stderr, "memstep course paging-linear-translate: the page size must be positive\n");
		return 2;
	}
	if (asize % pagesize)
		return arg_error("address space must be a multiple of the pagesize");
	if (psize % pagesize)
		return arg_error("physical memory must be a multiple of the pagesize");
	long long pages = psize / pagesize, vpages = asize / pagesize;
	/* the simulator takes logs as floats, then checks 2^bits == size */
	int vabits = (int)(log((double)asize) / log(2.0)), pagebits = (int)(log((double)pagesize) / log(2.0));
	if (ldexp(1.0, vabits) != (double)asize)
		return arg_error("address space must be a power of 2");
	if (ldexp(1.0, pagebits) != (double)pagesize)
		return arg_error("page size must be a power of 2");
	if (vpages > LPT_MAX_PAGES) {
		fprintf(stderr, "memstep course paging-linear-translate: at most %u virtual pages\n", LPT_MAX_PAGES);
		return 2;
	}
	printf("\nThe format of the page table is simple:\nThe high-order (left-most) bit is the VALID bit.\n"
	       "  If the bit is 1, the rest of the entry is the PFN.\n  If the bit is 0, the page is not valid.\n"
	       "Use verbose mode (-v) if you want to print the VPN # by\neach entry of the page table.\n\n");
	printf("Page Table (from entry 0 down to the max size)\n");
	char *taken = calloc((size_t)pages, 1);
	uint32_t *pte = calloc((size_t)vpages + 1, sizeof *pte);
	for (long long v = 0; v < vpages; v++) {
		for (;;) {
			if (rnd(&r) * 100.0 > 100.0 - (double)used) {
				long long u = (long long)((double)pages * rnd(&r));
				if (taken[u])
					continue;
				taken[u] = 1;
				pte[v] = 0x80000000u | (uint32_t)u;
			}
			break;
		}
		if (verbose)
			printf("  [%8lld]  0x%08x\n", v, pte[v]);
		else
			printf("  0x%08x\n", pte[v]);
	}
	printf("\n");
	free(taken);
	struct machine *m = model_machine();
	uint32_t off = m ? linear_pt_new(m, (uint32_t)pagebits, (uint32_t)vpages, (uint64_t)psize, pte) : 0;
	free(pte);
	if (!m)
		return 1;
	printf("Virtual Address Trace\n");
	char *copy = strcmp(addrs, "-1") ? strdup(addrs) : NULL, *save = copy, *tok = NULL;
	for (long long i = 0; copy ? (tok = strsep(&save, ",")) != NULL : i < n; i++) {
		long long va;
		if (copy) {
			char *end;
			va = strtoll(tok, &end, 10);
			if (end == tok || *end || va < 0 || va >= asize) {
				fprintf(stderr, "memstep course paging-linear-translate: '%s' is not an address in the space\n", tok);
				rc = 2;
				break;
			}
		} else
			va = (long long)((double)asize * rnd(&r));
		if (!solve) {
			printf("  VA 0x%08llx (decimal: %8lld) --> PA or invalid address?\n", va, va);
			continue;
		}
		uint64_t pa;
		if (linear_pt_translate(m, off, (uint64_t)va, &pa))
			printf("  VA 0x%08llx (decimal: %8lld) --> %08llx (decimal %8lld) [VPN %lld]\n", va, va,
			       (unsigned long long)pa, (long long)pa, va >> pagebits);
		else
			printf("  VA 0x%08llx (decimal: %8lld) -->  Invalid (VPN %lld not valid)\n", va, va, va >> pagebits);
	}
	free(copy);
	if (!rc) {
		printf("\n");
		if (!solve)
			printf("For each virtual address, write down the physical address it translates to\n"
			       "OR write down that it is an out-of-bounds address (e.g., segfault).\n\n");
	}
	machine_free(m);
	return rc;
}

/* The simulator's machine making a process (its OS.procAlloc). */
struct mlos {
	uint8_t mem[MLPT_MEM];
	uint8_t used[MLPT_PAGES];
	unsigned nused;
	struct pyrandom *r;
};

static unsigned find_free(struct mlos *os)
{
	if (os->nused == MLPT_PAGES) { /* the simulator's assertion */
		fprintf(stderr, "memstep course paging-multilevel-translate: all 128 physical pages are in use\n");
		exit(1);
	}
	unsigned look = (unsigned)(rnd(os->r) * MLPT_PAGES);
	while (os->used[look])
		look = (unsigned)(rnd(os->r) * MLPT_PAGES);
	os->used[look] = 1;
	os->nused++;
	return look;
}

static void alloc_virtual_page(struct mlos *os, unsigned pdbr, unsigned vp, unsigned pp)
{
	unsigned va = vp << 5, pde_addr = pdbr * MLPT_PAGE | ((va >> 10) & 0x1f);
	unsigned pt = os->mem[pde_addr] & 0x7f;
	if (!(os->mem[pde_addr] & 0x80)) {
		pt = find_free(os);
		os->mem[pde_addr] = (uint8_t)(0x80 | pt);
		memset(os->mem + pt * MLPT_PAGE, 0x7f, MLPT_PAGE);
	}
	os->mem[pt * MLPT_PAGE | ((va >> 5) & 0x1f)] = (uint8_t)(0x80 | pp);
}

/* The walk's mlpt_entry events, as the simulator prints each lookup. */
static void print_entry(void *ctx, const struct machine *m, const struct event *e)
{
	(void)ctx;
	(void)m;
	if (e->kind != EV_MLPT_ENTRY)
		return;
	long long index = e->f[3], entry = e->f[5], valid = e->f[6], pfn = e->f[7];
	printf("%s--> %s index:0x%llx [decimal %lld] %s contents:0x%llx (valid %lld, pfn 0x%02llx [decimal %lld])\n",
	       e->f[2] ? "    " : "  ", e->f[2] ? "pte" : "pde", index, index, e->f[2] ? "pte" : "pde", entry, valid,
	       pfn, pfn);
}

int course_multilevel(int argc, char **argv)
{
	struct opt opts[] = {
		{'s', "seed", OPT_INT, "the random seed", 0, NULL, false},
		{'a', "allocated", OPT_INT, "number of virtual pages allocated", 64, NULL, false},
		{'n', "addresses", OPT_INT, "number of virtual addresses to generate", 10, NULL, false},
		{'c', "solve", OPT_BOOL, "compute answers for me", 0, NULL, false},
	};
	struct prog p = {"paging-multilevel-translate", opts, (int)(sizeof opts / sizeof opts[0]), false};
	int rc = parse_args(&p, argc, argv);
	if (rc)
		return rc;
	long long seed = get_opt(&p, 's')->ival, alloc = get_opt(&p, 'a')->ival, n = get_opt(&p, 'n')->ival;
	bool solve = get_opt(&p, 'c')->bval;
	printf("ARG seed %lld\nARG allocated %lld\nARG num %lld\n\n", seed, alloc, n);
	if (alloc < 0 || alloc > 1024) {
		fprintf(stderr, "memstep course paging-multilevel-translate: -a must be from 0 to 1024 virtual pages\n");
		return 2;
	}
	struct pyrandom r;
	pyrandom_seed(&r, seed);
	static struct mlos os;
	memset(&os, 0, sizeof os);
	os.r = &r;
	unsigned pdbr = find_free(&os);
	memset(os.mem + pdbr * MLPT_PAGE, 0x7f, MLPT_PAGE);
	uint8_t vused[1024] = {0};
	static unsigned vps[1024];
	for (long long i = 0; i < alloc; i++) {
		unsigned vp = (unsigned)(rnd(&r) * 1024);
		while (vused[vp])
			vp = (unsigned)(rnd(&r) * 1024);
		vused[vp] = 1;
		vps[i] = vp;
		unsigned pp = find_free(&os);
		alloc_virtual_page(&os, pdbr, vp, pp);
		for (unsigned j = 0; j < MLPT_PAGE; j++)
			os.mem[pp * MLPT_PAGE + j] = (uint8_t)(rnd(&r) * 31);
	}
	for (unsigned pg = 0; pg < MLPT_PAGES; pg++) {
		printf("page %3u:", pg);
		for (unsigned j = 0; j < MLPT_PAGE; j++)
			printf("%02x", os.mem[pg * MLPT_PAGE + j]);
		printf("\n");
	}
	printf("\nPDBR: %u  (decimal) [This means the page directory is held in this page]\n\n", pdbr);
	struct machine *m = model_machine();
	if (!m)
		return 1;
	uint32_t off = multilevel_pt_new(m, os.mem, pdbr);
	m->listener = print_entry;
	for (long long i = 0; i < n; i++) {
		unsigned va;
		if (rnd(&r) * 100 > 50.0 || i >= alloc)
			va = (unsigned)(rnd(&r) * 1024 * 32);
		else
			va = vps[i] << 5 | (unsigned)(rnd(&r) * 32);
		if (!solve) {
			printf("Virtual Address %04x: Translates To What Physical Address (And Fetches what Value)? Or Fault?\n", va);
			continue;
		}
		printf("Virtual Address 0x%04x:\n", va);
		uint32_t pa = 0, value = 0; /* the entries print from the walk's events */
		switch (multilevel_pt_translate(m, off, va, &pa, &value)) {
		case MLPT_OK:
			printf("      --> Translates to Physical Address 0x%03x --> Value: 0x%02x\n", pa, value);
			break;
		case MLPT_PDE_FAULT:
			printf("      --> Fault (page directory entry not valid)\n");
			break;
		case MLPT_PTE_FAULT:
			printf("      --> Fault (page table entry not valid)\n");
			break;
		}
	}
	printf("\n");
	machine_free(m);
	return 0;
}
