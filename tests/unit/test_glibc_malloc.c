/* glibc's malloc model against examples worked by hand from glibc 2.36's
 * malloc.c (and what a Debian 12 program shows under gdb): request2size,
 * the bins chunks land in, the first sbrk and the tcache chunk, tcache
 * reuse, fastbins, coalescing, malloc_consolidate, the mmap threshold's
 * growth, trimming, glibc's messages word for word, and undo/redo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "mm/check.h"
#include "mm/textbook/malloc.h"

static struct machine *heap_machine(struct recorder *rec, uint32_t *off)
{
	struct mm_config c = config_mem(1 << 20);
	struct machine *m = boot(&c);
	machine_journal(m, true);
	memset(rec, 0, sizeof *rec);
	rec->keep = rec->check = rec->hash = true;
	recorder_attach(m, rec);
	struct ma_config hc = {.max_heap = 8 << 20};
	assert_null(ma_config_error(m, &hc));
	*off = malloc_heap_new(m, &hc);
	return m;
}

static void done(struct machine *m, struct recorder *rec)
{
	recorder_free(rec);
	machine_free(m);
}

#define H(m, off) malloc_heap_at(m, off)

static void test_sizes_and_bins(void **state)
{
	(void)state;
	assert_int_equal(ma_request2size(0), 32);
	assert_int_equal(ma_request2size(24), 32);
	assert_int_equal(ma_request2size(25), 48);
	assert_int_equal(ma_request2size(120), 128);
	assert_int_equal(ma_request2size(121), 144);
	assert_int_equal(ma_request2size(1032), 1040);
	assert_int_equal(ma_request2size(1033), 1056);
	assert_int_equal(ma_tcache_index(32), 0);
	assert_int_equal(ma_tcache_index(1040), 63);
	assert_int_equal(ma_tcache_index(1056), 64); /* past the 64 bins */
	assert_int_equal(ma_fastbin_index(32), 0);
	assert_int_equal(ma_fastbin_index(128), 6);
	assert_int_equal(ma_bin_index(32), 2);
	assert_int_equal(ma_bin_index(1008), 63);  /* the last small bin */
	assert_int_equal(ma_bin_index(1024), 64);  /* the first large: 48 + 1024/64 */
	assert_int_equal(ma_bin_index(3072), 96);  /* 48 + 48 */
	assert_int_equal(ma_bin_index(3136), 97);  /* 91 + 3136/512 */
	assert_int_equal(ma_bin_index(1 << 20), 126);
	assert_int_equal(ma_bin_at(1), MA_ARENA_ADDR + 0x60); /* the unsorted bin: main_arena+96 */
}

static void test_first_malloc_layout(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t a = ma_malloc(m, off, 24);
	/* sbrk(0x21000): 656 + 128 KiB + 32 rounded up to a page; the tcache
	 * struct is the first chunk (0x290), the first block follows it */
	assert_int_equal(H(m, off)->brk, MA_HEAP_BASE + 0x21000);
	assert_int_equal(a, MA_HEAP_BASE + 0x2a0);
	assert_int_equal(H(m, off)->top, MA_HEAP_BASE + 0x2b0);
	assert_int_equal(ma_top_size(m, H(m, off)), 0x21000 - 0x290 - 0x20);
	assert_int_equal(ma_word(m, H(m, off), a - 8), 0x21); /* size 32 | PREV_INUSE */
	struct ma_mallinfo mi = ma_mallinfo2(m, H(m, off));
	assert_int_equal(mi.arena, 0x21000);
	assert_int_equal(mi.ordblks, 1);
	assert_int_equal(mi.uordblks, 0x290 + 0x20);
	assert_int_equal(mi.fordblks, 0x20d50);
	assert_int_equal(mi.keepcost, 0x20d50);
	char stats[512];
	ma_stats(m, H(m, off), stats, sizeof stats);
	assert_non_null(strstr(stats, "Arena 0:\nsystem bytes     =     135168\nin use bytes     =        688\n"));
	done(m, &rec);
}

