/*
 * src/mm/trace.c: the one-line text form and the JSON form of events, read
 * off the event table, exactly; and determinism: the same run gives the same
 * trace, byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mm/trace.h"

/* The classic 16-frame machine (1 MiB of 64K pages, all ZONE_DMA, marks 2). */
static struct machine *classic(struct recorder *r)
{
	struct mm_config c = config_textbook(1 * MiB);
	c.page_size = 65536;
	struct machine *m = boot(&c);
	*r = (struct recorder){.keep = true, .check = true};
	recorder_attach(m, r);
	return m;
}

static void expect_text(const struct machine *m, const struct event *e, const char *want)
{
	char buf[512];
	size_t len = ev_format_text(m, e, buf, sizeof buf);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
}

static void expect_json(const struct machine *m, const struct event *e, const char *want)
{
	char buf[512];
	size_t len = ev_format_json(m, e, buf, sizeof buf);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
}

/* Allocation A of the classic example: steps 1..8. */
static void test_alloc_events(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = classic(&r);
	must_alloc(m, 0, GFP_KERNEL);
	assert_kinds(&r, 0, END, "alloc watermark take split split split split done");
	expect_text(m, &r.ev[0], "alloc_pages order 0 GFP_KERNEL on node 0");
	expect_text(m, &r.ev[1], "DMA order 0: free 16, usable 16 vs low 2 + reserve 0: ok");
	expect_text(m, &r.ev[2], "take order-4 block 0x0 off the DMA free list");
	expect_text(m, &r.ev[3], "split 0x0 into two order-3 halves: keep 0x0, 0x8 goes on the free list");
	expect_text(m, &r.ev[7], "allocated order-0 block 0x0 from DMA");

	expect_json(m, &r.ev[0],
		    "{\"step\":1,\"op\":1,\"kind\":\"alloc\",\"line\":0,"
		    "\"order\":0,\"gfp\":\"GFP_KERNEL\",\"node\":0}");
	expect_json(m, &r.ev[1],
		    "{\"step\":2,\"op\":1,\"kind\":\"watermark\",\"line\":0,\"zone\":\"DMA\",\"order\":0,\"free\":16,"
		    "\"usable\":16,\"wmark\":\"low\",\"mark\":2,\"reserve\":0,\"ok\":true}");
	expect_json(m, &r.ev[3],
		    "{\"step\":4,\"op\":1,\"kind\":\"split\",\"line\":0,"
		    "\"zone\":\"DMA\",\"pfn\":0,\"order\":3,\"buddy\":8}");
	expect_json(m, &r.ev[7],
		    "{\"step\":8,\"op\":1,\"kind\":\"done\",\"line\":0,"
		    "\"zone\":\"DMA\",\"pfn\":0,\"order\":0}");
	machine_free(m);
	recorder_free(&r);
}

/* Allocate A (pfn 0, order 0) and free it: it merges with its free buddies
 * 1, 2, 4 and 8 back into the order-4 block, put at the head.  The events
 * carry the operation's scenario line. */
static void test_free_events(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = classic(&r);
	m->origin = 7; /* the scenario line the operations come from */
	uint32_t a = must_alloc(m, 0, GFP_KERNEL);
	m->origin = 12;
	must_free(m, a, 0);
	size_t e = find_kind(&r, 0, EV_FREE);
	assert_kinds(&r, e, END, "free merge merge merge merge put");
	expect_text(m, &r.ev[e], "free order-0 block 0x0 in DMA");
	expect_text(m, &r.ev[e + 1], "merge with free buddy 0x1: order-1 block 0x0");
	expect_text(m, &r.ev[e + 5], "put order-4 block 0x0 at the head of the DMA free list");
	expect_json(m, &r.ev[0],
		    "{\"step\":1,\"op\":1,\"kind\":\"alloc\",\"line\":7,"
		    "\"order\":0,\"gfp\":\"GFP_KERNEL\",\"node\":0}");
	expect_json(m, &r.ev[e + 1],
		    "{\"step\":10,\"op\":2,\"kind\":\"merge\",\"line\":12,"
		    "\"zone\":\"DMA\",\"pfn\":0,\"order\":1,\"buddy\":1}");
	expect_json(m, &r.ev[e + 5],
		    "{\"step\":14,\"op\":2,\"kind\":\"put\",\"line\":12,"
		    "\"zone\":\"DMA\",\"pfn\":0,\"order\":4,\"side\":\"head\"}");
	machine_free(m);
	recorder_free(&r);
}

