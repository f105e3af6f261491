/*
 * The address-space system calls of mm/mmap.c, mm/vma.c and mm/mprotect.c
 * (Linux 6.18): do_mmap with get_unmapped_area (a MAP_FIXED address, a
 * hint used when free, else arch_get_unmapped_area_topdown below
 * mmap_base), do_vmi_munmap (splitting the VMAs at the edges with
 * __split_vma, then unmapping and removing those inside), mprotect_fixup
 * (split, change the flags and PTEs, merge with the neighbours), brk (the
 * heap VMA grows by do_brk_flags, merging with the VMA below, and shrinks
 * by munmap), and vma_merge's test of compatible neighbours (same flags,
 * same anon_vma or none, contiguous pgoff).  Also the task table's exec
 * layout (procs.h).  A shared anonymous mapping is backed by a shmem file
 * (filemap.c).  Simplifications:
 * no overcommit accounting; a failed top-down search does not fall back to
 * the bottom-up one; PROT_NONE pages stay mapped without the user bit.
 */
#include "procs.h"

#include <stdio.h>
#include <string.h>

#include "xalloc.h"

#define MMAP_MIN_ADDR 65536ull /* /proc/sys/vm/mmap_min_addr */
#define MIN_GAP (128ull << 20) /* mmap_base's smallest gap below the stack */

static uint32_t align8(uint32_t n) { return (n + 7) & ~7u; }

void procs_init(struct machine *m)
{
	m->procs = xcalloc(1, sizeof *m->procs);
	arena_init(m, &m->procs->arena);
	m->procs->root = arena_alloc(m, &m->procs->arena, align8(sizeof(struct procs_root)));
	procs_root(m)->zero_pfn = PFN_NONE;
}

void procs_free(struct machine *m)
{
	free(m->procs); /* the arena goes with the machine's arenas */
	m->procs = NULL;
}

/* Records are multiples of 8 bytes; a free one links the next through its
 * first word. */
uint32_t procs_alloc(struct machine *m, uint32_t bytes, uint32_t *free_list)
{
	bytes = align8(bytes);
	uint32_t off = *free_list;
	if (!off)
		return arena_alloc(m, &m->procs->arena, bytes);
	uint64_t *w = procs_ptr(m, off);
	jset32(&m->j, free_list, (uint32_t)w[0]);
	for (uint32_t i = 0; i < bytes / 8; i++)
		jset64(&m->j, &w[i], 0);
	return off;
}

void procs_release(struct machine *m, uint32_t off, uint32_t *free_list)
{
	uint64_t *w = procs_ptr(m, off);
	jset64(&m->j, &w[0], *free_list);
	jset32(&m->j, free_list, off);
}

struct task *task_by_pid(const struct machine *m, uint32_t pid)
{
	uint32_t off = idr_find(&m->procs->arena, &procs_root(m)->tasks, pid);
	return off ? procs_ptr(m, off) : NULL;
}

struct mm_struct *task_mm(const struct machine *m, uint32_t pid)
{
	const struct task *t = task_by_pid(m, pid);
	return t && t->mm ? mm_at(m, t->mm) : NULL;
}

const char *task_comm(const struct task *t, char *buf)
{
	memcpy(buf, t->comm, TASK_COMM_LEN);
	buf[TASK_COMM_LEN] = 0;
	return buf;
}

const char *vma_prot_text(unsigned flags, char *buf)
{
	buf[0] = flags & VM_READ ? 'r' : '-';
	buf[1] = flags & VM_WRITE ? 'w' : '-';
	buf[2] = flags & VM_EXEC ? 'x' : '-';
	buf[3] = flags & VM_MAYSHARE ? 's' : 'p';
	buf[4] = 0;
	return buf;
}

uint32_t vma_alloc(struct machine *m)
{
	uint32_t v = procs_alloc(m, sizeof(struct vma), &procs_root(m)->free_vma);
	jset32(&m->j, &vma_at(m, v)->born, mm_next_step(m));
	return v;
}

void vma_free(struct machine *m, uint32_t v)
{
	procs_release(m, v, &procs_root(m)->free_vma);
}

