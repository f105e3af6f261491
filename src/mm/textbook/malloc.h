/*
 * glibc's malloc (ptmalloc2) in its main arena, as glibc 2.36 (Debian 12)
 * has it on 64-bit: chunks whose headers (prev_size, size with the
 * PREV_INUSE / IS_MMAPPED / NON_MAIN_ARENA bits) live in the heap's own
 * words, 16-byte alignment and MINSIZE 32, the per-thread tcache (64 bins
 * of 7, chunks up to 1040 bytes; its tcache_perthread_struct is the heap's
 * first chunk, as in glibc), fastbins up to global_max_fast (128), the
 * unsorted bin, 62 small bins and 63 large bins (sorted by size, with the
 * fd_nextsize skip list), the binmap, the top chunk, last_remainder,
 * sysmalloc growing the heap by sbrk, mmap for requests at or above the
 * (dynamic) mmap threshold, systrim and malloc_trim.  Safe-linking of the
 * tcache and fastbin `next` pointers (PROTECT_PTR) is modelled; tcache_key
 * is a fixed value instead of getrandom's.
 *
 * The integrity checks glibc makes on these paths abort the "process" with
 * glibc's own message (the heap is then dead, as the program would be);
 * the program's own data is not modelled: its bytes read as zero, except
 * what h:poke() writes (a use-after-free or an overflow), which marks the
 * heap corrupted so the checker leaves it alone.
 *
 * Simplifications: one thread and one arena (no NON_MAIN_ARENA chunks, no
 * locks), no memalign/pvalloc, no mmap fallback when sbrk fails (malloc
 * returns NULL), mremap for realloc of mmapped chunks is done as
 * malloc-copy-free, and without a task new mmaps go top-down from a fixed
 * base and are never placed in holes.  With a task (heap{task=pid}) sbrk
 * is the task's brk(), mmap/munmap its system calls, and each header
 * write touches the task's page (so the faults happen as glibc's writes
 * do).  State lives in the textbook arena (textbook.h): every step undoes.
 */
#ifndef MM_TEXTBOOK_MALLOC_H
#define MM_TEXTBOOK_MALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "tbvec.h"
#include "textbook.h"

#define MA_SIZE_SZ 8u
#define MA_ALIGN 16u
#define MA_MINSIZE 32u
#define MA_HDR 16u
#define MA_PREV_INUSE 1u
#define MA_IS_MMAPPED 2u
#define MA_NON_MAIN_ARENA 4u
#define MA_SIZE_BITS 7u
#define MA_NBINS 128u
#define MA_NSMALLBINS 64u
#define MA_MIN_LARGE (MA_NSMALLBINS * MA_ALIGN) /* 1024 */
#define MA_NFASTBINS 10u
#define MA_TCACHE_BINS 64u
#define MA_TCACHE_COUNT 7u
#define MA_TCACHE_MAX 1040u /* the largest tcache chunk: request 1032 */
#define MA_MAX_FAST 128u     /* global_max_fast by default: request 120 */
#define MA_BINMAPSIZE 4u
#define MA_PAGE 4096u
#define MA_TOP_PAD (128u * 1024)         /* DEFAULT_TOP_PAD */
#define MA_MMAP_THRESHOLD (128u * 1024)  /* DEFAULT_MMAP_THRESHOLD_MIN */
#define MA_MMAP_THRESHOLD_MAX (32u << 20) /* 4 MiB * sizeof(long) */
#define MA_CONSOLIDATION (64u * 1024)    /* FASTBIN_CONSOLIDATION_THRESHOLD */
#define MA_TCACHE_STRUCT 640u            /* sizeof (tcache_perthread_struct) */
#define MA_MAX_HEAP (TBV_MAX_CELLS / 2 * 8 / 2) /* bytes of heap words the model can hold */
#define MA_MAX_MMAPS (1u << 20) /* mmaps ever made (unmapped ones keep their place) */