/* A tail put: the classic example's free of D (see test_page_alloc.c). */
static void test_put_tail_text(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = classic(&r);
	must_alloc(m, 0, GFP_KERNEL);
	uint32_t b = must_alloc(m, 1, GFP_KERNEL);
	must_alloc(m, 0, GFP_KERNEL);
	uint32_t d = must_alloc(m, 1, GFP_KERNEL);
	must_free(m, b, 1);
	size_t e = r.n;
	must_free(m, d, 1);
	expect_text(m, &r.ev[e + 2], "put order-2 block 0x4 at the tail of the DMA free list");
	expect_json(m, &r.ev[e + 2],
		    "{\"step\":26,\"op\":6,\"kind\":\"put\",\"line\":0,"
		    "\"zone\":\"DMA\",\"pfn\":4,\"order\":2,\"side\":\"tail\"}");
	machine_free(m);
	recorder_free(&r);
}

/*
 * The failing paths on the classic machine: an order-4 request sees usable
 * 16 - 15 = 1 <= 2 in both walks.
 */
static void test_fail_events(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = classic(&r);
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 4, GFP_ATOMIC, -1, &pfn), MM_NOMEM);
	/* GFP_ATOMIC wakes kswapd but cannot reclaim itself */
	assert_kinds(&r, 0, END, "alloc watermark wakeup_kswapd slowpath watermark fail balance_pgdat kswapd_sleep");
	expect_text(m, &r.ev[0], "alloc_pages order 4 GFP_ATOMIC on node 0");
	expect_text(m, &r.ev[1], "DMA order 4: free 16, usable 1 vs low 2 + reserve 0: fail");
	expect_text(m, &r.ev[2],
		    "the fast path failed at low: wake kswapd of node 0 (order 4, zones up to Normal)");
	expect_text(m, &r.ev[3],
		    "fast path failed at the low watermark: the slow path walks the zones again at min "
		    "(lower for GFP_ATOMIC)");
	/* GFP_ATOMIC's mark at min 2: 2 - 1 = 1, then 1 - 0 = 1. */
	expect_text(m, &r.ev[4], "DMA order 4: free 16, usable 1 vs min 1 + reserve 0: fail");
	expect_text(m, &r.ev[5], "order-4 GFP_ATOMIC allocation fails: watermark");
	expect_json(m, &r.ev[3],
		    "{\"step\":4,\"op\":1,\"kind\":\"slowpath\",\"line\":0,"
		    "\"order\":4,\"gfp\":\"GFP_ATOMIC\"}");
	expect_json(m, &r.ev[4],
		    "{\"step\":5,\"op\":1,\"kind\":\"watermark\",\"line\":0,\"zone\":\"DMA\",\"order\":4,\"free\":16,"
		    "\"usable\":1,\"wmark\":\"min\",\"mark\":1,\"reserve\":0,\"ok\":false}");
	expect_json(m, &r.ev[5],
		    "{\"step\":6,\"op\":1,\"kind\":\"fail\",\"line\":0,"
		    "\"order\":4,\"gfp\":\"GFP_ATOMIC\",\"reason\":\"watermark\"}");
	machine_free(m);
	recorder_free(&r);
}

/* Fallback between zones, and zone names with their node on NUMA
 * machines (two nodes, all Normal: node 0 fills after 7 order-10 blocks). */
