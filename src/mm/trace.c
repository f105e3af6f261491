/* Text and JSON forms of events, driven by the ev_kinds table. */
#include "trace.h"

#include <stdio.h>
#include <string.h>

#include "gfp.h"
#include "slub.h"
#include "pgtable.h"

const char *ev_field_text(const struct machine *m, const struct event *e, unsigned i, char *buf, size_t n)
{
	const struct ev_field *f = &ev_kinds[e->kind].field[i];
	int64_t v = e->f[i];
	switch (f->type) {
	case FT_PFN:
		snprintf(buf, n, "0x%llx", (unsigned long long)v);
		return buf;
	case FT_ZONE:
		return zone_label(m, (unsigned)v, buf, n);
	case FT_GFP:
		return gfp_format((uint32_t)v, buf, n);
	case FT_ENUM:
		return f->names[v];
	case FT_BOOL:
		return f->names[v != 0];
	case FT_CACHE:
		return slub_name(m, (uint32_t)v);
	case FT_ADDR:
		snprintf(buf, n, "0x%llx", (unsigned long long)v);
		return buf;
	case FT_PTE: {
		int li = ev_field_index(e->kind, "level");
		return pte_text(m, (uint64_t)v, li >= 0 ? (int)e->f[li] : -1, buf, n);
	}
	case FT_OPTINT:
		if (v < 0)
			return "";
		snprintf(buf, n, "%s%lld%s", f->names[0], (long long)v, f->names[1]);
		return buf;
	case FT_INT:
		break;
	}
	snprintf(buf, n, "%lld", (long long)v);
	return buf;
}

/* Append with truncation; returns the new length as if nothing were cut. */
static size_t put(char *buf, size_t n, size_t at, const char *s, size_t len)
{
	if (at < n) {
		size_t room = n - at - 1;
		memcpy(buf + at, s, len < room ? len : room);
		buf[at + (len < room ? len : room)] = 0;
	}
	return at + len;
}

size_t ev_format_text(const struct machine *m, const struct event *e, char *buf, size_t n)
{
	const struct ev_kind_info *k = &ev_kinds[e->kind];
	size_t at = 0;
	char tmp[96];
	if (n)
		buf[0] = 0;
	for (const char *t = k->text; *t;) {
		const char *open = strchr(t, '{');
		if (!open) {
			at = put(buf, n, at, t, strlen(t));
			break;
		}
		at = put(buf, n, at, t, (size_t)(open - t));
		const char *close = strchr(open, '}');
		char name[32];
		size_t len = (size_t)(close - open - 1);
		memcpy(name, open + 1, len);
		name[len] = 0;
		const char *s = ev_field_text(m, e, (unsigned)ev_field_index(e->kind, name), tmp, sizeof tmp);
		at = put(buf, n, at, s, strlen(s));
		t = close + 1;
	}
	return at;
}

size_t ev_format_json(const struct machine *m, const struct event *e, char *buf, size_t n)
{
	const struct ev_kind_info *k = &ev_kinds[e->kind];
	char tmp[128];
	int len = snprintf(tmp, sizeof tmp, "{\"step\":%u,\"op\":%u,\"kind\":\"%s\",\"line\":%d", e->step, e->op,
			   k->name, e->line);
	size_t at = put(buf, n, 0, tmp, (size_t)len);
	for (unsigned i = 0; i < k->nfields; i++) {
		const struct ev_field *f = &k->field[i];
		char val[96];
		if (f->type == FT_INT || f->type == FT_PFN || f->type == FT_OPTINT)
			len = snprintf(tmp, sizeof tmp, ",\"%s\":%lld", f->name, (long long)e->f[i]);
		else if (f->type == FT_PTE)
			len = snprintf(tmp, sizeof tmp, ",\"%s\":\"0x%llx\"", f->name, (unsigned long long)e->f[i]);
		else if (f->type == FT_BOOL)
			len = snprintf(tmp, sizeof tmp, ",\"%s\":%s", f->name, e->f[i] ? "true" : "false");
		else
			len = snprintf(tmp, sizeof tmp, ",\"%s\":\"%s\"", f->name,
				       ev_field_text(m, e, i, val, sizeof val));
		at = put(buf, n, at, tmp, (size_t)len);
	}
	return put(buf, n, at, "}", 1);
}
