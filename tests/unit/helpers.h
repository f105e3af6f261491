/*
 * Shared helpers for the cmocka unit tests of src/mm: building machines,
 * asserting the invariant checker passes, recording the events a machine
 * emits, and snapshots for "this call changed nothing".
 */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

/* cmocka needs these before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mm/check.h"
#include "mm/event.h"
#include "mm/gfp.h"
#include "mm/machine.h"
#include "mm/page_alloc.h"

#define KiB 1024ull
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

/* The default config (x86_64, 4K pages, 11 orders) with this much memory. */
struct mm_config config_mem(uint64_t memory);
/* machine_new that must succeed, with the checker passing on the result. */
struct machine *boot(const struct mm_config *c);
/* machine_new that must refuse the config with exactly this message. */
void assert_config_refused(const struct mm_config *c, const char *message);
/* Fail the test with the checker's message if an invariant is broken. */
void assert_machine_ok(const struct machine *m);

/*
 * A listener that keeps every event, and on request runs the checker and
 * records machine_hash() after each step (hash[step], hash[0] at attach).
 */
struct recorder {
	struct event *ev;
	size_t n, cap;
	bool keep;  /* store events */
	bool check; /* check_machine after every step */
	bool hash;  /* hash after every step */
	uint64_t *hashes;
	size_t nhash, caphash;
};
void recorder_attach(struct machine *m, struct recorder *r);
void recorder_clear(struct recorder *r); /* forget the events kept so far */
void recorder_free(struct recorder *r);

/* "alloc watermark take done": the kinds of events [from, to), to capped
 * at r->n (pass END for all the rest). */
#define END SIZE_MAX
void assert_kinds(const struct recorder *r, size_t from, size_t to, const char *kinds);
/*
 * Event i has this kind and these fields: "pfn=0x8 order=3 side=tail
 * zone=DMA".  Integers in any C base; enum and bool fields by their names;
 * zones as "Normal" (node 0) or "node1/Normal".
 */
void assert_event(const struct recorder *r, size_t i, const char *kind, const char *fields);
/* A field of an event by name (the test fails if the kind lacks it). */
int64_t ev_get(const struct event *e, const char *field);
/* Index of the first event of this kind at or after from, or r->n. */
size_t find_kind(const struct recorder *r, size_t from, enum ev_kind kind);

/* nr_free of orders 0..n-1 of a zone are these; when says at which point. */
void assert_nr_free(const struct zone *z, const uint32_t *want, unsigned n, const char *when);

/* The free list of an order, head first, as decimal pfns: "2 6" ("" empty). */
void assert_free_list(const struct machine *m, const struct zone *z, unsigned order, const char *pfns);

/* Allocation and free that must succeed. */
uint32_t must_alloc(struct machine *m, unsigned order, uint32_t gfp);
void must_free(struct machine *m, uint32_t pfn, int order);

/* Everything an error must leave alone. */
struct snapshot {
	uint64_t hash;
	uint32_t nsteps, nops, jsteps, jops, cursor;
	size_t events;
};
struct snapshot snap(const struct machine *m, const struct recorder *r);
void assert_unchanged(const struct machine *m, const struct recorder *r, const struct snapshot *before);

/* Seek from step end back to start and forward again: every step's hash
 * must be the one r recorded (r->hash) when it was first taken. */
void assert_undo_redo(struct machine *m, const struct recorder *r, uint32_t start, uint32_t end);

/* A deterministic PRNG (xorshift64) for random walks. */
static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif
