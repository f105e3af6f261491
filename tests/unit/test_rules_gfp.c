/*
 * gfp_parse's grammar at its edge: a mask is one or more names joined by
 * '|', so the empty string names nothing and is refused, with the output
 * left alone (the mutation run found "" accepted with the mask unset).
 */
#include "helpers.h"

static void test_empty_string_is_refused(void **state)
{
	(void)state;
	uint32_t mask = 0x1234;
	assert_false(gfp_parse("", &mask));
	assert_int_equal(mask, 0x1234);
	/* one name is the shortest mask there is */
	assert_true(gfp_parse("GFP_DMA", &mask));
	assert_int_equal(mask, GFP_DMA | GFP_KERNEL);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_empty_string_is_refused),
};

int main(void)
{
	return cmocka_run_group_tests_name("rules_gfp", tests, NULL, NULL);
}