static uint32_t mm_off(const struct machine *m, uint32_t pid) { return task_by_pid(m, pid)->mm; }

static uint64_t vma_pages(const struct machine *m, const struct vma *v)
{
	return (v->vm_end - v->vm_start) >> m->page_shift;
}

/* A new VMA [start, end), anonymous or of file (an address_space offset)
 * from page pgoff, linked and announced. */
static uint32_t new_file_vma(struct machine *m, uint32_t pid, uint64_t start, uint64_t end, unsigned flags,
			     uint32_t file, uint64_t pgoff)
{
	uint32_t v = vma_alloc(m);
	struct vma *n = vma_at(m, v);
	jset64(&m->j, &n->vm_start, start);
	jset64(&m->j, &n->vm_end, end);
	jset64(&m->j, &n->pgoff, file ? pgoff : start >> m->page_shift);
	jset32(&m->j, &n->flags, flags);
	jset32(&m->j, &n->file, file);
	vma_link(m, mm_off(m, pid), v);
	vma_link_file(m, v);
	struct mm_struct *mm = task_mm(m, pid);
	jset32(&m->j, &mm->total_vm, mm->total_vm + (uint32_t)vma_pages(m, n));
	EMIT(m, EV_VMA_ADD, pid, (int64_t)start, (int64_t)end, flags & 7);
	return v;
}

static uint32_t new_vma(struct machine *m, uint32_t pid, uint64_t start, uint64_t end, unsigned flags)
{
	return new_file_vma(m, pid, start, end, flags, 0, 0);
}

/* Take v out of its mm: unmap its pages, unlink it everywhere, free it. */
void remove_vma(struct machine *m, uint32_t pid, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	uint64_t start = n->vm_start, end = n->vm_end;
	zap_page_range(m, pid, v, start, end);
	/* the last VMA of a shmem object: its pages go while the VMA (now
	 * mapping nothing) still holds the object, so no step sees pages of
	 * an object nothing maps */
	const struct address_space *f = n->file ? file_at(m, n->file) : NULL;
	if (f && f->shmem && f->i_mmap == n->i_mmap && interval_tree_single(m, f->i_mmap))
		shmem_evict(m, n->file);
	struct mm_struct *mm = task_mm(m, pid);
	jset32(&m->j, &mm->total_vm, mm->total_vm - (uint32_t)vma_pages(m, n));
	unlink_anon_vmas(m, v);
	vma_unlink_file(m, v);
	vma_unlink(m, mm_off(m, pid), v);
	vma_free(m, v);
	EMIT(m, EV_VMA_REMOVE, pid, (int64_t)start, (int64_t)end);
}

int split_vma(struct machine *m, uint32_t pid, uint32_t v, uint64_t at)
{
	struct vma *n = vma_at(m, v);
	uint64_t start = n->vm_start, end = n->vm_end;
	uint64_t pgoff = n->pgoff;
	uint32_t nv = vma_alloc(m);
	struct vma *hi = vma_at(m, nv);
	/* v keeps [start, at); the new VMA takes [at, end) */
	vma_set_range(m, v, start, at, pgoff);
	jset64(&m->j, &hi->vm_start, at);
	jset64(&m->j, &hi->vm_end, end);
	jset64(&m->j, &hi->pgoff, pgoff + ((at - start) >> m->page_shift));
	jset32(&m->j, &hi->flags, n->flags);
	jset32(&m->j, &hi->anon_vma, n->anon_vma);
	jset32(&m->j, &hi->file, n->file);
	anon_vma_clone(m, nv, v);
	vma_link(m, mm_off(m, pid), nv);
	vma_link_file(m, nv);
	EMIT(m, EV_VMA_SPLIT, pid, (int64_t)start, (int64_t)end, (int64_t)at);
	return MM_OK;
}

static bool mergeable(const struct machine *m, const struct vma *a, const struct vma *b)
{
	return a->vm_end == b->vm_start && a->flags == b->flags && a->file == b->file &&
	       (a->anon_vma == b->anon_vma || !a->anon_vma || !b->anon_vma) &&
	       a->pgoff + vma_pages(m, a) == b->pgoff;
}