/* Where the arena and the heap sit when no task gives them. */
#define MA_ARENA_ADDR 0x7ffff7e19c80ull /* main_arena in a Debian 12 libc under gdb */
#define MA_HEAP_BASE 0x555555559000ull
#define MA_MMAP_BASE 0x7ffff7d80000ull
#define MA_TCACHE_KEY 0x6d656d737465703full /* glibc draws tcache_key with getrandom */

/* What ended the process (glibc's malloc_printerr, or a fault). */
enum ma_death {
	MA_ALIVE,
	MA_ABORT, /* SIGABRT after glibc's message */
	MA_SEGV,  /* glibc read or wrote an unmapped address */
	NR_MA_DEATHS
};

/* glibc's messages, in the words malloc_printerr prints. */
#define MA_MESSAGES(X)                                                            \
	X(NONE, "")                                                               \
	X(FREE_INVALID_POINTER, "free(): invalid pointer")                        \
	X(FREE_INVALID_SIZE, "free(): invalid size")                              \
	X(TCACHE_DOUBLE_FREE, "free(): double free detected in tcache 2")         \
	X(TCACHE_TOO_MANY, "free(): too many chunks detected in tcache")          \
	X(TCACHE_UNALIGNED_FREE, "free(): unaligned chunk detected in tcache 2")  \
	X(FREE_NEXT_SIZE_FAST, "free(): invalid next size (fast)")                \
	X(FASTTOP, "double free or corruption (fasttop)")                         \
	X(DF_TOP, "double free or corruption (top)")                              \
	X(DF_OUT, "double free or corruption (out)")                              \
	X(DF_PREV, "double free or corruption (!prev)")                           \
	X(FREE_NEXT_SIZE_NORMAL, "free(): invalid next size (normal)")            \
	X(PREV_SIZE_CONSOLIDATING, "corrupted size vs. prev_size while consolidating") \
	X(FREE_UNSORTED, "free(): corrupted unsorted chunks")                     \
	X(MUNMAP_INVALID, "munmap_chunk(): invalid pointer")                      \
	X(TCACHE_UNALIGNED_GET, "malloc(): unaligned tcache chunk detected")      \
	X(FAST_UNALIGNED_2, "malloc(): unaligned fastbin chunk detected 2")       \
	X(FAST_UNALIGNED_3, "malloc(): unaligned fastbin chunk detected 3")       \
	X(FAST_CORRUPT, "malloc(): memory corruption (fast)")                     \
	X(SMALLBIN_CORRUPT, "malloc(): smallbin double linked list corrupted")    \
	X(UNSORTED_SIZE, "malloc(): invalid size (unsorted)")                     \
	X(UNSORTED_NEXT_SIZE, "malloc(): invalid next size (unsorted)")           \
	X(UNSORTED_PREV_SIZE, "malloc(): mismatching next->prev_size (unsorted)") \
	X(UNSORTED_LIST, "malloc(): unsorted double linked list corrupted")       \
	X(UNSORTED_PREV_INUSE, "malloc(): invalid next->prev_inuse (unsorted)")   \
	X(UNSORTED_3, "malloc(): corrupted unsorted chunks 3")                    \
	X(UNSORTED_1, "malloc(): corrupted unsorted chunks")                      \
	X(UNSORTED_2, "malloc(): corrupted unsorted chunks 2")                    \
	X(LARGEBIN_NEXTSIZE, "malloc(): largebin double linked list corrupted (nextsize)") \
	X(LARGEBIN_BK, "malloc(): largebin double linked list corrupted (bk)")    \
	X(TOP_SIZE, "malloc(): corrupted top size")                               \
	X(UNLINK_SIZE, "corrupted size vs. prev_size")                            \
	X(UNLINK_LIST, "corrupted double-linked list")                            \
	X(UNLINK_NEXTSIZE, "corrupted double-linked list (not small)")            \
	X(CONSOLIDATE_UNALIGNED, "malloc_consolidate(): unaligned fastbin chunk detected") \
	X(CONSOLIDATE_SIZE, "malloc_consolidate(): invalid chunk size")           \
	X(CONSOLIDATE_PREV_SIZE, "corrupted size vs. prev_size in fastbins")      \
	X(REALLOC_INVALID_POINTER, "realloc(): invalid pointer")                  \
	X(REALLOC_OLD_SIZE, "realloc(): invalid old size")                        \
	X(REALLOC_NEXT_SIZE, "realloc(): invalid next size")                      \
	X(SEGV, "Segmentation fault")
