/*
 * A process's address space, as a lecture draws it: its VMAs as a strip in
 * address order (gaps compressed to a mark, each VMA labelled with its
 * protection and size), then as /proc/PID/maps lists them, the one the step
 * is about marked; the fault being handled as its decision path so far
 * (fault, then do_anonymous_page, do_wp_page, the page cache…), one line a
 * step; and the task's counters.  The task shown is the step's (its pid
 * field), else the newest.  Under the strip, the lit VMA's pages one cell
 * each (shared pages marked by their mapcount, so a forked child's
 * copy-on-write pages show as shared until a write splits them) and the
 * page at the step's address with every task that maps it, found through
 * the reverse map.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "mm/procs.h"
#include "mm/trace.h"
#include "tui.h"

static bool owns(unsigned kind)
{
	return kind >= EV_PROCESS && kind <= EV_FAULT_MAJOR;
}

static void size_text(uint64_t bytes, char *buf, size_t n)
{
	if (bytes >= 1ull << 30 && !(bytes & ((1ull << 30) - 1)))
		snprintf(buf, n, "%lluG", (unsigned long long)(bytes >> 30));
	else if (bytes >= 1ull << 20 && !(bytes & ((1ull << 20) - 1)))
		snprintf(buf, n, "%lluM", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, n, "%lluK", (unsigned long long)(bytes >> 10));
}

/* The strip: [r-xp 4K text] … [rw-p 12K [heap]] …, the step's VMA lit. */
static int draw_strip(struct tui *t, const struct machine *m, const struct mm_struct *mm, struct rect in, int y,
		      uint64_t va)
{
	int x = in.x + 1;
	for (uint32_t v = mm->vma_first; v && y < in.y + in.h; v = vma_at(m, v)->next) {
		const struct vma *a = vma_at(m, v);
		char prot[5], size[24], name[96], cell[160];
		size_text(a->vm_end - a->vm_start, size, sizeof size);
		const char *label = vma_name(m, mm, a, name);
		int n = snprintf(cell, sizeof cell, "[%s %s%s%s]", vma_prot_text(a->flags, prot), size, label ? " " : "",
				 label ? label : "");
		if (x + n + 2 > in.x + in.w) {
			y++;
			x = in.x + 1;
		}
		bool lit = va >= a->vm_start && va < a->vm_end;
		x += tui_put(t, y, x, in.x + in.w - x, lit ? R_HILITE : (a->file ? R_FILE : R_ANON), "%s", cell);
		if (a->next && vma_at(m, a->next)->vm_start > a->vm_end)
			x += tui_put(t, y, x, in.x + in.w - x, R_DIM, " %s ", tui_glyph(t, "…", ".."));
		else
			x++;
	}
	return y + 1;
}

/* One glyph per page of the VMA: '.' not present, 'z' the zero page, 'f' a
 * page-cache page, 'a' an anonymous page only this task maps, a digit (or
 * '+') the number of mappers of a shared page.  The page at va is lit. */
static int draw_pages(struct tui *t, const struct machine *m, const struct mm_struct *mm, const struct vma *a,
		      struct rect in, int y, uint64_t va)
{
	int x = in.x + 1;
	x += tui_put(t, y, x, in.w - 1, R_DIM, "pages: ");
	uint64_t pages = (a->vm_end - a->vm_start) >> m->page_shift;
	for (uint64_t i = 0; i < pages && x < in.x + in.w - 2; i++) {
		uint64_t at = a->vm_start + (i << m->page_shift);
		const uint64_t *pte = pte_lookup(m, mm->asid, at, NULL);
		char c = '.';
		enum role role = R_DIM;
		if (pte && pte_present(m, *pte)) {
			uint32_t pfn = pte_pfn(m, *pte);
			const struct upage *u = page_user(m, pfn);
			if (pfn == procs_root(m)->zero_pfn) {
				c = 'z', role = R_ZERO;
			} else if (u && u->mapcount > 1) {
				c = u->mapcount > 9 ? '+' : (char)('0' + u->mapcount), role = R_HILITE2;
			} else {
				bool file = frame_state(&m->frames[pfn]) == FS_FILE;
				c = file ? 'f' : 'a', role = file ? R_FILE : R_ANON;
			}
		}
		bool lit = at <= va && va < at + page_bytes(m);
		x += tui_put(t, y, x, 1, lit ? R_CURRENT : role, "%c", c);
	}
	if (x >= in.x + in.w - 2 && pages)
		tui_put(t, y, in.x + in.w - 2, 1, R_DIM, "%s", tui_glyph(t, "…", ">"));
	return y + 1;
}