/* Merge a (below) and b (above) into the one holding pages. */
static uint32_t merge_pair(struct machine *m, uint32_t pid, uint32_t a, uint32_t b)
{
	struct vma *lo = vma_at(m, a), *hi = vma_at(m, b);
	uint64_t start = lo->vm_start, end = hi->vm_end, pgoff = lo->pgoff;
	uint32_t keep = lo->anon_vma || !hi->anon_vma ? a : b, drop = keep == a ? b : a;
	unlink_anon_vmas(m, drop);
	vma_unlink_file(m, drop);
	vma_unlink(m, mm_off(m, pid), drop);
	vma_free(m, drop);
	vma_set_range(m, keep, start, end, pgoff);
	EMIT(m, EV_VMA_MERGE, pid, (int64_t)start, (int64_t)end);
	return keep;
}

uint32_t vma_try_merge(struct machine *m, uint32_t pid, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	if (n->prev && mergeable(m, vma_at(m, n->prev), n))
		v = merge_pair(m, pid, n->prev, v);
	n = vma_at(m, v);
	if (n->next && mergeable(m, n, vma_at(m, n->next)))
		v = merge_pair(m, pid, v, n->next);
	return v;
}

/* ---- the exec layout ---- */

static uint64_t arch_task_size(const struct machine *m)
{
	const struct pt_format *f = &m->pt->fmt;
	if (f->family == PTF_X86 && f->va_bits >= 48)
		return (1ull << 47) - page_bytes(m); /* DEFAULT_MAP_WINDOW */
	if (f->family == PTF_X86 && f->va_bits == 32)
		return 0xc0000000ull; /* PAGE_OFFSET */
	if (f->sign_extend)
		return 1ull << (f->va_bits - 1);
	return f->va_bits >= 64 ? UINT64_MAX & ~(page_bytes(m) - 1) : 1ull << f->va_bits;
}

int task_alloc(struct machine *m, const char *name, uint32_t *pid)
{
	if (!m->pt->fmt.depth)
		return mm_error(m, "process: no page tables on this machine (its page size is not the %s's)",
				m->cfg.arch->name);
	struct procs_root *r = procs_root(m);
	if (r->tasks.n == IDR_MAX || pt_root(m)->mms.n == IDR_MAX)
		return mm_error(m, "process: all %u pids are used (memstep never reuses a pid)", IDR_MAX);
	uint64_t ps = page_bytes(m), task_size = arch_task_size(m);
	if (task_size < MIN_GAP * 2 || ps > 0x200000)
		return mm_error(m, "process: this machine's %u-bit user address space is too small for a process",
				m->pt->fmt.va_bits);
	mm_op_begin(m);
	uint32_t asid;
	int rc = pt_mm_alloc(m, &asid);
	if (rc != MM_OK) {
		mm_op_end(m);
		return rc;
	}
	uint32_t moff = procs_alloc(m, sizeof(struct mm_struct), &(uint32_t){0});
	uint32_t toff = procs_alloc(m, sizeof(struct task), &(uint32_t){0});
	struct mm_struct *mm = mm_at(m, moff);
	struct task *t = procs_ptr(m, toff);
	r = procs_root(m);
	uint32_t id = idr_alloc(m, &m->procs->arena, &r->tasks, toff);
	jset32(&m->j, &t->pid, id);
	jset32(&m->j, &t->state, TASK_RUNNING);
	jset32(&m->j, &t->mm, moff);
	jset32(&m->j, &t->born, mm_next_step(m));
	char comm[TASK_COMM_LEN] = {0};
	strncpy(comm, name, TASK_COMM_LEN - 1);
	for (unsigned i = 0; i < TASK_COMM_LEN / 4; i++) {
		uint32_t w;
		memcpy(&w, comm + 4 * i, 4);
		jset32(&m->j, &t->comm[i], w);
	}
	jset32(&m->j, &mm->asid, asid);
	jset32(&m->j, &mm->owner, id);
	jset64(&m->j, &mm->task_size, task_size);
	jset64(&m->j, &mm->mmap_base, (task_size - MIN_GAP) & ~(ps - 1));
	mm_op_end(m);
	*pid = id;
	return MM_OK;
}

