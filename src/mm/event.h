/*
 * Events: every algorithmic step is one event of one kind with named fields.
 * The table in event.c describes each kind once (its name, its fields and the
 * template of its one-line text form); the text trace, the JSON trace,
 * breakpoint conditions and Lua hooks are all driven by that table.
 */
#ifndef MM_EVENT_H
#define MM_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EV_MAX_FIELDS 8

/* X(ENUM, name): the kinds, in the order the table lists them. */
#define EV_KINDS(X)                                                            \
	X(MACHINE, machine)                                                    \
	X(ALLOC, alloc)                                                        \
	X(WATERMARK, watermark)                                                \
	X(FALLBACK, fallback)                                                  \
	X(SLOWPATH, slowpath)                                                  \
	X(TAKE, take)                                                          \
	X(SPLIT, split)                                                        \
	X(DONE, done)                                                          \
	X(FAIL, fail)                                                          \
	X(FREE, free)                                                          \
	X(MERGE, merge)                                                        \
	X(PUT, put)

enum ev_kind {
#define EV_ENUM(e, n) EV_##e,
	EV_KINDS(EV_ENUM)
#undef EV_ENUM
	NR_EV_KINDS
};

/* How a field's value reads: the same integer prints as a name, a pfn, … */
enum ev_ftype {
	FT_INT,
	FT_PFN,
	FT_ZONE, /* global zone id */
	FT_GFP,  /* gfp mask */
	FT_ENUM, /* index into the field's names */
	FT_BOOL, /* text: names[0] for false, names[1] for true; JSON: a bool */
};

struct ev_field {
	const char *name;
	enum ev_ftype type;
	const char *const *names; /* FT_ENUM and FT_BOOL */
};

struct ev_kind_info {
	const char *name;
	unsigned nfields;
	struct ev_field field[EV_MAX_FIELDS];
	const char *text; /* template: {field} is replaced by the field's text */
	const char *help; /* one line for `help` and the README */
};

extern const struct ev_kind_info ev_kinds[NR_EV_KINDS];

/* One event as handed to listeners and read back from the journal. */
struct event {
	uint16_t kind;
	uint32_t step; /* 1-based step number */
	uint32_t op;   /* 1-based operation number */
	int32_t line;  /* scenario line, 0 if none */
	int64_t f[EV_MAX_FIELDS];
};

int ev_kind_by_name(const char *name);          /* -1 if unknown */
int ev_field_index(unsigned kind, const char *name); /* -1 if the kind lacks it */

/* Reasons an allocation returns nothing (FT_ENUM names for fail.reason). */
enum nomem_reason { NOMEM_WATERMARK, NOMEM_FRAGMENTED, NOMEM_NO_ZONE, NR_NOMEM };
extern const char *const nomem_names[NR_NOMEM];

#endif