static void test_fallback_and_node_labels(void **state)
{
	(void)state;
	struct mm_config c = config_textbook(64 * MiB);
	c.nodes = 2;
	c.zones_given = true;
	c.zone_size[ZONE_NORMAL] = 64 * MiB;
	struct machine *m = boot(&c);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	for (int i = 0; i < 8; i++)
		must_alloc(m, 10, GFP_KERNEL);
	size_t e = find_kind(&r, 0, EV_FALLBACK);
	assert_true(e < r.n);
	expect_text(m, &r.ev[e], "node0/Normal cannot serve order 10: fall back to node1/Normal");
	expect_json(m, &r.ev[e],
		    "{\"step\":31,\"op\":8,\"kind\":\"fallback\",\"line\":0,"
		    "\"from\":\"node0/Normal\",\"to\":\"node1/Normal\",\"order\":10}");
	expect_text(m, &r.ev[e + 2], "take order-10 block 0x2000 off the node1/Normal free list");
	machine_free(m);
	recorder_free(&r);
}

/* A short buffer: a NUL-terminated prefix, and the length the whole text
 * would need (as snprintf reports it). */
static void test_truncation(void **state)
{
	(void)state;
	struct recorder r;
	struct machine *m = classic(&r);
	must_alloc(m, 0, GFP_KERNEL);
	char buf[10];
	memset(buf, 'x', sizeof buf);
	assert_int_equal(ev_format_text(m, &r.ev[3], buf, sizeof buf),
			 strlen("split 0x0 into two order-3 halves: keep 0x0, 0x8 goes on the free list"));
	assert_string_equal(buf, "split 0x0");
	memset(buf, 'x', sizeof buf);
	assert_int_equal(ev_format_json(m, &r.ev[0], buf, sizeof buf),
			 strlen(
				    "{\"step\":1,\"op\":1,\"kind\":\"alloc\",\"line\":0,"
				    "\"order\":0,\"gfp\":\"GFP_KERNEL\",\"node\":0}"));
	assert_string_equal(buf, "{\"step\":1");
	/* n = 0 writes nothing at all. */
	buf[0] = 'x';
	ev_format_text(m, &r.ev[3], buf, 0);
	assert_int_equal(buf[0], 'x');
	machine_free(m);
	recorder_free(&r);
}

/* ---- determinism ---- */

/* A random walk on a fresh machine; returns its whole trace, text and JSON. */
static char *run_and_trace(uint64_t seed)
{
	struct mm_config c = config_textbook(4 * MiB);
	c.max_order = 6;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	uint32_t held[1024];
	unsigned n = 0;
	for (int i = 0; i < 3000; i++) {
		uint64_t x = xorshift64(&seed);
		if (n && x % 100 < 45) {
			unsigned k = (unsigned)((x >> 8) % n);
			must_free(m, held[k], -1);
			held[k] = held[--n];
		} else if (alloc_pages(m, (unsigned)((x >> 8) % 4), GFP_KERNEL, -1, &held[n]) == MM_OK) {
			n++;
		}
	}
	size_t cap = r.n * 400 + 1, at = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	for (size_t i = 0; i < r.n; i++) {
		at += ev_format_text(m, &r.ev[i], out + at, cap - at);
		out[at++] = '\n';
		at += ev_format_json(m, &r.ev[i], out + at, cap - at);
		out[at++] = '\n';
		assert_true(at < cap);
	}
	out[at] = 0;
	machine_free(m);
	recorder_free(&r);
	return out;
}

static void test_same_run_same_trace(void **state)
{
	(void)state;
	char *a = run_and_trace(2024), *b = run_and_trace(2024), *other = run_and_trace(2025);
	assert_true(strlen(a) > 100000);
	assert_string_equal(a, b);
	/* The comparison is not vacuous: another walk gives another trace. */
	assert_string_not_equal(a, other);
	free(a);
	free(b);
	free(other);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_alloc_events),
	cmocka_unit_test(test_free_events),
	cmocka_unit_test(test_put_tail_text),
	cmocka_unit_test(test_fail_events),
	cmocka_unit_test(test_fallback_and_node_labels),
	cmocka_unit_test(test_truncation),
	cmocka_unit_test(test_same_run_same_trace),
};

int main(void)
{
	return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