int process_create(struct machine *m, const char *name, uint32_t *pid)
{
	mm_op_begin(m);
	uint32_t id;
	int rc = task_alloc(m, name, &id);
	if (rc != MM_OK) {
		mm_op_end(m);
		return rc;
	}
	struct mm_struct *mm = task_mm(m, id);
	uint64_t ps = page_bytes(m), task_size = mm->task_size;
	uint64_t stack = 33 * ps; /* the kernel's first stack VMA: 132K with 4K pages */
	uint64_t text = 0x400000 & ~(ps - 1), data = 0x600000 & ~(ps - 1);
	jset64(&m->j, &mm->start_code, text);
	jset64(&m->j, &mm->end_code, text + ps);
	jset64(&m->j, &mm->start_data, data);
	jset64(&m->j, &mm->end_data, data + ps);
	jset64(&m->j, &mm->start_brk, data + 2 * ps);
	jset64(&m->j, &mm->brk, data + 2 * ps);
	jset64(&m->j, &mm->start_stack, task_size - ps);
	EMIT(m, EV_PROCESS, id, mm->asid);
	unsigned may = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	new_vma(m, id, text, text + ps, VM_READ | VM_EXEC | may);
	new_vma(m, id, data, data + 2 * ps, VM_READ | VM_WRITE | may);
	new_vma(m, id, task_size - stack, task_size, VM_READ | VM_WRITE | VM_GROWSDOWN | may);
	mm_op_end(m);
	*pid = id;
	return MM_OK;
}

/* ---- mmap, munmap, mprotect, brk ---- */

static int live_task(struct machine *m, const char *fn, uint32_t pid)
{
	const struct task *t = task_by_pid(m, pid);
	if (!t)
		return mm_error(m, "%s: there is no process %u", fn, pid);
	if (!t->mm)
		return mm_error(m, "%s: process %u has exited", fn, pid);
	return MM_OK;
}

/* Page-align len and check [addr, addr+len) fits the task. */
static int check_range(struct machine *m, const char *fn, const struct mm_struct *mm, uint64_t addr, uint64_t *len)
{
	uint64_t ps = page_bytes(m);
	if (addr & (ps - 1))
		return mm_error(m, "%s: address 0x%llx is not page-aligned (pages are %llu bytes)", fn,
				(unsigned long long)addr, (unsigned long long)ps);
	if (*len == 0)
		return mm_error(m, "%s: the length is 0", fn);
	uint64_t l = (*len + ps - 1) & ~(ps - 1);
	if (l < *len || addr + l < addr || addr + l > mm->task_size)
		return mm_error(m, "%s: 0x%llx + %llu bytes runs past the end of user space (0x%llx)", fn,
				(unsigned long long)addr, (unsigned long long)*len, (unsigned long long)mm->task_size);
	*len = l;
	return MM_OK;
}

/* Unmap [start, end): split the edge VMAs, remove those inside. */
static void unmap_range(struct machine *m, uint32_t pid, uint64_t start, uint64_t end)
{
	struct mm_struct *mm = task_mm(m, pid);
	uint32_t v = find_vma(m, mm, start);
	if (v && vma_at(m, v)->vm_start < start && vma_at(m, v)->vm_end > start) {
		split_vma(m, pid, v, start);
		v = vma_at(m, v)->next;
	}
	while (v && vma_at(m, v)->vm_start < end) {
		if (vma_at(m, v)->vm_end > end)
			split_vma(m, pid, v, end);
		uint32_t next = vma_at(m, v)->next;
		remove_vma(m, pid, v);
		v = next;
	}
}

enum { HOW_TOPDOWN, HOW_HINT, HOW_FIXED };

int do_mmap(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned prot, unsigned flags,
	    uint64_t *out)
{
	return do_mmap_file(m, pid, addr, len, prot, flags, 0, 0, out);
}

