/* src/mm/units.c: sizes as people write them, in binary multiples. */
#include "helpers.h"
#include "mm/units.h"

static uint64_t size(const char *s)
{
	uint64_t v = 12345;
	if (!parse_size(s, &v))
		fail_msg("parse_size refused \"%s\"", s);
	return v;
}

static void refused(const char *s)
{
	uint64_t v = 12345;
	if (parse_size(s, &v))
		fail_msg("parse_size accepted \"%s\" as %llu", s, (unsigned long long)v);
	assert_int_equal(v, 12345);
}

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(size("0"), 0);
	assert_int_equal(size("4096"), 4096);
	assert_int_equal(size("64K"), 64 * KiB);
	assert_int_equal(size("16M"), 16 * MiB);
	assert_int_equal(size("4G"), 4 * GiB);
	assert_int_equal(size("1T"), 1024 * GiB);
	assert_int_equal(size("1TiB"), 1024 * GiB);
	assert_int_equal(size("2KB"), 2 * KiB);
	assert_int_equal(size("16m"), 16 * MiB);
	assert_int_equal(size("18446744073709551615"), UINT64_MAX);
	assert_int_equal(size("16777215T"), 16777215ull << 40);
}

static void test_refused(void **state)
{
	(void)state;
	refused("");
	refused("K");
	refused("-1");
	refused(" 1");
	refused("1 K");
	refused("1.5M");
	refused("12X");
	refused("1Ki");
	refused("1iB");
	refused("1MM");
	refused("16777216T"); /* 2^64: one past the largest */
}

/* A number beyond 64 bits is refused, not read as the largest one. */
static void test_refuses_overflowing_number(void **state)
{
	(void)state;
	refused("18446744073709551616");
	refused("99999999999999999999K");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sizes),
	cmocka_unit_test(test_refused),
	cmocka_unit_test(test_refuses_overflowing_number),
};

int main(void)
{
	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
