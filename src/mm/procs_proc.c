/*
 * /proc/PID/maps, /proc/PID/status, /proc/PID/smaps_rollup and /proc/vmstat
 * as fs/proc/task_mmu.c, fs/proc/array.c and mm/vmstat.c (Linux 6.18) print them, for the
 * fields the model has.  maps: show_vma_header_prefix, then the name padded
 * to column 73 (25 + 6 * sizeof(void *) - 1, then a space; 49 on 32-bit
 * arches); [heap] and [stack] as the kernel names them.  smaps_rollup: the
 * zero page is not counted (vm_normal_page skips it), Pss shares each page
 * between its mappers with the kernel's PSS_SHIFT fixed point.
 */
#include "procs.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vmscan.h"
#include "oom_kill.h"
#include "swap.h"

const char *vma_name(const struct machine *m, const struct mm_struct *mm, const struct vma *v, char *buf)
{
	if (v->file && file_at(m, v->file)->shmem) /* shmem_zero_setup's file */
		return "/dev/zero (deleted)";
	if (v->file) /* the model's files live in /data */
		return strcat(strcpy(buf, "/data/"), file_name(file_at(m, v->file), buf + 32));
	if (v->vm_start < mm->brk && v->vm_end > mm->start_brk) /* vma_is_initial_heap */
		return "[heap]";
	if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

void proc_maps(const struct machine *m, unsigned pid, struct strbuf *out)
{
	const struct mm_struct *mm = task_mm(m, pid);
	if (!mm)
		return;
	int width = mm->task_size > 0xffffffffull ? 72 : 48;
	for (uint32_t v = mm->vma_first; v; v = vma_at(m, v)->next) {
		const struct vma *x = vma_at(m, v);
		char prot[5], buf[64];
		size_t before = out->len;
		const struct address_space *f = x->file ? file_at(m, x->file) : NULL;
		/* a file's offset, the disk (sda1 = 08:01, shmem's tmpfs 00:01)
		 * and inode */
		strbuf_printf(out, "%08llx-%08llx %s %08llx %02x:%02x %lu ", (unsigned long long)x->vm_start,
			      (unsigned long long)x->vm_end, vma_prot_text(x->flags, prot),
			      f ? (unsigned long long)(x->pgoff << m->page_shift) : 0ull, f && !f->shmem ? 8u : 0u,
			      f ? 1u : 0u, f ? (unsigned long)f->ino : 0ul);
		const char *name = vma_name(m, mm, x, buf);
		if (name) {
			int used = (int)(out->len - before);
			strbuf_printf(out, "%*s%s", used < width ? width - used + 1 : 1, "", name);
		}
		strbuf_printf(out, "\n");
	}
}

static void kb_line(const struct machine *m, struct strbuf *out, const char *label, uint64_t pages)
{
	strbuf_printf(out, "%s\t%8llu kB\n", label, (unsigned long long)((pages << m->page_shift) >> 10));
}

void proc_status(const struct machine *m, unsigned pid, struct strbuf *out)
{
	const struct task *t = task_by_pid(m, pid);
	if (!t)
		return;
	char name[TASK_COMM_LEN + 1];
	strbuf_printf(out, "Name:\t%s\nState:\t%s\nTgid:\t%u\nPid:\t%u\nPPid:\t%u\n", task_comm(t, name),
		      t->mm ? "R (running)" : "Z (zombie)", pid, pid, t->ppid);
	const struct mm_struct *mm = task_mm(m, pid);
	if (!mm)
		return;
	kb_line(m, out, "VmSize:", mm->total_vm);
	kb_line(m, out, "VmRSS:", mm->rss_anon + mm->rss_file + mm->rss_shmem);
	kb_line(m, out, "RssAnon:", mm->rss_anon);
	kb_line(m, out, "RssFile:", mm->rss_file);
	kb_line(m, out, "RssShmem:", mm->rss_shmem);
	kb_line(m, out, "VmSwap:", mm->swapents);
}

struct rollup {
	uint64_t rss, pss, pss_anon, pss_file, pss_shmem, pss_dirty, shared_clean, shared_dirty, private_clean, private_dirty,
		referenced, anon, swap, swap_pss;
};

/* smaps_pte_entry for a swap PTE: Swap, and SwapPss shared by the slot's count. */
static void rollup_swap(struct machine *m, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)va, (void)table;
	struct rollup *r = arg;
	uint32_t count = swap_count_at(m, pte_to_swp_entry(m, *pte)) & SWAP_COUNT_MASK;
	r->swap += page_bytes(m);
	r->swap_pss += (page_bytes(m) << 12) / (count ? count : 1);
}