static void test_tcache_then_fastbin(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t p[9];
	for (int i = 0; i < 9; i++)
		p[i] = ma_malloc(m, off, 24);
	for (int i = 0; i < 9; i++)
		ma_free(m, off, p[i]);
	assert_int_equal(ma_tcache_count(m, H(m, off), 0), 7);
	assert_int_equal(ma_tcache_entry(m, H(m, off), 0), p[6]); /* LIFO */
	assert_int_equal(H(m, off)->fastbins[0], p[8] - 16);
	/* p[8]'s fd is safe-linked to p[7]'s chunk */
	uint64_t fd = ma_word(m, H(m, off), p[8]);
	assert_int_equal(ma_reveal(p[8], fd), p[7] - 16);
	assert_int_equal(ma_mallinfo2(m, H(m, off)).smblks, 2);
	assert_int_equal(ma_mallinfo2(m, H(m, off)).fsmblks, 64);
	/* the newest tcache entry comes back first */
	assert_int_equal(ma_malloc(m, off, 24), p[6]);
	assert_int_equal(ma_malloc(m, off, 20), p[5]);
	done(m, &rec);
}

static void test_messages(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t a = ma_malloc(m, off, 24);
	ma_free(m, off, a);
	ma_free(m, off, a);
	assert_string_equal(ma_dead(m, H(m, off)), "free(): double free detected in tcache 2");
	assert_int_equal(ma_malloc(m, off, 8), 0); /* a dead program calls nothing */
	done(m, &rec);

	m = heap_machine(&rec, &off);
	uint64_t p[8];
	for (int i = 0; i < 8; i++)
		p[i] = ma_malloc(m, off, 40);
	for (int i = 0; i < 8; i++)
		ma_free(m, off, p[i]);
	ma_free(m, off, p[7]);
	assert_string_equal(ma_dead(m, H(m, off)), "double free or corruption (fasttop)");
	done(m, &rec);

	m = heap_machine(&rec, &off);
	a = ma_malloc(m, off, 0x500);
	ma_malloc(m, off, 24);
	ma_free(m, off, a);
	ma_free(m, off, a);
	assert_string_equal(ma_dead(m, H(m, off)), "double free or corruption (!prev)");
	done(m, &rec);

	m = heap_machine(&rec, &off);
	a = ma_malloc(m, off, 24);
	ma_free(m, off, a + 8);
	assert_string_equal(ma_dead(m, H(m, off)), "free(): invalid pointer");
	done(m, &rec);

	m = heap_machine(&rec, &off);
	a = ma_malloc(m, off, 24);
	ma_free(m, off, H(m, off)->top + 16);
	assert_string_equal(ma_dead(m, H(m, off)), "double free or corruption (top)");
	done(m, &rec);

	m = heap_machine(&rec, &off); /* house of force's first move */
	a = ma_malloc(m, off, 24);
	assert_int_equal(ma_poke(m, off, H(m, off)->top + 8, UINT64_MAX), 0);
	assert_int_equal(ma_malloc(m, off, 0x30), 0);
	assert_string_equal(ma_dead(m, H(m, off)), "malloc(): corrupted top size");
	done(m, &rec);

	m = heap_machine(&rec, &off);
	ma_free(m, off, 0x1000); /* nothing mapped there: glibc's read faults */
	assert_int_equal(H(m, off)->death, MA_SEGV);
	done(m, &rec);
}

