/*
 * src/mm/event.c: the one table of event kinds.  Everything else (text and
 * JSON traces, breakpoint conditions, Lua hooks) trusts it, so its entries
 * must be complete and self-consistent.
 */
#include <string.h>

#include "helpers.h"

static void test_kinds_in_table_order(void **state)
{
	(void)state;
	/* every kind's table name is its name in EV_KINDS; the page
	 * allocator's come first, in this order */
	static const char *const names[NR_EV_KINDS] = {
#define EV_NAME(e, n) #n,
		EV_KINDS(EV_NAME)
#undef EV_NAME
	};
	static const char *const first[] = {"machine", "alloc", "watermark", "fallback", "slowpath", "take",
					    "split",   "done",  "fail",      "free",     "merge",    "put"};
	for (int k = 0; k < (int)(sizeof first / sizeof first[0]); k++)
		assert_string_equal(names[k], first[k]);
	for (int k = 0; k < NR_EV_KINDS; k++) {
		assert_string_equal(ev_kinds[k].name, names[k]);
		assert_int_equal(ev_kind_by_name(names[k]), k);
	}
	assert_int_equal(ev_kind_by_name("allocate"), -1);
	assert_int_equal(ev_kind_by_name(""), -1);
	assert_int_equal(ev_kind_by_name("ALLOC"), -1);
}

static void test_fields_are_well_formed(void **state)
{
	(void)state;
	for (unsigned k = 0; k < NR_EV_KINDS; k++) {
		const struct ev_kind_info *ki = &ev_kinds[k];
		assert_true(ki->nfields <= EV_MAX_FIELDS);
		assert_true(ki->help && *ki->help);
		for (unsigned i = 0; i < ki->nfields; i++) {
			const struct ev_field *f = &ki->field[i];
			assert_non_null(f->name);
			/* Found by name, and the first of that name. */
			assert_int_equal(ev_field_index(k, f->name), (int)i);
			if (f->type == FT_ENUM || f->type == FT_BOOL)
				assert_non_null(f->names);
			if (f->type == FT_BOOL)
				assert_true(f->names[0] && f->names[1]);
		}
		assert_int_equal(ev_field_index(k, "no_such_field"), -1);
	}
}

/* Every {name} in a text template is a field of its kind, braces closed. */
static void test_templates_name_real_fields(void **state)
{
	(void)state;
	for (unsigned k = 0; k < NR_EV_KINDS; k++) {
		const char *t = ev_kinds[k].text;
		assert_non_null(t);
		for (const char *open = strchr(t, '{'); open; open = strchr(open + 1, '{')) {
			const char *close = strchr(open, '}');
			assert_non_null(close);
			char name[32];
			size_t len = (size_t)(close - open - 1);
			assert_true(len > 0 && len < sizeof name);
			memcpy(name, open + 1, len);
			name[len] = 0;
			if (ev_field_index(k, name) < 0)
				fail_msg("the %s template names {%s}, which is not one of its fields", ev_kinds[k].name,
					 name);
		}
	}
}

/* The fields the page allocator tests and the trace rely on, by name. */
static void test_known_field_layouts(void **state)
{
	(void)state;
	assert_int_equal(ev_field_index(EV_SPLIT, "zone"), 0);
	assert_int_equal(ev_field_index(EV_SPLIT, "pfn"), 1);
	assert_int_equal(ev_field_index(EV_SPLIT, "order"), 2);
	assert_int_equal(ev_field_index(EV_SPLIT, "buddy"), 3);
	assert_int_equal(ev_kinds[EV_PUT].field[3].type, FT_ENUM);
	assert_string_equal(ev_kinds[EV_PUT].field[3].names[0], "head");
	assert_string_equal(ev_kinds[EV_PUT].field[3].names[1], "tail");
	assert_int_equal(ev_kinds[EV_WATERMARK].nfields, 8);
	assert_int_equal(ev_kinds[EV_WATERMARK].field[7].type, FT_BOOL);
	assert_string_equal(nomem_names[NOMEM_WATERMARK], "watermark");
	assert_string_equal(nomem_names[NOMEM_FRAGMENTED], "fragmented");
	assert_string_equal(nomem_names[NOMEM_NO_ZONE], "no-zone");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_kinds_in_table_order),
	cmocka_unit_test(test_fields_are_well_formed),
	cmocka_unit_test(test_templates_name_real_fields),
	cmocka_unit_test(test_known_field_layouts),
};

int main(void)
{
	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
