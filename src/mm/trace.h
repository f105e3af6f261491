/* An event's one-line text form and its JSON form, both read off the table. */
#ifndef MM_TRACE_H
#define MM_TRACE_H

#include <stddef.h>

#include "machine.h"

/* The text of field i of an event ("0x40", "Normal", "GFP_KERNEL", "ok"). */
const char *ev_field_text(const struct machine *m, const struct event *e, unsigned i, char *buf, size_t n);
/* "split 0x40 into two order-2 halves: …" from the kind's template. */
size_t ev_format_text(const struct machine *m, const struct event *e, char *buf, size_t n);
/* {"step":3,"op":1,"kind":"split","line":7,"zone":"DMA","pfn":64,…} */
size_t ev_format_json(const struct machine *m, const struct event *e, char *buf, size_t n);

#endif
