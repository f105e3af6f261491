/*
 * src/mm/gfp.c: gfp masks by their kernel names (gfp_parse, gfp_format) and
 * gfp_zone(), the highest zone a mask may use on a given architecture.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

struct named_mask {
	const char *name;
	uint32_t mask;
};

/* The compositions of include/linux/gfp_types.h, written out by bit. */
static const struct named_mask composites[] = {
	{"GFP_KERNEL", __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS},
	{"GFP_ATOMIC", __GFP_HIGH | __GFP_KSWAPD_RECLAIM},
	{"GFP_NOWAIT", __GFP_KSWAPD_RECLAIM | __GFP_NOWARN},
	{"GFP_NOIO", __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM},
	{"GFP_NOFS", __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO},
	{"GFP_USER", __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL},
	{"GFP_HIGHUSER",
	 __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL | __GFP_HIGHMEM},
	{"GFP_HIGHUSER_MOVABLE", __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS |
					 __GFP_HARDWALL | __GFP_HIGHMEM | __GFP_MOVABLE},
};

static uint32_t parse(const char *s)
{
	uint32_t mask = 0xdeadbeef;
	if (!gfp_parse(s, &mask))
		fail_msg("gfp_parse refused \"%s\"", s);
	return mask;
}

static void test_parse_composites(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof composites / sizeof composites[0]; i++)
		assert_int_equal(parse(composites[i].name), composites[i].mask);
}

/* Every name offered to scenarios parses. */
static void test_parse_every_offered_name(void **state)
{
	(void)state;
	unsigned n = 0;
	for (const char *const *name = gfp_names; *name; name++, n++)
		assert_int_not_equal(parse(*name), 0);
	assert_int_equal(n, 10);
}

/* A mask of zone modifiers alone means GFP_KERNEL with them, as drivers
 * write GFP_KERNEL | GFP_DMA. */
static void test_parse_zone_modifier_alone(void **state)
{
	(void)state;
	assert_int_equal(parse("GFP_DMA"), GFP_KERNEL | __GFP_DMA);
	assert_int_equal(parse("GFP_DMA32"), GFP_KERNEL | __GFP_DMA32);
	assert_int_equal(parse("__GFP_HIGHMEM|__GFP_MOVABLE"), GFP_KERNEL | __GFP_HIGHMEM | __GFP_MOVABLE);
	assert_int_equal(parse("GFP_KERNEL|GFP_DMA"), GFP_KERNEL | __GFP_DMA);
	/* With any other flag the mask is taken as written. */
	assert_int_equal(parse("GFP_ATOMIC|GFP_DMA"), GFP_ATOMIC | __GFP_DMA);
	assert_int_equal(parse("__GFP_HIGH|__GFP_DMA"), __GFP_HIGH | __GFP_DMA);
}

static void test_parse_combinations(void **state)
{
	(void)state;
	assert_int_equal(parse("GFP_ATOMIC|__GFP_ZERO"), GFP_ATOMIC | __GFP_ZERO);
	assert_int_equal(parse("GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY"), GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);
	assert_int_equal(parse("__GFP_IO|__GFP_FS"), __GFP_IO | __GFP_FS);
}

static void expect_refused(const char *s)
{
	uint32_t mask = 0x1234;
	if (gfp_parse(s, &mask))
		fail_msg("gfp_parse accepted \"%s\" as 0x%x", s, mask);
	assert_int_equal(mask, 0x1234); /* left alone */
}

static void test_parse_refuses_unknown_names(void **state)
{
	(void)state;
	expect_refused("GFP_BOGUS");
	expect_refused("gfp_kernel"); /* names are case-sensitive, as in C */
	expect_refused("GFP_KERNEL|GFP_BOGUS");
	expect_refused("GFP_KERNE");
	expect_refused("GFP_KERNELX");
	expect_refused("GFP_KERNEL |GFP_DMA");
	expect_refused("|GFP_KERNEL");
	expect_refused("GFP_KERNEL||GFP_DMA");
}

/* An empty name is refused wherever it stands, not only at the start or in
 * the middle: "GFP_KERNEL|" is as malformed as "|GFP_KERNEL". */
static void test_parse_refuses_a_trailing_separator(void **state)
{
	(void)state;
	expect_refused("GFP_KERNEL|");
}

static const char *format(uint32_t mask)
{
	static char buf[1024];
	return gfp_format(mask, buf, sizeof buf);
}

static void test_format_by_kernel_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof composites / sizeof composites[0]; i++)
		assert_string_equal(format(composites[i].mask), composites[i].name);
	assert_string_equal(format(GFP_KERNEL | __GFP_DMA), "GFP_KERNEL|GFP_DMA");
	assert_string_equal(format(GFP_KERNEL | __GFP_DMA32), "GFP_KERNEL|GFP_DMA32");
	assert_string_equal(format(GFP_ATOMIC | __GFP_ZERO), "GFP_ATOMIC|__GFP_ZERO");
	assert_string_equal(format(GFP_KERNEL | __GFP_HIGH), "GFP_KERNEL|__GFP_HIGH");
	assert_string_equal(format(__GFP_DMA), "GFP_DMA");
	assert_string_equal(format(__GFP_HIGH | __GFP_NOFAIL), "__GFP_HIGH|__GFP_NOFAIL");
	assert_string_equal(format(0), "0");
}

/* A short buffer gets a NUL-terminated prefix. */
static void test_format_truncates(void **state)
{
	(void)state;
	char buf[8];
	memset(buf, 'x', sizeof buf);
	assert_string_equal(gfp_format(GFP_KERNEL | __GFP_DMA, buf, sizeof buf), "GFP_KER");
}

