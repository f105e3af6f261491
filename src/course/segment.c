/*
 * `memstep course relocation` and `memstep course segmentation`: OSTEP's
 * vm-mechanism/relocation.py and vm-segmentation/segmentation.py on the
 * textbook segment model.  Registers not given are drawn as the simulators
 * draw them (a limit of asize/4 plus up to another quarter, bases retried
 * until the segment fits and, for segment 1, does not overlap segment 0);
 * sizes take k/m/g; the checks and their messages are the simulators'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optparse.h"
#include "mm/machine.h"
#include "mm/textbook/pyrandom.h"
#include "mm/textbook/segment.h"

static int error(const char *msg)
{
	printf("Error: %s\n", msg);
	return 1;
}

static long long quarter_draw(struct pyrandom *r, long long asize)
{
	struct journal none = {0};
	return (long long)((double)asize / 4.0 + ((double)asize / 4.0 * pyrandom_random(&none, r)));
}

static long long draw(struct pyrandom *r, long long n)
{
	struct journal none = {0};
	return (long long)((double)n * pyrandom_random(&none, r));
}

static void trace_line(long i, long long va, bool solve, bool ok, const char *seg, long long pa)
{
	if (!solve)
		printf("  VA %2ld: 0x%08llx (decimal: %4lld) --> PA or segmentation violation?\n", i, va, va);
	else if (!ok)
		printf("  VA %2ld: 0x%08llx (decimal: %4lld) --> SEGMENTATION VIOLATION%s\n", i, va, va, seg);
	else
		printf("  VA %2ld: 0x%08llx (decimal: %4lld) --> VALID%s: 0x%08llx (decimal: %4lld)\n", i, va, va, seg, pa,
		       pa);
}

int course_relocation(int argc, char **argv)
{
	struct opt opts[] = {
		{'s', "seed", OPT_INT, "the random seed", 0, NULL, false},
		{'a', "asize", OPT_STR, "address space size (e.g., 16, 64k, 32m, 1g)", 0, "1k", false},
		{'p', "physmem", OPT_STR, "physical memory size (e.g., 16, 64k, 32m, 1g)", 0, "16k", false},
		{'n', "addresses", OPT_INT, "number of virtual addresses to generate", 5, NULL, false},
		{'b', "b", OPT_STR, "value of base register", 0, "-1", false},
		{'l', "l", OPT_STR, "value of limit register", 0, "-1", false},
		{'c', "compute", OPT_BOOL, "compute answers for me", 0, NULL, false},
	};
	struct prog p = {"relocation", opts, (int)(sizeof opts / sizeof opts[0]), false};
	int rc = parse_args(&p, argc, argv);
	if (rc)
		return rc;
	long long seed = get_opt(&p, 's')->ival, n = get_opt(&p, 'n')->ival, asize, psize, base, limit;
	bool solve = get_opt(&p, 'c')->bval;
	printf("\nARG seed %lld\nARG address space size %s\nARG phys mem size %s\n\n", seed, get_opt(&p, 'a')->sval,
	       get_opt(&p, 'p')->sval);
	if (!size_arg(get_opt(&p, 'a')->sval, &asize) || !size_arg(get_opt(&p, 'p')->sval, &psize) ||
	    !size_arg(get_opt(&p, 'b')->sval, &base) || !size_arg(get_opt(&p, 'l')->sval, &limit)) {
		fprintf(stderr, "memstep course relocation: sizes are whole numbers with an optional k, m or g\n");
		return 2;
	}
	struct pyrandom r;
	pyrandom_seed(&r, seed);
	if (psize <= 1)
		return error("must specify a non-zero physical memory size.");
	if (asize == 0)
		return error("must specify a non-zero address-space size.");
	if (psize <= asize)
		return error("physical memory size must be GREATER than address space size (for this simulation)");
	if (asize < 0 || psize > (1ll << 48) || base < -1 || limit < -1) {
		fprintf(stderr, "memstep course relocation: sizes and registers must be from 0 to 2^48\n");
		return 2;
	}
	if (limit == -1)
		limit = quarter_draw(&r, asize);
	if (base == -1)
		do
			base = draw(&r, psize);
		while (base + limit >= psize);
	printf("Base-and-Bounds register information:\n\n  Base   : 0x%08llx (decimal %lld)\n  Limit  : %lld\n\n", base,
	       base, limit);
	if (base + limit > psize) {
		printf("Error: address space does not fit into physical memory with those base/bounds values.\n");
		printf("Base + Limit: %lld   Psize: %lld\n", base + limit, psize);
		return 1;
	}
	struct machine *m = model_machine();
	if (!m)
		return 1;
	struct seg_config c = {(uint64_t)asize, (uint64_t)psize, 1, {(uint64_t)base}, {(uint64_t)limit}};
	uint32_t off = segtable_new(m, &c);
	printf("Virtual Address Trace\n");
	for (long i = 0; i < n; i++) {
		long long va = draw(&r, asize);
		uint64_t pa = 0;
		unsigned seg;
		bool ok = solve && segment_translate(m, off, (uint64_t)va, &pa, &seg);
		trace_line(i, va, solve, ok, "", (long long)pa);
	}
	printf("\n");
	if (!solve)
		printf("For each virtual address, either write down the physical address it translates to\n"
		       "OR write down that it is an out-of-bounds address (a segmentation violation). For\n"
		       "this problem, you should assume a simple virtual address space of a given size.\n\n");
	machine_free(m);
	return 0;
}

int course_segmentation(int argc, char **argv)
{
	struct opt opts[] = {
		{'s', "seed", OPT_INT, "the random seed", 0, NULL, false},
		{'A', "addresses", OPT_STR, "a set of comma-separated pages to access; -1 means randomly generate", 0, "-1",
		 false},
		{'a', "asize", OPT_STR, "address space size (e.g., 16, 64k, 32m, 1g)", 0, "1k", false},
		{'p', "physmem", OPT_STR, "physical memory size (e.g., 16, 64k, 32m, 1g)", 0, "16k", false},
		{'n', "numaddrs", OPT_INT, "number of virtual addresses to generate", 5, NULL, false},
		{'b', "b0", OPT_STR, "value of segment 0 base register", 0, "-1", false},
		{'l', "l0", OPT_STR, "value of segment 0 limit register", 0, "-1", false},
		{'B', "b1", OPT_STR, "value of segment 1 base register", 0, "-1", false},
		{'L', "l1", OPT_STR, "value of segment 1 limit register", 0, "-1", false},
		{'c', "compute", OPT_BOOL, "compute answers for me", 0, NULL, false},
	};
	struct prog p = {"segmentation", opts, (int)(sizeof opts / sizeof opts[0]), false};
	int rc = parse_args(&p, argc, argv);
	if (rc)
		return rc;
	long long seed = get_opt(&p, 's')->ival, n = get_opt(&p, 'n')->ival;
	long long asize, psize, base0, base1, len0, len1;
	bool solve = get_opt(&p, 'c')->bval;
	const char *addrs = get_opt(&p, 'A')->sval;
	printf("ARG seed %lld\nARG address space size %s\nARG phys mem size %s\n\n", seed, get_opt(&p, 'a')->sval,
	       get_opt(&p, 'p')->sval);
	if (!size_arg(get_opt(&p, 'a')->sval, &asize) || !size_arg(get_opt(&p, 'p')->sval, &psize) ||
	    !size_arg(get_opt(&p, 'b')->sval, &base0) || !size_arg(get_opt(&p, 'B')->sval, &base1) ||
	    !size_arg(get_opt(&p, 'l')->sval, &len0) || !size_arg(get_opt(&p, 'L')->sval, &len1)) {
		fprintf(stderr, "memstep course segmentation: sizes are whole numbers with an optional k, m or g\n");
		return 2;
	}
	struct pyrandom r;
	pyrandom_seed(&r, seed);
	if (psize <= 4)
		return error("must specify a bigger physical memory size");
	if (asize == 0)
		return error("must specify a non-zero address-space size");
	if (psize <= asize)
		return error("physical memory size > address space size (for this simulation)");
	if (asize < 0 || psize > (1ll << 48) || base0 < -1 || base1 < -1 || len0 < -1 || len1 < -1) {
		fprintf(stderr, "memstep course segmentation: sizes and registers must be from 0 to 2^48\n");
		return 2;
	}
	if (len0 == -1)
		len0 = quarter_draw(&r, asize);
	if (len1 == -1)
		len1 = quarter_draw(&r, asize);
	if ((base0 == -1 || base1 == -1) && psize <= 2 * asize)
		return error("physical memory must be 2x GREATER than address space size (if randomly generating base "
			     "registers)");
	if (base0 == -1)
		do
			base0 = draw(&r, psize);
		while (base0 + len0 >= psize);
	if (base1 == -1) { /* the low end, clear of segment 0 */
		for (;;) {
			base1 = draw(&r, psize);
			if (base1 + len1 < psize && (base1 > base0 + len0 || base1 + len1 < base0))
				break;
		}
	} else
		base1 -= len1;
	if (psize < base0 + len0 - 1)
		return error("seg0 is not in physical memory");
	if (psize < base1)
		return error("seg1 is not in physical memory");
	if (2 * len0 > asize)
		return error("length0 register is too large for this address space");
	if (2 * len1 > asize)
		return error("length1 register is too large for this address space");
	printf("Segment register information:\n\n");
	printf("  Segment 0 base  (grows positive) : 0x%08llx (decimal %lld)\n  Segment 0 limit                  : %lld\n\n",
	       base0, base0, len0);
	printf("  Segment 1 base  (grows negative) : 0x%08llx (decimal %lld)\n  Segment 1 limit                  : %lld\n\n",
	       base1 + len1, base1 + len1, len1);
	if (len0 + base0 > base1 && base1 > base0)
		return error("segments overlap in physical memory");
	/* the trace: -A's list, or drawn as int(asize * random()) */
	long long *vas = malloc(sizeof *vas * (size_t)(n > 0 ? n : 1) + 1);
	size_t nva = 0;
	if (strcmp(addrs, "-1") == 0) {
		for (long long i = 0; i < n; i++)
			vas[nva++] = draw(&r, asize);
	} else {
		size_t cap = 16;
		vas = realloc(vas, cap * sizeof *vas);
		char *copy = strdup(addrs), *save = copy;
		for (char *tok = strsep(&save, ","); tok; tok = strsep(&save, ",")) {
			char *end;
			long long v = strtoll(tok, &end, 10);
			if (end == tok || *end) {
				fprintf(stderr, "memstep course segmentation: '%s' in -A is not a number\n", tok);
				free(copy);
				free(vas);
				return 2;
			}
			if (nva == cap)
				vas = realloc(vas, (cap *= 2) * sizeof *vas);
			vas[nva++] = v;
		}
		free(copy);
	}
	struct machine *m = model_machine();
	struct seg_config c = {(uint64_t)asize, (uint64_t)psize, 2, {(uint64_t)base0, (uint64_t)(base1 + len1)},
			       {(uint64_t)len0, (uint64_t)len1}};
	uint32_t off = m ? segtable_new(m, &c) : 0;
	printf("Virtual Address Trace\n");
	for (size_t i = 0; m && i < nva; i++) {
		long long va = vas[i];
		if (va < 0 || va >= asize) {
			printf("Error: virtual address %lld cannot be generated in an address space of size %lld\n", va, asize);
			rc = 1;
			break;
		}
		uint64_t pa = 0;
		unsigned seg = 0;
		bool ok = solve && segment_translate(m, off, (uint64_t)va, &pa, &seg);
		if (solve && !ok)
			seg = 2 * va >= asize;
		char tag[16];
		snprintf(tag, sizeof tag, ok ? " in SEG%u" : " (SEG%u)", seg);
		trace_line((long)i, va, solve, ok, tag, (long long)pa);
	}
	if (!rc) {
		printf("\n");
		if (!solve)
			printf("For each virtual address, either write down the physical address it translates to\n"
			       "OR write down that it is an out-of-bounds address (a segmentation violation). For\n"
			       "this problem, you should assume a simple address space with two segments: the top\n"
			       "bit of the virtual address can thus be used to check whether the virtual address\n"
			       "is in segment 0 (topbit=0) or segment 1 (topbit=1). Note that the base/limit pairs\n"
			       "given to you grow in different directions, depending on the segment, i.e., segment 0\n"
			       "grows in the positive direction, whereas segment 1 in the negative. \n\n");
	}
	free(vas);
	machine_free(m);
	return m ? rc : 1;
}