#define MA_MSG_ENUM(id, text) MA_MSG_##id,
enum ma_message { MA_MESSAGES(MA_MSG_ENUM) NR_MA_MESSAGES };
#undef MA_MSG_ENUM
extern const char *const ma_message_text[NR_MA_MESSAGES + 1];

/* The calls, for events and the view. */
enum ma_call { MA_MALLOC, MA_FREE, MA_CALLOC, MA_REALLOC, MA_TRIM, MA_POKE, NR_MA_CALLS };
extern const char *const ma_call_names[NR_MA_CALLS + 1];
/* Where a chunk came from or went (events). */
enum ma_place { MA_AT_TOP, MA_AT_UNSORTED, MA_AT_SMALL, MA_AT_LARGE, MA_AT_REMAINDER, MA_AT_FAST, MA_AT_TCACHE,
		MA_AT_MMAP, MA_AT_INPLACE, NR_MA_PLACES };
extern const char *const ma_place_names[NR_MA_PLACES + 1];

struct ma_config {
	uint32_t pid;      /* the task whose brk and mmap it uses; 0 = none */
	uint64_t max_heap; /* bytes sbrk may give in all (no task: the heap's size) */
};

/* One mmapped chunk: its address and size (0 once unmapped). */
struct ma_map {
	uint64_t addr, size;
};

/* A heap: struct malloc_state (main_arena), struct malloc_par (mp_) and
 * the memory, one record in the textbook arena. */
struct malloc_heap {
	struct tb_model hdr;
	uint32_t id;
	uint32_t pid;
	uint32_t death;   /* enum ma_death */
	uint32_t message; /* enum ma_message it died with */
	uint64_t death_addr;
	uint32_t corrupted; /* h:poke() wrote into the heap */
	uint32_t have_fastchunks;
	uint32_t binmap[MA_BINMAPSIZE];
	uint64_t fastbins[MA_NFASTBINS]; /* chunk addresses (the head is not mangled) */
	uint64_t top;                    /* 0: initial_top, size 0 */
	uint64_t last_remainder;
	uint64_t bin_fd[MA_NBINS], bin_bk[MA_NBINS];
	uint64_t system_mem, max_system_mem;
	/* mp_ */
	uint64_t mmap_threshold, trim_threshold, top_pad;
	uint64_t mmapped_mem, max_mmapped_mem;
	uint32_t n_mmaps, n_mmaps_max, max_n_mmaps, no_dyn_threshold;
	uint64_t sbrk_base, brk, max_heap; /* the heap is [sbrk_base, brk) */
	uint64_t tcache;                   /* the tcache_perthread_struct (user pointer), 0 before init */
	/* running totals, so mallinfo2 walks no list */
	uint64_t fast_bytes, bin_bytes;
	uint32_t fast_blocks, bin_blocks;
	uint64_t mmap_next; /* no task: where the next mmap ends */
	uint32_t nmaps;
	uint32_t pad_;
	struct tbvec maps; /* struct ma_map as 4 cells each, by address descending */
	struct tbvec mem;  /* the heap's 64-bit words, 2 cells each, from sbrk_base */
};

struct ma_mallinfo {
	uint64_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
};