static void test_coalescing(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t a = ma_malloc(m, off, 0x500), b = ma_malloc(m, off, 0x500), g = ma_malloc(m, off, 0x18);
	ma_free(m, off, a); /* 0x510 is past the tcache: unsorted */
	ma_free(m, off, b); /* merges backward with a */
	const struct malloc_heap *h = H(m, off);
	assert_int_equal(ma_fd(m, h, ma_bin_at(1)), a - 16);
	assert_int_equal(ma_chunksize(m, h, a - 16), 0xa20);
	assert_int_equal(ma_word(m, h, g - 16), 0xa20);      /* prev_size of the guard */
	assert_int_equal(ma_word(m, h, g - 8), 0x20);        /* its PREV_INUSE clear */
	assert_int_equal(ma_mallinfo2(m, h).ordblks, 2);
	/* a large request sorts the unsorted chunk into its large bin, then
	 * the binmap finds it before top: best fit, the rest to unsorted */
	size_t from = rec.n;
	uint64_t x = ma_malloc(m, off, 0x500);
	assert_int_equal(x, a);
	assert_int_equal(find_kind(&rec, from, EV_MA_SORT) < rec.n, 1);
	assert_int_equal(ev_get(&rec.ev[find_kind(&rec, from, EV_MA_SORT)], "bin"), 48 + 0xa20 / 64);
	h = H(m, off);
	assert_int_equal(ma_fd(m, h, ma_bin_at(1)), a - 16 + 0x510);
	assert_int_equal(h->last_remainder, 0); /* a large request advertises no remainder */
	/* a chunk bordering top merges into it */
	uint64_t top0 = h->top, topsize = ma_top_size(m, h), y = ma_malloc(m, off, 0x600);
	assert_int_equal(y, top0 + 16);
	ma_free(m, off, y);
	assert_int_equal(H(m, off)->top, top0);
	assert_int_equal(ma_top_size(m, H(m, off)), topsize);
	done(m, &rec);
}

static void test_consolidate(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t p[9];
	for (int i = 0; i < 9; i++)
		p[i] = ma_malloc(m, off, 24);
	ma_malloc(m, off, 24); /* a guard against top */
	for (int i = 0; i < 9; i++)
		ma_free(m, off, p[i]);
	assert_int_equal(H(m, off)->fast_blocks, 2);
	size_t from = rec.n;
	ma_malloc(m, off, 0x500); /* a large request: malloc_consolidate */
	assert_int_equal(find_kind(&rec, from, EV_MA_CONSOLIDATE) < rec.n, 1);
	const struct malloc_heap *h = H(m, off);
	assert_int_equal(h->fast_blocks, 0);
	/* p[7] and p[8] became one 64-byte chunk, sorted into small bin 4 */
	assert_int_equal(ma_fd(m, h, ma_bin_at(4)), p[7] - 16);
	assert_int_equal(ma_chunksize(m, h, p[7] - 16), 64);
	done(m, &rec);
}

static void test_mmap_threshold(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t a = ma_malloc(m, off, 200000);
	const struct malloc_heap *h = H(m, off);
	assert_int_equal(ma_word(m, h, a - 8), 200704 | MA_IS_MMAPPED); /* 200016 + 8 rounded to pages */
	assert_int_equal(ma_mallinfo2(m, h).hblks, 1);
	assert_int_equal(ma_mallinfo2(m, h).hblkhd, 200704);
	ma_free(m, off, a);
	h = H(m, off);
	assert_int_equal(h->mmap_threshold, 200704);
	assert_int_equal(h->trim_threshold, 401408);
	assert_int_equal(h->n_mmaps, 0);
	uint64_t b = ma_malloc(m, off, 200000); /* now below the threshold: sbrk */
	h = H(m, off);
	assert_true(b > h->sbrk_base && b < h->brk);
	/* freeing it into top leaves 332800 bytes of top: under the new
	 * trim threshold, so nothing goes back until malloc_trim */
	ma_free(m, off, b);
	h = H(m, off);
	assert_true(ma_top_size(m, h) < h->trim_threshold);
	uint64_t brk = h->brk;
	assert_int_equal(ma_trim(m, off, 0), 1);
	h = H(m, off);
	assert_true(h->brk < brk);
	assert_int_equal((h->brk - h->sbrk_base) % MA_PAGE, 0);
	assert_true(ma_top_size(m, h) < MA_PAGE + MA_MINSIZE);
	done(m, &rec);
}