static void rollup_pte(struct machine *m, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)va, (void)table;
	struct rollup *r = arg;
	const struct upage *u = page_user(m, pte_pfn(m, *pte));
	if (!u)
		return; /* the zero page */
	uint64_t ps = page_bytes(m);
	const struct pt_format *f = &m->pt->fmt;
	bool dirty = f->family == PTF_ARM64 ? !(*pte & ARM_RDONLY) : (*pte & X86_DIRTY) != 0;
	bool young = f->family == PTF_ARM64 ? (*pte & ARM_AF) != 0 : (*pte & X86_ACCESSED) != 0;
	dirty = dirty || (u->flags & PG_dirty);
	uint64_t pss = (ps << 12) / u->mapcount;
	bool anon = frame_is_anon(frame_state(&m->frames[pte_pfn(m, *pte)]));
	r->rss += ps;
	r->pss += pss;
	/* smaps_page_accumulate: anon, else swap-backed (shmem), else file */
	*(anon ? &r->pss_anon : (u->flags & PG_swapbacked) ? &r->pss_shmem : &r->pss_file) += pss;
	if (dirty)
		r->pss_dirty += pss;
	if (anon)
		r->anon += ps;
	if (young || (u->flags & PG_referenced))
		r->referenced += ps;
	if (u->mapcount > 1)
		*(dirty ? &r->shared_dirty : &r->shared_clean) += ps;
	else
		*(dirty ? &r->private_dirty : &r->private_clean) += ps;
}

static void rollup_line(struct strbuf *out, const char *label, uint64_t bytes)
{
	strbuf_printf(out, "%-16s%8llu kB\n", label, (unsigned long long)(bytes >> 10));
}

void proc_smaps_rollup(const struct machine *m, unsigned pid, struct strbuf *out)
{
	const struct mm_struct *mm = task_mm(m, pid);
	if (!mm || !mm->vma_first)
		return;
	struct rollup r = {0};
	uint64_t last = 0;
	for (uint32_t v = mm->vma_first; v; v = vma_at(m, v)->next) {
		const struct vma *x = vma_at(m, v);
		walk_ptes((struct machine *)m, mm->asid, x->vm_start, x->vm_end, rollup_pte, &r);
		walk_swap_ptes((struct machine *)m, mm->asid, x->vm_start, x->vm_end, rollup_swap, &r);
		last = x->vm_end;
	}
	int width = mm->task_size > 0xffffffffull ? 72 : 48;
	size_t before = out->len;
	strbuf_printf(out, "%08llx-%08llx ---p %08llx %02x:%02x %lu ",
		      (unsigned long long)vma_at(m, mm->vma_first)->vm_start, (unsigned long long)last, 0ull, 0u, 0u,
		      0ul);
	int used = (int)(out->len - before);
	strbuf_printf(out, "%*s[rollup]\n", used < width ? width - used + 1 : 1, "");
	uint64_t pss = r.pss >> 12;
	rollup_line(out, "Rss:", r.rss);
	rollup_line(out, "Pss:", pss);
	rollup_line(out, "Pss_Dirty:", r.pss_dirty >> 12);
	rollup_line(out, "Pss_Anon:", r.pss_anon >> 12);
	rollup_line(out, "Pss_File:", r.pss_file >> 12);
	rollup_line(out, "Pss_Shmem:", r.pss_shmem >> 12);
	rollup_line(out, "Shared_Clean:", r.shared_clean);
	rollup_line(out, "Shared_Dirty:", r.shared_dirty);
	rollup_line(out, "Private_Clean:", r.private_clean);
	rollup_line(out, "Private_Dirty:", r.private_dirty);
	rollup_line(out, "Referenced:", r.referenced);
	rollup_line(out, "Anonymous:", r.anon);
	/* The kernel's remaining lines, in its order: nothing the model has yet. */
	static const char *const unmodelled[] = {
		"KSM:",		   "LazyFree:",	      "AnonHugePages:", "ShmemPmdMapped:", "FilePmdMapped:",
		"Shared_Hugetlb:", "Private_Hugetlb:",
	};
	for (size_t i = 0; i < sizeof unmodelled / sizeof *unmodelled; i++)
		rollup_line(out, unmodelled[i], 0);
	rollup_line(out, "Swap:", r.swap);
	rollup_line(out, "SwapPss:", r.swap_pss >> 12);
	rollup_line(out, "Locked:", 0);
}

static void vmstat_line(struct strbuf *out, const char *name, uint64_t v)
{
	strbuf_printf(out, "%s %llu\n", name, (unsigned long long)v);
}