/* The page at va: its frame and every (pid, address) mapping it. */
static int draw_page_at(struct tui *t, const struct machine *m, const struct mm_struct *mm, const struct vma *a,
			struct rect in, int y, uint64_t va)
{
	const uint64_t *pte = pte_lookup(m, mm->asid, va, NULL);
	if (!pte || !pte_present(m, *pte))
		return y;
	uint32_t pfn = pte_pfn(m, *pte);
	char line[256];
	int n = snprintf(line, sizeof line, " 0x%llx: frame 0x%x", (unsigned long long)(va & ~(page_bytes(m) - 1)), pfn);
	if (pfn == procs_root(m)->zero_pfn) {
		snprintf(line + n, sizeof line - (size_t)n, ", the shared zero page (read-only)");
	} else {
		struct rmap_hit hits[4];
		unsigned k = rmap_walk_const(m, pfn, hits, 4);
		n += snprintf(line + n, sizeof line - (size_t)n, ", mapped by");
		for (unsigned i = 0; i < k && i < 4 && n < (int)sizeof line; i++)
			n += snprintf(line + n, sizeof line - (size_t)n, "%s pid %u", i ? "," : "", hits[i].pid);
		if (k > 4 && n < (int)sizeof line)
			n += snprintf(line + n, sizeof line - (size_t)n, " and %u more", k - 4);
		/* do_wp_page's choice for a write to this read-only private page */
		bool wp = !(a->flags & VM_SHARED) && (a->flags & VM_WRITE) && !pte_writable(m, *pte);
		bool anon = frame_state(&m->frames[pfn]) == FS_ANON;
		if (wp && k > 1 && n < (int)sizeof line)
			snprintf(line + n, sizeof line - (size_t)n, ": shared copy-on-write, a write copies it");
		else if (wp && anon && n < (int)sizeof line)
			snprintf(line + n, sizeof line - (size_t)n, ": its only mapper, a write reuses it");
	}
	tui_put(t, y, in.x, in.w, R_NORMAL, "%s", line);
	return y + 1;
}

static int draw_maps(struct tui *t, const struct machine *m, const struct mm_struct *mm, struct rect in, int y,
		     uint64_t va, int rows)
{
	for (uint32_t v = mm->vma_first; v && rows-- > 0 && y < in.y + in.h; v = vma_at(m, v)->next) {
		const struct vma *a = vma_at(m, v);
		char prot[5], name[96];
		const char *label = vma_name(m, mm, a, name);
		bool lit = va >= a->vm_start && va < a->vm_end;
		tui_put(t, y++, in.x, in.w, lit ? R_HILITE : R_NORMAL, "%s %012llx-%012llx %s %s", lit ? "▶" : " ",
			(unsigned long long)a->vm_start, (unsigned long long)a->vm_end, vma_prot_text(a->flags, prot),
			label ? label : "");
	}
	return y;
}

/* The fault's decision path: this operation's process steps up to the cursor. */
static int draw_path(struct tui *t, struct rect in, int y, uint32_t cur)
{
	uint32_t first = tui_op_first_step(t->s, cur);
	struct event e;
	bool any = false;
	for (uint32_t st = first; st <= cur && y < in.y + in.h; st++) {
		session_event(t->s, st, &e);
		if (!owns(e.kind) || e.kind == EV_ACCESS)
			continue;
		if (!any)
			tui_put(t, y++, in.x, in.w, R_TITLE, " this operation so far:");
		any = true;
		char text[400];
		ev_format_text(session_machine(t->s), &e, text, sizeof text);
		y += tui_wrap(t, y, in.x + 2, in.w - 2, in.y + in.h - y, 4, st == cur ? R_CURRENT : R_NORMAL, text);
	}
	return y;
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	uint32_t cur = session_cursor(t->s);
	struct event e = {0};
	if (cur)
		session_event(t->s, cur, &e);
	int64_t pid = tui_field(&e, "pid", -1);
	const struct procs_root *root = procs_root(m);
	if (pid < 0 || !task_mm(m, (uint32_t)pid))
		for (uint32_t p = root->tasks.n; p >= 1 && pid < 0; p--)
			if (task_mm(m, p))
				pid = p;
	char title[64], comm[TASK_COMM_LEN + 1];
	const struct task *tk = pid > 0 ? task_by_pid(m, (uint32_t)pid) : NULL;
	snprintf(title, sizeof title, "address space of pid %lld (%s)", (long long)pid, tk ? task_comm(tk, comm) : "none");
	struct rect in = tui_box(t, r, title, focus);
	if (in.h < 3 || in.w < 20)
		return;
	const struct mm_struct *mm = pid > 0 ? task_mm(m, (uint32_t)pid) : NULL;
	if (!mm) {
		tui_put(t, in.y, in.x, in.w, R_DIM, " no process yet: process{name=} makes one");
		return;
	}
	uint64_t va = (uint64_t)tui_field(&e, "va", 0);
	int y = draw_strip(t, m, mm, in, in.y, va);
	tui_put(t, y++, in.x, in.w, R_DIM, " %u VMAs, %u pages of address space; resident: %u anon, %u file; faults: %u minor, %u major",
		mm->map_count, mm->total_vm, mm->rss_anon, mm->rss_file, tk->min_flt, tk->maj_flt);
	uint32_t lit = va ? find_vma(m, mm, va) : 0;
	if (lit && vma_at(m, lit)->vm_start <= va) {
		y = draw_pages(t, m, mm, vma_at(m, lit), in, y, va);
		y = draw_page_at(t, m, mm, vma_at(m, lit), in, y, va);
	}
	int rows = (in.y + in.h - y) / 2;
	y = draw_maps(t, m, mm, in, y, va, rows > 3 ? rows : 3) + 1;
	if (cur && owns(e.kind))
		draw_path(t, in, y, cur);
}

const struct view view_vma = {"address space", draw, NULL, NULL, owns};
