/* The subsystem table: every row is booted, checked and serves its proc
 * files through the one lookup, and file names are unique. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "mm/check.h"
#include "mm/proc.h"
#include "mm/subsys.h"

static void test_rows_have_checkers_and_files_render(void **state)
{
	(void)state;
	struct mm_config c = config_mem(16 << 20);
	struct machine *m = boot(&c);
	unsigned rows = 0, files = 0;
	for (const struct mm_subsys *s = mm_subsystems; s->name; s++, rows++) {
		assert_non_null(s->check);
		char why[256] = "";
		assert_int_equal(s->check(m, why, sizeof why), 0);
		for (const struct mm_proc_file *f = s->proc; f && f->name; f++, files++) {
			struct strbuf sb = {0};
			assert_int_equal(mm_proc(m, f->name, &sb), 0);
			for (const struct mm_subsys *t = mm_subsystems; t->name; t++)
				for (const struct mm_proc_file *g = t->proc; g && g->name; g++)
					if (g != f)
						assert_string_not_equal(g->name, f->name);
			strbuf_free(&sb);
		}
	}
	assert_true(rows >= 4);
	struct strbuf names = {0};
	mm_proc_names(&names);
	/* one name per file, but a directory of many (kernel/mm/ksm/) as
	 * one "dir/..." entry standing for every file in it */
	unsigned listed = 0, dirs = 0;
	for (char *n = names.s; n; n = strstr(n, ", ") ? strstr(n, ", ") + 2 : NULL) {
		listed++;
		char *end = strstr(n, ", ");
		size_t len = end ? (size_t)(end - n) : strlen(n);
		if (len > 1 && n[len - 1] == '*') {
			dirs++;
			for (const struct mm_subsys *s = mm_subsystems; s->name; s++)
				for (const struct mm_proc_file *f = s->proc; f && f->name; f++)
					listed += strncmp(f->name, n, len - 1) == 0;
			listed--; /* the directory entry itself */
		}
	}
	assert_true(dirs >= 1);
	assert_int_equal(listed, files);
	strbuf_free(&names);
	machine_free(m);
}

/* check_machine stops at the first row that fails and reports it. */
static void test_check_machine_reports_a_row(void **state)
{
	(void)state;
	struct mm_config c = config_mem(16 << 20);
	struct machine *m = boot(&c);
	char why[256] = "";
	assert_int_equal(check_machine(m, why, sizeof why), 0);
	m->zones[0].free_pages++; /* break the page_alloc row's counter */
	assert_int_equal(check_machine(m, why, sizeof why), -1);
	assert_non_null(strstr(why, "free_pages"));
	m->zones[0].free_pages--;
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_have_checkers_and_files_render),
		cmocka_unit_test(test_check_machine_reports_a_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
