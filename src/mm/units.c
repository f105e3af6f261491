#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool parse_size(const char *s, uint64_t *bytes)
{
	if (!isdigit((unsigned char)*s))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return false;
	const char *units = "KMGT";
	const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	unsigned shift = u ? 10u * (unsigned)(u - units + 1) : 0;
	if (u) {
		end++;
		if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)
			end += strlen(end);
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*bytes = (uint64_t)v << shift;
	return true;
}
