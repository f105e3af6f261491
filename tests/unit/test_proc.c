/*
 * src/mm/proc.c, vmstat.c and meminfo.c: /proc/buddyinfo, /proc/zoneinfo
 * and /proc/meminfo in the kernel's formats, with hand-computed values.
 */
#include <string.h>

#include "helpers.h"
#include "mm/proc.h"

static char *render(const struct machine *m, const char *name, struct strbuf *b)
{
	*b = (struct strbuf){0};
	assert_int_equal(mm_proc(m, name, b), 0);
	assert_non_null(b->s);
	assert_int_equal(strlen(b->s), b->len);
	return b->s;
}

static void test_unknown_file(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(256 * KiB)});
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "partitions", &b), -1);
	assert_int_equal(b.len, 0);
	struct strbuf names = {0};
	mm_proc_names(&names);
	assert_string_equal(names.s, "buddyinfo, zoneinfo, pagetypeinfo, meminfo, vmstat, extfrag_index, unusable_index, slabinfo, vmallocinfo, kernel/mm/ksm/*, swaps, memblock/memory, memblock/reserved, iomem");
	strbuf_free(&names);
	machine_free(m);
}

/* Populated zones only, nr_free per order in columns of 6.  The classic
 * 16 frames after one order-0 allocation: o0..o3 hold one block each. */
static void test_buddyinfo(void **state)
{
	(void)state;
	struct mm_config c = config_mem(1 * MiB);
	c.page_size = 65536;
	struct machine *m = boot(&c);
	must_alloc(m, 0, GFP_KERNEL);
	struct strbuf b;
	assert_string_equal(render(m, "buddyinfo", &b),
			    "Node 0, zone      DMA "
			    "     1      1      1      1      0      0      0      0      0      0      0 \n");
	strbuf_free(&b);
	machine_free(m);

	/* Default 64M: DMA 4 and DMA32 12 order-10 blocks; Normal empty. */
	m = boot((struct mm_config[]){config_mem(64 * MiB)});
	assert_string_equal(render(m, "buddyinfo", &b),
			    "Node 0, zone      DMA "
			    "     0      0      0      0      0      0      0      0      0      0      4 \n"
			    "Node 0, zone    DMA32 "
			    "     0      0      0      0      0      0      0      0      0      0     12 \n");
	strbuf_free(&b);
	machine_free(m);
}

/* The DMA zone of the default 64M machine (values as in test_mm_init.c);
 * protection lists the zones x86_64 has: DMA, DMA32, Normal, Movable. */
static void test_zoneinfo(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	struct strbuf b;
	const char *s = render(m, "zoneinfo", &b);
	/* the per-node stats block, in the node's first populated zone, has
	 * the counters the model keeps: all 0 on a fresh machine */
	const char *dma = "Node 0, zone      DMA\n"
			  "  per-node stats\n"
			  "      nr_slab_reclaimable 0\n"
			  "      nr_slab_unreclaimable 0\n"
			  "      nr_anon_pages 0\n"
			  "      nr_mapped    0\n"
			  "      nr_file_pages 0\n"
			  "      nr_shmem     0\n"
			  "      nr_page_table_pages 0\n"
			  "  pages free     4096\n"
			  "        boost    0\n"
			  "        min      64\n"
			  "        low      80\n"
			  "        high     96\n"
			  "        promo    112\n"
			  "        spanned  4096\n"
			  "        present  4096\n"
			  "        managed  4096\n"
			  "        cma      0\n"
			  "        protection: (0, 48, 48, 48)\n"
			  "      nr_free_pages 4096\n"
			  "      nr_free_pages_blocks 4096\n"
			  "      numa_hit     0\n"
			  "      numa_miss    0\n"
			  "      numa_foreign 0\n"
			  "      numa_interleave 0\n"
			  "      numa_local   0\n"
			  "      numa_other   0\n"
			  /* 4096 managed: batch (4096 >> 10) / 4 = 1, to 2^1 - 1
			   * = 0, at least 1; high_min the low mark 80 over one
			   * CPU; high_max 4096 / 8; threshold 2 * fls(1) *
			   * (1 + fls(4096 >> 15)) = 2 */
			  "  pagesets\n"
			  "    cpu: 0\n"
			  "              count:    0\n"
			  "              high:     0\n"
			  "              batch:    1\n"
			  "              high_min: 80\n"
			  "              high_max: 512\n"
			  "  vm stats threshold: 2\n"
			  "  node_unreclaimable:  0\n"
			  "  start_pfn:           0\n"
			  "Node 0, zone    DMA32\n";
	assert_memory_equal(s, dma, strlen(dma));
	/* An empty zone stops after protection; HighMem is not listed. */
	assert_non_null(strstr(s, "Node 0, zone   Normal\n  pages free     0\n"));
	/* only the node's first populated zone carries the block */
	assert_null(strstr(strstr(s, "zone    DMA32"), "per-node stats"));
	assert_null(strstr(s, "HighMem"));
	strbuf_free(&b);
	machine_free(m);
}