/* request2size: the chunk size malloc(req) uses. */
static inline uint64_t ma_request2size(uint64_t req)
{
	return req + MA_SIZE_SZ + MA_ALIGN - 1 < MA_MINSIZE ? MA_MINSIZE : (req + MA_SIZE_SZ + MA_ALIGN - 1) & ~(uint64_t)(MA_ALIGN - 1);
}
static inline unsigned ma_tcache_index(uint64_t csize) { return (unsigned)((csize - MA_MINSIZE + MA_ALIGN - 1) / MA_ALIGN); }
static inline unsigned ma_fastbin_index(uint64_t csize) { return (unsigned)(csize >> 4) - 2; }
static inline bool ma_in_smallbin_range(uint64_t sz) { return sz < MA_MIN_LARGE; }
unsigned ma_largebin_index(uint64_t sz);
static inline unsigned ma_bin_index(uint64_t sz)
{
	return ma_in_smallbin_range(sz) ? (unsigned)(sz >> 4) : ma_largebin_index(sz);
}
/* The fake chunk in main_arena that bin i's fd/bk belong to (bin_at). */
static inline uint64_t ma_bin_at(unsigned i) { return MA_ARENA_ADDR + 0x70 + (uint64_t)(i - 1) * 16 - 16; }

const char *ma_config_error(const struct machine *m, const struct ma_config *c);
uint32_t malloc_heap_new(struct machine *m, const struct ma_config *c);
static inline struct malloc_heap *malloc_heap_at(const struct machine *m, uint32_t off)
{
	return arena_ptr(textbook_arena(m), off);
}

/* The calls.  Each returns the user pointer (0 for NULL) and is one
 * operation; on a dead heap they do nothing and return 0 (ma_dead says). */
uint64_t ma_malloc(struct machine *m, uint32_t off, uint64_t bytes);
void ma_free(struct machine *m, uint32_t off, uint64_t mem);
uint64_t ma_calloc(struct machine *m, uint32_t off, uint64_t n, uint64_t size);
uint64_t ma_realloc(struct machine *m, uint32_t off, uint64_t mem, uint64_t bytes);
int ma_trim(struct machine *m, uint32_t off, uint64_t pad);
/* Write an 8-byte word of the program's data (no checks, as a program's
 * store): 0, or -1 when addr is not in the heap or an mmapped chunk. */
int ma_poke(struct machine *m, uint32_t off, uint64_t addr, uint64_t value);
/* Why the heap is dead, or NULL. */
const char *ma_dead(const struct machine *m, const struct malloc_heap *h);

struct ma_mallinfo ma_mallinfo2(const struct machine *m, const struct malloc_heap *h);
/* malloc_stats()'s text into buf. */
void ma_stats(const struct machine *m, const struct malloc_heap *h, char *buf, size_t len);

/* Reading the heap as glibc sees it (malloc_arena.c). */
bool ma_readable(const struct machine *m, const struct malloc_heap *h, uint64_t addr);
uint64_t ma_word(const struct machine *m, const struct malloc_heap *h, uint64_t addr);
static inline uint64_t ma_chunksize(const struct machine *m, const struct malloc_heap *h, uint64_t p)
{
	return ma_word(m, h, p + MA_SIZE_SZ) & ~(uint64_t)MA_SIZE_BITS;
}
/* fd and bk of a chunk or of a bin's fake chunk (ma_bin_at). */
uint64_t ma_fd(const struct machine *m, const struct malloc_heap *h, uint64_t p);
uint64_t ma_bk(const struct machine *m, const struct malloc_heap *h, uint64_t p);
/* What chunk p is: "top", "free" (in a bin), "tcache", "fastbin", "in use". */
const char *ma_chunk_state(const struct machine *m, const struct malloc_heap *h, uint64_t p);
uint64_t ma_top_size(const struct machine *m, const struct malloc_heap *h);
unsigned ma_tcache_count(const struct machine *m, const struct malloc_heap *h, unsigned idx);
uint64_t ma_tcache_entry(const struct machine *m, const struct malloc_heap *h, unsigned idx);
/* REVEAL_PTR of the word at pos. */
static inline uint64_t ma_reveal(uint64_t pos, uint64_t v) { return (pos >> 12) ^ v; }
static inline uint64_t ma_protect(uint64_t pos, uint64_t ptr) { return (pos >> 12) ^ ptr; }

int check_malloc_heap(const struct machine *m, const struct malloc_heap *h, char *why, size_t whylen);

#endif
