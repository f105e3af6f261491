/* Internals shared by the files that make the scenario API (lapi_*.c). */
#ifndef SCRIPT_LAPI_H
#define SCRIPT_LAPI_H

#include <lauxlib.h>
#include <lua.h>

#include "scenario.h"

static inline struct scenario *scenario_of(lua_State *L)
{
	return sandbox_owner(L);
}

/* Registry key of the on() hooks table: kind name -> {fn, …}. */
extern const char lapi_hooks_key;

/* Before an operation: refuse inside hooks, stamp the source line. */
struct machine *lapi_op_begin(lua_State *L, const char *fname);
/* After it: raise a hook's error, then yield if the script runs lazily.
 * nres values on the stack are the function's results. */
int lapi_op_end(lua_State *L, uint32_t steps_before, int nres);

/* After an operation that ran out of memory: nil and the model's reason,
 * as the kernel returns NULL (lapi_op_end's contract). */
int lapi_nomem(lua_State *L, const struct machine *m, uint32_t steps_before);

/* "file:line" of the Lua code calling the running C function. */
const char *lapi_where(lua_State *L, char *buf, size_t n);
/* Set a field of the table on top of the stack. */
void lapi_set_int(lua_State *L, const char *key, lua_Integer v);
void lapi_set_str(lua_State *L, const char *key, const char *v);

/* All arguments as one string, tab-separated, as print() writes them
 * (a lua_CFunction: it pushes the string and returns 1). */
int lapi_join(lua_State *L);
/* A size: an integer number of bytes or a string like "64M", "4K", "1G". */
uint64_t lapi_checksize(lua_State *L, int idx, const char *what);
/* The current line in the script (level 1), 0 if unknown. */
int lapi_line(lua_State *L);

/* Push an event as a table {kind=, step=, op=, line=, <fields>}. */
void lapi_push_event(lua_State *L, const struct machine *m, const struct event *e);

/* A Lua error "fn: msg", msg being the model's message with its own
 * "fn: " prefix dropped. */
int lapi_model_error(lua_State *L, const char *fn, const char *msg);

/* The scenario API, one opener per subsystem (as linit.c's loadedlibs):
 * a new subsystem adds its opener to lapi_libs in lapi.c. */
typedef void (*lapi_opener)(lua_State *L);
extern const lapi_opener lapi_libs[]; /* ends with NULL */

void lapi_open_machine(lua_State *L);
void lapi_open_slab_array(lua_State *L); /* slab_arrays(), slab_colour(), cache_reap() */
void lapi_open_page(lua_State *L);
/* Is argument idx a page handle?  If so, its block (pfn, order), or a Lua
 * error naming fname when the block was freed or never was (lapi_page.c). */
bool lapi_page_live(lua_State *L, int idx, const char *fname, uint32_t *pfn, unsigned *order);
void lapi_open_narrate(lua_State *L);
void lapi_open_ksm(lua_State *L); /* ksm{}, ksm(), ksmd() */
void lapi_open_compact(lua_State *L); /* compact(), migrate(), the fragmentation indices */
void lapi_open_slab(lua_State *L);
void lapi_open_vmalloc(lua_State *L);
void lapi_open_memblock(lua_State *L);
void lapi_open_dma(lua_State *L);
void lapi_open_pgtable(lua_State *L);
void lapi_open_textbook(lua_State *L);
void lapi_open_heap(lua_State *L);
void lapi_open_translate(lua_State *L);
void lapi_open_pcp(lua_State *L);
void lapi_open_process(lua_State *L);
void lapi_open_highmem(lua_State *L); /* kmap, kmap_local_page, page_address, pkmap() */
void lapi_open_segment(lua_State *L); /* gdt, ldt, set_descriptor, segment_translate */
void lapi_open_numa(lua_State *L); /* set_mempolicy, mbind, zonelist, alloc_pages_node, … */
void lapi_open_frame(lua_State *L); /* page(), rmap_walk(): opened by lapi_open_process */
/* The pid of a live task handle at idx, or a Lua error naming fn. */
uint32_t lapi_check_task(lua_State *L, int idx, const char *fn);
void lapi_open_vmscan(lua_State *L);
/* An mm handle for a live mm id (lapi_pgtable.c). */
void lapi_push_mm(lua_State *L, uint32_t id);
/* The pid of the live task handle at idx, or a Lua error naming fn (lapi_process.c). */
uint32_t lapi_check_task(lua_State *L, int idx, const char *fn);
void lapi_open_swap(lua_State *L);
/* proc(name, task): a process's /proc file (lapi_process.c). */
int lapi_proc_task(lua_State *L);
/* machine{arch={levels=, offset=, entry_size=, name=}} and tlb={entries=, ways=}
 * (lapi_pgtable.c): the value is at the stack top. */
void lapi_parse_toy_arch(lua_State *L, struct mm_config *c);
void lapi_parse_tlb(lua_State *L, struct mm_config *c);
/* machine{}'s boot-memory keys (lapi_memblock.c); false for other keys */
bool lapi_parse_boot_field(lua_State *L, struct mm_config *c, const char *key);
/* A table key for messages: 'name', [1], [true], with a table as its key
 * (lapi_machine.c). */
const char *lapi_key_text(lua_State *L, int idx, char *buf, size_t n);
/* machine{}'s field `what` must be a table (example: how one looks). */
void lapi_check_table(lua_State *L, int idx, const char *what, const char *example);

/* Load a scenario file as a function (text only, shebang skipped). */
int lapi_load_file(lua_State *L, const char *path);

/* Seed math.random from a machine seed. */
void lapi_reseed(lua_State *L, uint64_t seed);

/* machine{}: replace the scenario's machine (lapi_machine.c). */
int lapi_set_machine(struct scenario *sc, struct machine *m);

#endif