/* Counters in vmstat_text's order: zone, NUMA-less node, then events. */
void proc_vmstat(const struct machine *m, struct strbuf *out)
{
	uint64_t free = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		free += m->zones[i].free_pages;
	const struct procs_root *r = procs_root(m);
	const struct vmscan_root *v = vmscan_root(m);
	const struct swap_root *sw = swap_root(m);
	const struct vm_events *ev = &v->ev;
	char name[40];
	vmstat_line(out, "nr_free_pages", free);
	for (unsigned lru = 0; lru < NR_LRU_LISTS; lru++) {
		snprintf(name, sizeof name, "nr_zone_%s", lru_names[lru]);
		vmstat_line(out, name, lru_pages(m, lru));
	}
	vmstat_line(out, "nr_zone_write_pending", (uint64_t)v->nr_dirty + v->nr_writeback);
	vmstat_line(out, "nr_mlock", v->nr_mlock);
	for (unsigned lru = 0; lru < NR_LRU_LISTS; lru++) {
		snprintf(name, sizeof name, "nr_%s", lru_names[lru]);
		vmstat_line(out, name, lru_pages(m, lru));
	}
	/* the node's WORKINGSET_* items (no workingset_nodes: no xa_nodes here) */
	static const char *const ws_names[] = {"workingset_refault", "workingset_activate", "workingset_restore"};
	for (unsigned k = 0; k < 3; k++)
		for (unsigned file = 0; file < 2; file++) {
			uint64_t n = 0;
			for (unsigned i = 0; i < m->nr_nodes; i++) {
				const struct lruvec *l = node_lruvec(m, i);
				const uint32_t *c = k == 0 ? l->ws_refault : k == 1 ? l->ws_activate : l->ws_restore;
				n += c[file];
			}
			snprintf(name, sizeof name, "%s_%s", ws_names[k], file ? "file" : "anon");
			vmstat_line(out, name, n);
		}
	vmstat_line(out, "nr_anon_pages", r->nr_anon);
	vmstat_line(out, "nr_mapped", r->nr_file_mapped);
	vmstat_line(out, "nr_file_pages", r->nr_file_pages);
	vmstat_line(out, "nr_dirty", v->nr_dirty);
	vmstat_line(out, "nr_writeback", v->nr_writeback);
	vmstat_line(out, "nr_swapcached", sw->nr_swapcache);
	vmstat_line(out, "pgpgin", ((uint64_t)r->pgpgin << m->page_shift) >> 10);
	vmstat_line(out, "pgpgout", ((uint64_t)ev->pgpgout << m->page_shift) >> 10);
	vmstat_line(out, "pswpin", sw->pswpin);
	vmstat_line(out, "pswpout", sw->pswpout);
	for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
		if (!arch_has_zone(m, t))
			continue;
		snprintf(name, sizeof name, "allocstall_%s", zone_type_names[t]);
		for (char *c = name; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
		vmstat_line(out, name, ev->allocstall[t]);
	}
	vmstat_line(out, "pgactivate", ev->pgactivate);
	vmstat_line(out, "pgdeactivate", ev->pgdeactivate);
	vmstat_line(out, "pgfault", r->pgfault);
	vmstat_line(out, "pgmajfault", r->pgmajfault);
	static const struct { const char *name; size_t off; } events[] = {
#define VE(n) {#n, offsetof(struct vm_events, n)}
		VE(pgrefill), VE(pgsteal_kswapd), VE(pgsteal_direct), VE(pgsteal_proactive), VE(pgscan_kswapd),
		VE(pgscan_direct), VE(pgscan_proactive),
		VE(pgscan_anon), VE(pgscan_file), VE(pgsteal_anon), VE(pgsteal_file), VE(pageoutrun),
		VE(pgrotated),
	};
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
		vmstat_line(out, events[i].name, *(const uint32_t *)((const char *)ev + events[i].off));
	vmstat_line(out, "oom_kill", sw->oom_kill);
	/* compaction's and migration's vm events, in vm_event_item order */
	static const char *const names[NR_COMPACT_EVENTS] = {
#define CE_NAME(e, n) #n,
		COMPACT_EVENTS(CE_NAME)
#undef CE_NAME
	};
	for (unsigned e = 0; e < NR_COMPACT_EVENTS; e++) {
		uint64_t n = 0;
		for (unsigned i = 0; i < machine_nr_zones(m); i++)
			n += m->zones[i].compact.ev[e];
		vmstat_line(out, names[e], n);
	}
	static const struct { const char *name; size_t off; } unevictable[] = {
		VE(unevictable_pgs_culled), VE(unevictable_pgs_mlocked), VE(unevictable_pgs_munlocked),
#undef VE
	};
	for (size_t i = 0; i < sizeof unevictable / sizeof unevictable[0]; i++)
		vmstat_line(out, unevictable[i].name, *(const uint32_t *)((const char *)ev + unevictable[i].off));
}

const char mm_proc_pid_names[] = "maps, status, smaps_rollup, oom_score, oom_score_adj";

int mm_proc_pid(const struct machine *m, const char *name, unsigned pid, struct strbuf *out)
{
	if (strcmp(name, "maps") == 0)
		proc_maps(m, pid, out);
	else if (strcmp(name, "status") == 0)
		proc_status(m, pid, out);
	else if (strcmp(name, "smaps_rollup") == 0)
		proc_smaps_rollup(m, pid, out);
	else if (strcmp(name, "oom_score") == 0)
		strbuf_printf(out, "%llu\n", (unsigned long long)oom_score(m, pid));
	else if (strcmp(name, "oom_score_adj") == 0)
		strbuf_printf(out, "%d\n", task_by_pid(m, pid) ? task_by_pid(m, pid)->oom_score_adj : 0);
	else
		return -1;
	return 0;
}
