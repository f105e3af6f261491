/* Logical addresses for translate (lapi_segment.c, used by lapi_pgtable.c). */
#ifndef SCRIPT_LAPI_SEGMENT_H
#define SCRIPT_LAPI_SEGMENT_H

#include "lapi.h"
#include "mm/segment.h"

/* {ds=sel, offset=} or "sel:off". */
struct lapi_logical {
	enum seg_reg reg;
	uint16_t sel;
	uint32_t offset;
};
bool lapi_is_logical(lua_State *L, int idx);
void lapi_parse_logical(lua_State *L, int idx, const char *fn, enum pt_access acc, struct lapi_logical *out);
/* Set the segmentation fields of the result table on the stack top. */
void lapi_push_seg_result(lua_State *L, const struct seg_result *r);

#endif