/*
 * meminfo of the default 64M machine: 16384 pages = 65536 kB, all free.
 * totalreserve_pages = per zone min(max lowmem_reserve + high, managed):
 * DMA 48 + 96 = 144, DMA32 0 + 288 = 288, empty zones 0: 432 pages, so
 * MemAvailable = (16384 - 432) * 4 = 63808 kB.
 */
static void test_meminfo_x86_64(void **state)
{
	(void)state;
	struct machine *m = boot((struct mm_config[]){config_mem(64 * MiB)});
	assert_int_equal(totalreserve_pages(m), 432);
	struct strbuf b;
	assert_string_equal(render(m, "meminfo", &b), "MemTotal:          65536 kB\n"
						      "MemFree:           65536 kB\n"
						      "MemAvailable:      63808 kB\n"
						      "Cached:                0 kB\n"
						      "SwapCached:            0 kB\n"
						      "Active:                0 kB\n"
						      "Inactive:              0 kB\n"
						      "Active(anon):          0 kB\n"
						      "Inactive(anon):        0 kB\n"
						      "Active(file):          0 kB\n"
						      "Inactive(file):        0 kB\n"
						      "Unevictable:           0 kB\n"
						      "Mlocked:               0 kB\n"
						      "SwapTotal:             0 kB\n"
						      "SwapFree:              0 kB\n"
						      "Dirty:                 0 kB\n"
						      "Writeback:             0 kB\n"
						      "AnonPages:             0 kB\n"
						      "Mapped:                0 kB\n"
						      "Shmem:                 0 kB\n"
						      "KReclaimable:          0 kB\n"
						      "Slab:                  0 kB\n"
						      "SReclaimable:          0 kB\n"
						      "SUnreclaim:            0 kB\n"
						      "PageTables:            0 kB\n"
						      "VmallocTotal:   34359738367 kB\n"
						      "VmallocUsed:           0 kB\n"
						      "VmallocChunk:          0 kB\n");
	strbuf_free(&b);
	machine_free(m);
}

/*
 * x86 2G (marks as in test_mm_init.c): totalreserve = DMA 2032 + 25 = 2057,
 * Normal 9216 + 1407 = 10623, HighMem 0 + 742 = 742: 13422 pages;
 * MemAvailable = (524288 - 13422) * 4 = 2043464 kB.  HighMem 294912 pages
 * = 1179648 kB; lowmem 229376 pages = 917504 kB.
 */
static void test_meminfo_x86_highmem(void **state)
{
	(void)state;
	struct mm_config c = config_mem(2 * GiB);
	c.arch = arch_by_name("x86");
	struct machine *m = boot(&c);
	assert_int_equal(totalreserve_pages(m), 13422);
	struct strbuf b;
	assert_string_equal(render(m, "meminfo", &b), "MemTotal:        2097152 kB\n"
						      "MemFree:         2097152 kB\n"
						      "MemAvailable:    2043464 kB\n"
						      "Cached:                0 kB\n"
						      "SwapCached:            0 kB\n"
						      "Active:                0 kB\n"
						      "Inactive:              0 kB\n"
						      "Active(anon):          0 kB\n"
						      "Inactive(anon):        0 kB\n"
						      "Active(file):          0 kB\n"
						      "Inactive(file):        0 kB\n"
						      "Unevictable:           0 kB\n"
						      "Mlocked:               0 kB\n"
						      "HighTotal:       1179648 kB\n"
						      "HighFree:        1179648 kB\n"
						      "LowTotal:         917504 kB\n"
						      "LowFree:          917504 kB\n"
						      "SwapTotal:             0 kB\n"
						      "SwapFree:              0 kB\n"
						      "Dirty:                 0 kB\n"
						      "Writeback:             0 kB\n"
						      "AnonPages:             0 kB\n"
						      "Mapped:                0 kB\n"
						      "Shmem:                 0 kB\n"
						      "KReclaimable:          0 kB\n"
						      "Slab:                  0 kB\n"
						      "SReclaimable:          0 kB\n"
						      "SUnreclaim:            0 kB\n"
						      "PageTables:            0 kB\n"
						      "VmallocTotal:     114680 kB\n"
						      "VmallocUsed:           0 kB\n"
						      "VmallocChunk:          0 kB\n");
	strbuf_free(&b);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_unknown_file),
	cmocka_unit_test(test_buddyinfo),
	cmocka_unit_test(test_zoneinfo),
	cmocka_unit_test(test_meminfo_x86_64),
	cmocka_unit_test(test_meminfo_x86_highmem),
};

int main(void)
{
	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