/* n = 0 leaves the buffer alone, as ev_format_text() does: the caller
 * owns no byte of it. */
static void test_format_into_no_room(void **state)
{
	(void)state;
	char buf[4] = "abc";
	gfp_format(GFP_KERNEL, buf, 0);
	assert_string_equal(buf, "abc");
}

/*
 * parse(format(mask)) == mask for every combination of the 16 named bits
 * that has a bit besides the zone modifiers (a mask of zone modifiers alone
 * parses back with GFP_KERNEL added, by design; 0 formats as "0").
 */
static void test_round_trip_every_mask(void **state)
{
	(void)state;
	static const uint32_t bits[] = {
		__GFP_DMA, __GFP_HIGHMEM, __GFP_DMA32, __GFP_MOVABLE, __GFP_HIGH, __GFP_IO,
		__GFP_FS, __GFP_ZERO, __GFP_DIRECT_RECLAIM, __GFP_KSWAPD_RECLAIM, __GFP_NOWARN,
		__GFP_RETRY_MAYFAIL, __GFP_NORETRY, __GFP_HARDWALL, __GFP_COMP, __GFP_NOFAIL,
	};
	const unsigned n = sizeof bits / sizeof bits[0];
	for (uint32_t combo = 0; combo < (1u << n); combo++) {
		uint32_t mask = 0;
		for (unsigned b = 0; b < n; b++)
			if (combo & (1u << b))
				mask |= bits[b];
		const char *text = format(mask);
		uint32_t back;
		if (!(mask & ~(uint32_t)GFP_ZONEMASK))
			continue;
		if (!gfp_parse(text, &back) || back != mask)
			fail_msg("0x%x formats as %s, which parses back as 0x%x", mask, text, back);
	}
	/* The zone-only masks: back with GFP_KERNEL. */
	uint32_t back;
	assert_true(gfp_parse(format(__GFP_DMA32), &back));
	assert_int_equal(back, GFP_KERNEL | __GFP_DMA32);
}

/* ---- gfp_zone ---- */

static struct machine *arch_machine(const char *arch)
{
	struct mm_config c = config_mem(256 * KiB);
	c.arch = arch_by_name(arch);
	assert_non_null(c.arch);
	return boot(&c);
}

static void test_zone_x86_64(void **state)
{
	(void)state;
	struct machine *m = arch_machine("x86_64");
	assert_int_equal(gfp_zone(m, GFP_KERNEL), ZONE_NORMAL);
	assert_int_equal(gfp_zone(m, GFP_ATOMIC), ZONE_NORMAL);
	assert_int_equal(gfp_zone(m, GFP_KERNEL | __GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(m, GFP_KERNEL | __GFP_DMA32), ZONE_DMA32);
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER), ZONE_NORMAL); /* no HighMem on 64-bit */
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	assert_int_equal(gfp_zone(m, GFP_KERNEL | __GFP_MOVABLE), ZONE_NORMAL);
	/* __GFP_MOVABLE with DMA or DMA32 keeps the DMA zone (GFP_ZONE_TABLE). */
	assert_int_equal(gfp_zone(m, __GFP_DMA | __GFP_MOVABLE), ZONE_DMA);
	assert_int_equal(gfp_zone(m, __GFP_DMA32 | __GFP_MOVABLE), ZONE_DMA32);
	/* Two zone modifiers at once: GFP_ZONE_BAD. */
	assert_int_equal(gfp_zone(m, __GFP_DMA | __GFP_DMA32), -1);
	assert_int_equal(gfp_zone(m, __GFP_DMA | __GFP_HIGHMEM), -1);
	assert_int_equal(gfp_zone(m, __GFP_DMA32 | __GFP_HIGHMEM), -1);
	assert_int_equal(gfp_zone(m, __GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_MOVABLE), -1);
	machine_free(m);
}

/* 32-bit x86 has HighMem and no DMA32: GFP_DMA32 means Normal there, as
 * OPT_ZONE_DMA32 does without CONFIG_ZONE_DMA32. */
static void test_zone_x86(void **state)
{
	(void)state;
	struct machine *m = arch_machine("x86");
	assert_int_equal(gfp_zone(m, GFP_KERNEL), ZONE_NORMAL);
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER), ZONE_HIGHMEM);
	assert_int_equal(gfp_zone(m, GFP_KERNEL | __GFP_DMA32), ZONE_NORMAL);
	assert_int_equal(gfp_zone(m, GFP_KERNEL | __GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	machine_free(m);
}

static void test_zone_arm64(void **state)
{
	(void)state;
	struct machine *m = arch_machine("arm64");
	assert_int_equal(gfp_zone(m, GFP_KERNEL | __GFP_DMA32), ZONE_DMA32);
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER), ZONE_NORMAL);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse_composites),
	cmocka_unit_test(test_parse_every_offered_name),
	cmocka_unit_test(test_parse_zone_modifier_alone),
	cmocka_unit_test(test_parse_combinations),
	cmocka_unit_test(test_parse_refuses_unknown_names),
	cmocka_unit_test(test_parse_refuses_a_trailing_separator),
	cmocka_unit_test(test_format_by_kernel_names),
	cmocka_unit_test(test_format_truncates),
	cmocka_unit_test(test_format_into_no_room),
	cmocka_unit_test(test_round_trip_every_mask),
	cmocka_unit_test(test_zone_x86_64),
	cmocka_unit_test(test_zone_x86),
	cmocka_unit_test(test_zone_arm64),
};

int main(void)
{
	return cmocka_run_group_tests_name("gfp", tests, NULL, NULL);
}
