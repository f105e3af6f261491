/* The subsystem table (subsys.h): one row per subsystem, in boot order. */
#include "subsys.h"

#include "check.h"
#include "compaction.h"
#include "highmem.h"
#include "ksm.h"
#include "numa.h"
#include "segment.h"
#include "memblock.h"
#include "pgtable.h"
#include "procs.h"
#include "proc.h"
#include "slab_alloc.h"
#include "slub.h"
#include "swap.h"
#include "vmalloc.h"
#include "vmscan.h"
#include "textbook/textbook.h"

static const struct mm_proc_file buddy_files[] = {
	{"buddyinfo", proc_buddyinfo, NULL},
	{"zoneinfo", proc_zoneinfo, NULL},
	{"pagetypeinfo", proc_pagetypeinfo, NULL},
	{"meminfo", proc_meminfo, NULL},
	{"vmstat", proc_vmstat, NULL},
	{NULL, NULL, NULL},
};

/* debugfs's extfrag directory, by its files' names */
static const struct mm_proc_file compaction_files[] = {
	{"extfrag_index", proc_extfrag_index, NULL},
	{"unusable_index", proc_unusable_index, NULL},
	{NULL, NULL, NULL},
};

static const struct mm_proc_file slub_files[] = {
	{"slabinfo", proc_slabinfo, slabinfo_absent},
	{NULL, NULL, NULL},
};

static const struct mm_proc_file swap_files[] = {
	{"swaps", proc_swaps, NULL},
	{NULL, NULL, NULL},
};

static const struct mm_proc_file vmalloc_files[] = {
	{"vmallocinfo", proc_vmallocinfo, NULL},
	{NULL, NULL, NULL},
};

static const struct mm_proc_file memblock_files[] = {
	{"memblock/memory", proc_memblock_memory, NULL},
	{"memblock/reserved", proc_memblock_reserved, NULL},
	{"iomem", proc_iomem, NULL},
	{NULL, NULL, NULL},
};

const struct mm_subsys mm_subsystems[] = {
	{"numa", numa_init, numa_free, check_numa, NULL}, /* nodeN/numastat: numa_node_file */
	{"page_alloc", NULL, NULL, check_buddy, buddy_files},
	{"compaction", NULL, NULL, check_compaction, compaction_files},
	/* the allocator machine{slab=} chose (slab_alloc.h) */
	{"slab", slub_init, slub_free, check_slub, slub_files},
	{"vmalloc", vmalloc_init, vmalloc_free, check_vmalloc, vmalloc_files},
	{"pgtable", pgtable_init, pgtable_free, check_pgtables, NULL},
	{"highmem", highmem_init, highmem_free, check_highmem, NULL},
	{"segment", segment_init, segment_free, check_segment, NULL},
	{"procs", procs_init, procs_free, check_procs, NULL}, /* per-process files: mm_proc_pid */
	{"ksm", ksm_init, NULL, check_ksm, ksm_files},         /* in the procs arena */
	{"vmscan", vmscan_init, vmscan_free, check_vmscan, NULL}, /* meminfo and vmstat lines */
	{"swap", swap_init, swap_free_subsys, check_swap, swap_files},
	{"textbook", textbook_init, textbook_free, check_textbook, NULL},
	{"memblock", NULL, memblock_release, check_memblock, memblock_files}, /* set up by machine_new */
	{NULL, NULL, NULL, NULL, NULL},
};