int do_mmap_file(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned prot, unsigned flags,
		 uint32_t file, uint64_t offset, uint64_t *out)
{
	if (live_task(m, "mmap", pid))
		return MM_EINVAL;
	struct mm_struct *mm = task_mm(m, pid);
	unsigned type = flags & (MAP_SHARED | MAP_PRIVATE);
	if (type != MAP_SHARED && type != MAP_PRIVATE)
		return mm_error(m, "mmap: flags must hold exactly one of MAP_SHARED and MAP_PRIVATE");
	const struct address_space *f = file ? file_by_id(m, file) : NULL;
	if (file && !f)
		return mm_error(m, "mmap: there is no file %u", file);
	if (f && (offset & (page_bytes(m) - 1)))
		return mm_error(m, "mmap: offset %llu is not page-aligned", (unsigned long long)offset);
	if (f && offset >= f->size)
		return mm_error(m, "mmap: offset %llu is past the end of the file (%llu bytes)",
				(unsigned long long)offset, (unsigned long long)f->size);
	if (prot & ~7u)
		return mm_error(m, "mmap: prot may only hold r, w and x");
	if (type == MAP_SHARED && !file && file_size_check(m, "mmap", len))
		return MM_EINVAL; /* the shmem object could not be made */
	if ((flags & MAP_FIXED) || addr) {
		if (check_range(m, "mmap", mm, addr, &len))
			return MM_EINVAL;
		if (addr < MMAP_MIN_ADDR && (flags & MAP_FIXED))
			return mm_error(m, "mmap: MAP_FIXED at 0x%llx is below mmap_min_addr (0x%llx)",
					(unsigned long long)addr, MMAP_MIN_ADDR);
	} else if (check_range(m, "mmap", mm, 0, &len)) {
		return MM_EINVAL;
	}
	uint64_t low = MMAP_MIN_ADDR > page_bytes(m) ? MMAP_MIN_ADDR : page_bytes(m);
	int how = HOW_TOPDOWN;
	uint64_t at = 0;
	if (flags & MAP_FIXED) {
		how = HOW_FIXED;
		at = addr;
	} else if (addr >= low && vma_range_free(m, mm, addr, addr + len)) {
		how = HOW_HINT;
		at = addr;
	} else {
		at = unmapped_area_topdown(m, mm, len, low, mm->mmap_base);
	}
	if (!at) {
		snprintf(m->reason, sizeof m->reason,
			 "mmap: no free gap of %llu bytes below mmap_base 0x%llx (ENOMEM)", (unsigned long long)len,
			 (unsigned long long)mm->mmap_base);
		return MM_NOMEM;
	}
	mm_op_begin(m);
	EMIT(m, EV_GET_UNMAPPED, pid, (int64_t)len, (int64_t)at, how);
	if (how == HOW_FIXED)
		unmap_range(m, pid, at, at + len);
	unsigned vmf = prot | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | (type == MAP_SHARED ? VM_SHARED | VM_MAYSHARE : 0);
	EMIT(m, EV_MMAP, pid, (int64_t)at, (int64_t)len, prot & 7);
	if (type == MAP_SHARED && !file)
		shmem_zero_setup(m, pid, len, &file); /* its size was checked above */
	uint32_t foff = file ? idr_find(&m->procs->arena, &procs_root(m)->files, file) : 0;
	vma_try_merge(m, pid, new_file_vma(m, pid, at, at + len, vmf, foff, offset >> m->page_shift));
	mm_op_end(m);
	*out = at;
	return MM_OK;
}

int do_munmap(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len)
{
	if (live_task(m, "munmap", pid))
		return MM_EINVAL;
	struct mm_struct *mm = task_mm(m, pid);
	if (check_range(m, "munmap", mm, addr, &len))
		return MM_EINVAL;
	if (vma_range_free(m, mm, addr, addr + len))
		return mm_error(m, "munmap: nothing is mapped in 0x%llx-0x%llx", (unsigned long long)addr,
				(unsigned long long)(addr + len));
	mm_op_begin(m);
	EMIT(m, EV_MUNMAP, pid, (int64_t)addr, (int64_t)len);
	unmap_range(m, pid, addr, addr + len);
	mm_op_end(m);
	return MM_OK;
}

