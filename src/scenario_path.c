/* Finding a scenario by name (scenario_path.h). */
#include "scenario_path.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef MEMSTEP_SCENARIO_DIR
#define MEMSTEP_SCENARIO_DIR "/usr/local/share/memstep/scenarios"
#endif

/* dir/arg or dir/arg.lua, if it is a readable file. */
static bool try_dir(const char *dir, size_t dirlen, const char *arg, char *buf, size_t n)
{
	static const char *const ext[] = {"", ".lua"};
	if (!buf || !n) /* (and GCC's sanitizer build cannot prove buf non-null) */
		return false;
	for (size_t i = 0; i < 2; i++) {
		snprintf(buf, n, "%.*s/%s%s", (int)dirlen, dir, arg, ext[i]);
		if (access(buf, R_OK) == 0)
			return true;
	}
	return false;
}

const char *scenario_path(const char *arg, char *buf, size_t n)
{
	if (!arg || strchr(arg, '/') || access(arg, F_OK) == 0)
		return arg;
	const char *path = getenv("MEMSTEP_PATH");
	for (const char *p = path; p && *p;) {
		size_t len = strcspn(p, ":");
		if (len && try_dir(p, len, arg, buf, n))
			return buf;
		p += len + (p[len] == ':');
	}
	if (try_dir(MEMSTEP_SCENARIO_DIR, strlen(MEMSTEP_SCENARIO_DIR), arg, buf, n))
		return buf;
	return arg;
}
