/*
 * `memstep course malloc …` and `memstep course paging-policy …`: drop-in
 * replacements for OSTEP's vm-freespace/malloc.py and
 * vm-beyondphys-policy/paging-policy.py, so an assignment's instructions
 * work unchanged: the same flags (optparse's: -n 10, -n10, --numOps=10,
 * clustered switches, 0x/0 prefixes on integers), the same random draws
 * for a seed, the same output byte for byte; without -c the questions,
 * with -c the answers.  `--lua` prints the run as a scenario instead, to
 * watch it step by step in the TUI.  The models are src/mm/textbook's.
 */
#include "course.h"
#include "optparse.h"

#include <stdio.h>
#include <string.h>

int course_main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: memstep course SIMULATOR [flags]  (simulators: malloc, paging-policy, relocation, segmentation, paging-linear-translate, paging-multilevel-translate)\n");
		return 2;
	}
	if (strcmp(argv[1], "malloc") == 0 || strcmp(argv[1], "malloc.py") == 0)
		return course_malloc(argc - 1, argv + 1);
	if (strcmp(argv[1], "paging-policy") == 0 || strcmp(argv[1], "paging-policy.py") == 0)
		return course_paging(argc - 1, argv + 1);
	if (strcmp(argv[1], "relocation") == 0 || strcmp(argv[1], "relocation.py") == 0)
		return course_relocation(argc - 1, argv + 1);
	if (strcmp(argv[1], "segmentation") == 0 || strcmp(argv[1], "segmentation.py") == 0)
		return course_segmentation(argc - 1, argv + 1);
	if (strcmp(argv[1], "paging-linear-translate") == 0 || strcmp(argv[1], "paging-linear-translate.py") == 0)
		return course_linear(argc - 1, argv + 1);
	if (strcmp(argv[1], "paging-multilevel-translate") == 0 ||
	    strcmp(argv[1], "paging-multilevel-translate.py") == 0)
		return course_multilevel(argc - 1, argv + 1);
	fprintf(stderr, "memstep course: no simulator '%s' (simulators: malloc, paging-policy, relocation, segmentation, paging-linear-translate, paging-multilevel-translate)\n", argv[1]);
	return 2;
}
