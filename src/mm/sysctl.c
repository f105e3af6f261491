/*
 * The vm sysctls reclaim reads (kernel/sysctl.c's vm_table entries, Linux
 * 6.18): vm.swappiness (0..200, mm/vmscan.c), vm.min_free_kbytes (>= 0,
 * min_free_kbytes_sysctl_handler) and vm.watermark_scale_factor
 * (1..3000, watermark_scale_factor_sysctl_handler).  Writing either of
 * the last two recomputes every zone's watermarks (setup_per_zone_wmarks),
 * as the kernel's handlers do.  All values are checked before any is set.
 */
#include "vmscan.h"

#include "page_alloc.h"

const char *const vm_sysctl_names[NR_VM_SYSCTL] = {"swappiness", "min_free_kbytes", "watermark_scale_factor"};

static const int64_t lo[NR_VM_SYSCTL] = {0, 0, 1};
static const int64_t hi[NR_VM_SYSCTL] = {MAX_SWAPPINESS, 4 * 1024 * 1024, 3000};

int64_t vm_sysctl_get(const struct machine *m, enum vm_sysctl which)
{
	switch (which) {
	case SYSCTL_SWAPPINESS:
		return vmscan_root(m)->swappiness;
	case SYSCTL_MIN_FREE_KBYTES:
		return m->min_free_kbytes;
	default:
		return m->watermark_scale_factor;
	}
}

static uint32_t *cell(struct machine *m, enum vm_sysctl which)
{
	if (which == SYSCTL_SWAPPINESS)
		return &vmscan_root(m)->swappiness;
	return which == SYSCTL_MIN_FREE_KBYTES ? &m->min_free_kbytes : &m->watermark_scale_factor;
}

int vm_sysctl_set(struct machine *m, const bool given[NR_VM_SYSCTL], const int64_t value[NR_VM_SYSCTL])
{
	for (unsigned i = 0; i < NR_VM_SYSCTL; i++)
		if (given[i] && (value[i] < lo[i] || value[i] > hi[i]))
			return mm_error(m, "sysctl: vm.%s must be from %lld to %lld, not %lld", vm_sysctl_names[i],
					(long long)lo[i], (long long)hi[i], (long long)value[i]);
	mm_op_begin(m);
	for (unsigned i = 0; i < NR_VM_SYSCTL; i++) {
		if (!given[i])
			continue;
		int64_t old = vm_sysctl_get(m, i);
		jset32(&m->j, cell(m, i), (uint32_t)value[i]);
		if (i != SYSCTL_SWAPPINESS)
			setup_per_zone_wmarks(m);
		EMIT(m, EV_SYSCTL, i, old, value[i]);
	}
	mm_op_end(m);
	return MM_OK;
}
