/* Sizes as people write them: "4096", "64K", "16M", "4G", "1TiB". */
#ifndef MM_UNITS_H
#define MM_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* Binary multiples; false for anything else. */
bool parse_size(const char *s, uint64_t *bytes);

#endif