int do_mprotect(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, unsigned prot)
{
	if (live_task(m, "mprotect", pid))
		return MM_EINVAL;
	struct mm_struct *mm = task_mm(m, pid);
	if (check_range(m, "mprotect", mm, addr, &len))
		return MM_EINVAL;
	if (prot & ~7u)
		return mm_error(m, "mprotect: prot may only hold r, w and x");
	uint64_t end = addr + len, at = addr;
	/* the whole range must be mapped (the kernel's ENOMEM) */
	for (uint32_t v = find_vma(m, mm, addr); at < end; v = vma_at(m, v)->next) {
		if (!v || vma_at(m, v)->vm_start > at)
			return mm_error(m, "mprotect: 0x%llx is not mapped (the range 0x%llx-0x%llx has a hole)",
					(unsigned long long)at, (unsigned long long)addr, (unsigned long long)end);
		at = vma_at(m, v)->vm_end;
	}
	mm_op_begin(m);
	EMIT(m, EV_MPROTECT, pid, (int64_t)addr, (int64_t)len, prot & 7);
	uint32_t v = find_vma(m, mm, addr);
	if (vma_at(m, v)->vm_start < addr) {
		split_vma(m, pid, v, addr);
		v = vma_at(m, v)->next;
	}
	uint32_t first = v;
	for (; v && vma_at(m, v)->vm_start < end; v = vma_at(m, v)->next) {
		struct vma *n = vma_at(m, v);
		if (n->vm_end > end)
			split_vma(m, pid, v, end);
		unsigned nf = (n->flags & ~7u) | prot;
		change_protection(m, pid, v, n->vm_start, n->vm_end, nf, false);
		jset32(&m->j, &n->flags, nf);
		EMIT(m, EV_VMA_PROT, pid, (int64_t)n->vm_start, (int64_t)n->vm_end, prot & 7);
		change_protection(m, pid, v, n->vm_start, n->vm_end, nf, true);
	}
	/* merge what now matches its neighbours */
	for (v = first; v;) {
		v = vma_try_merge(m, pid, v);
		if (vma_at(m, v)->vm_end >= end)
			break;
		v = vma_at(m, v)->next;
	}
	mm_op_end(m);
	return MM_OK;
}

int do_brk(struct machine *m, uint32_t pid, uint64_t newbrk, uint64_t *out)
{
	if (live_task(m, "brk", pid))
		return MM_EINVAL;
	struct mm_struct *mm = task_mm(m, pid);
	uint64_t ps = page_bytes(m), old = mm->brk;
	*out = old;
	if (newbrk < mm->start_brk || newbrk > mm->mmap_base)
		return mm_error(m, "brk: 0x%llx is outside the heap's range 0x%llx-0x%llx", (unsigned long long)newbrk,
				(unsigned long long)mm->start_brk, (unsigned long long)mm->mmap_base);
	uint64_t oa = (old + ps - 1) & ~(ps - 1), na = (newbrk + ps - 1) & ~(ps - 1);
	if (na > oa && !vma_range_free(m, mm, oa, na)) {
		snprintf(m->reason, sizeof m->reason, "brk: 0x%llx-0x%llx is already mapped: the heap cannot grow",
			 (unsigned long long)oa, (unsigned long long)na);
		return MM_NOMEM; /* the kernel's brk returns the old break */
	}
	mm_op_begin(m);
	if (na < oa) {
		unmap_range(m, pid, na, oa);
	} else if (na > oa) {
		uint32_t below = oa > 0 ? find_vma(m, mm, oa - 1) : 0;
		struct vma *b = vma_at(m, below);
		unsigned flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
		if (b && b->vm_end == oa && b->flags == flags && b->pgoff + vma_pages(m, b) == oa >> m->page_shift) {
			vma_set_range(m, below, b->vm_start, na, b->pgoff);
			jset32(&m->j, &mm->total_vm, mm->total_vm + (uint32_t)((na - oa) >> m->page_shift));
			EMIT(m, EV_VMA_RESIZE, pid, (int64_t)b->vm_start, (int64_t)na);
		} else {
			new_vma(m, pid, oa, na, flags);
		}
	}
	mm = task_mm(m, pid);
	jset64(&m->j, &mm->brk, newbrk);
	EMIT(m, EV_BRK, pid, (int64_t)old, (int64_t)newbrk);
	mm_op_end(m);
	*out = newbrk;
	return MM_OK;
}
