/* Shared by the textbook models' scenario API (lapi_textbook.c,
 * lapi_translate.c): live handles of model records, config-table fields. */
#ifndef SCRIPT_LAPI_TEXTBOOK_H
#define SCRIPT_LAPI_TEXTBOOK_H

#include "lapi.h"

#define FL_MT "freelist"
#define RP_MT "replacement"
#define SEG_MT "segments"
#define LPT_MT "linear_pt"
#define MLPT_MT "multilevel_pt"
#define HEAP_MT "heap"

/* A handle: the model's record, the step that made it, the machine. */
struct lmodel {
	uint32_t off, born;
	unsigned gen;
};

/* The model behind a handle, or a Lua error saying why it is gone. */
struct machine *model_of(lua_State *L, int idx, const char *mt, struct lmodel **out);
void push_handle(lua_State *L, uint32_t off, const char *mt);
/* Every key of the config table at 1 must be in known (" a, b, c,"). */
void check_fields(lua_State *L, const char *fname, const char *known);
lua_Integer opt_int(lua_State *L, const char *fname, const char *key, lua_Integer def, lua_Integer lo,
		    lua_Integer hi);
int opt_name(lua_State *L, const char *fname, const char *key, const char *const *names, int n, int def);
int model_tostring(lua_State *L);
int model_eq(lua_State *L);

#endif