static void test_calloc_realloc(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t a = ma_malloc(m, off, 24);
	ma_free(m, off, a); /* in the tcache, its key beside next */
	uint64_t c = ma_calloc(m, off, 3, 8); /* calloc skips the tcache */
	assert_true(c != a);
	assert_int_equal(ma_tcache_count(m, H(m, off), 0), 1);
	assert_int_equal(ma_calloc(m, off, UINT64_MAX, 2), 0); /* the product overflows: NULL */
	uint64_t r = ma_realloc(m, off, c, 100); /* c borders top: grows in place */
	assert_int_equal(r, c);
	assert_int_equal(ma_chunksize(m, H(m, off), r - 16), 112);
	uint64_t s = ma_realloc(m, off, r, 10); /* shrinks: 80 bytes go to the tcache */
	assert_int_equal(s, r);
	assert_int_equal(ma_tcache_count(m, H(m, off), ma_tcache_index(80)), 1);
	assert_int_equal(ma_realloc(m, off, s, 0), 0); /* frees */
	assert_null(ma_dead(m, H(m, off)));
	done(m, &rec);
}

/* Random calls, every step checked and hashed, then walked back and forth. */
static void test_undo_redo(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t live[64] = {0}, seed = 0x5eed;
	static const uint64_t sizes[] = {8, 24, 40, 100, 120, 500, 1032, 1500, 5000, 150000};
	for (int i = 0; i < 600; i++) {
		unsigned k = (unsigned)(xorshift64(&seed) % 64);
		if (live[k]) {
			if (xorshift64(&seed) % 4 == 0)
				live[k] = ma_realloc(m, off, live[k], sizes[xorshift64(&seed) % 10]);
			else {
				ma_free(m, off, live[k]);
				live[k] = 0;
			}
		} else
			live[k] = xorshift64(&seed) % 5 ? ma_malloc(m, off, sizes[xorshift64(&seed) % 10])
							 : ma_calloc(m, off, 2, sizes[xorshift64(&seed) % 10]);
		if (i == 300)
			ma_trim(m, off, 0);
		if (ma_dead(m, H(m, off)))
			fail_msg("call %d: %s at %#llx", i, ma_dead(m, H(m, off)), (unsigned long long)H(m, off)->death_addr);
	}
	uint32_t end = m->nsteps;
	assert_int_equal(rec.nhash, (size_t)end + 1);
	for (uint32_t s = end; s-- > 0;) {
		machine_seek(m, s);
		assert_true(machine_hash(m) == rec.hashes[s]);
	}
	for (uint32_t s = 0; s <= end; s += 7) {
		machine_seek(m, s);
		assert_true(machine_hash(m) == rec.hashes[s]);
	}
	done(m, &rec);
}

static void test_checker_fires(void **state)
{
	(void)state;
	struct recorder rec;
	uint32_t off;
	struct machine *m = heap_machine(&rec, &off);
	uint64_t a = ma_malloc(m, off, 0x500);
	ma_malloc(m, off, 24);
	ma_free(m, off, a);
	char why[256];
	assert_int_equal(check_malloc_heap(m, H(m, off), why, sizeof why), 0);
	struct malloc_heap *h = H(m, off);
	uint32_t saved = h->bin_blocks;
	h->bin_blocks = 5; /* behind the model's back */
	assert_int_not_equal(check_malloc_heap(m, h, why, sizeof why), 0);
	assert_non_null(strstr(why, "counted"));
	h->bin_blocks = saved;
	uint32_t *lo = (uint32_t *)tbv_cell(textbook_arena(m), &h->mem, (a - 16 - h->sbrk_base) / 8 * 2 + 2);
	uint32_t old = *lo;
	*lo = 0x530 | 1; /* the free chunk's size disagrees with its neighbour's prev_size */
	assert_int_not_equal(check_malloc_heap(m, h, why, sizeof why), 0);
	*lo = old;
	assert_int_equal(check_malloc_heap(m, h, why, sizeof why), 0);
	done(m, &rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_and_bins),	  cmocka_unit_test(test_first_malloc_layout),
		cmocka_unit_test(test_tcache_then_fastbin), cmocka_unit_test(test_messages),
		cmocka_unit_test(test_coalescing),	  cmocka_unit_test(test_consolidate),
		cmocka_unit_test(test_mmap_threshold),	  cmocka_unit_test(test_calloc_realloc),
		cmocka_unit_test(test_undo_redo),	  cmocka_unit_test(test_checker_fires),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
