/*
 * Files and the page cache (mm/filemap.c, Linux 6.18): a file's inode has an
 * address_space whose pages are found by index (the xarray i_pages); a page
 * not there is allocated, added with add_to_page_cache_lru (PG_locked, one
 * reference held by the cache) and read from the disk (->read_folio), a
 * major fault when a fault needed it.  The VMAs mapping a file hang in its
 * i_mmap interval tree (vma_interval_tree_insert), which rmap_walk_file
 * searches by page index.
 * Shared anonymous memory (mm/shmem.c): shmem_zero_setup gives a
 * MAP_SHARED|MAP_ANONYMOUS mapping a file of its size ("/dev/zero
 * (deleted)"); its pages come zeroed into that file's page cache with no
 * disk read (shmem_get_folio), count in Shmem and Cached, and leave when
 * the last VMA mapping it goes (shmem_evict_inode).
 * Simplifications: a file's size is fixed when it is made and at most the
 * slots one arena chunk holds (1 GiB with 4K pages); the cache is a dense
 * array of slots, not a radix tree; a new page joins the inactive file LRU
 * list and read() marks it accessed (swap.c), or the active one when its
 * slot's shadow entry says it refaulted soon enough (workingset.c); reclaim
 * writes and evicts pages (vmscan.c); there is no readahead; a page of a file first holds
 * the value id * 1000000 + index, standing for its bytes on disk, until a
 * writeback stores another: the disk keeps, per page, the written value
 * XOR the first one (0 for a page never written), in chunks made at the
 * first write to them.
 */
#include "procs.h"

#include <string.h>

#include "gfp.h"
#include "page_alloc.h"
#include "vmscan.h"

#define MAX_SLOTS (ARENA_CHUNK / 4)

struct address_space *file_by_id(const struct machine *m, uint32_t id)
{
	const struct procs_root *r = procs_root(m);
	uint32_t off = idr_find(&m->procs->arena, &r->files, id);
	return off ? file_at(m, off) : NULL;
}

const char *file_name(const struct address_space *f, char *buf)
{
	memcpy(buf, f->name, 16);
	buf[16] = 0;
	return buf;
}

static uint32_t *slots(const struct machine *m, const struct address_space *f)
{
	return procs_ptr(m, f->slots);
}

uint32_t filemap_lookup(const struct machine *m, const struct address_space *f, uint64_t index)
{
	if (index >= f->npages)
		return PFN_NONE;
	uint32_t s = slots(m, f)[index];
	return s && !slot_is_shadow(s) ? s - 1 : PFN_NONE; /* a shadow entry is no page */
}

int file_size_check(struct machine *m, const char *fn, uint64_t size)
{
	uint64_t ps = page_bytes(m), pages = (size + ps - 1) / ps;
	if (!size)
		return mm_error(m, "%s: the size is 0", fn);
	if (pages > MAX_SLOTS)
		return mm_error(m, "%s: %llu bytes is more than the %llu a file may hold here", fn,
				(unsigned long long)size, (unsigned long long)(MAX_SLOTS * ps));
	if (procs_root(m)->files.n == IDR_MAX)
		return mm_error(m, "%s: a machine holds at most %u files", fn, IDR_MAX);
	return MM_OK;
}

/* A file's address_space with its page-cache slots; no step of its own. */
static int make_file(struct machine *m, const char *fn, const char *name, uint64_t size, bool shmem,
		     uint32_t *id)
{
	if (file_size_check(m, fn, size))
		return MM_EINVAL;
	struct procs_root *r = procs_root(m);
	uint64_t ps = page_bytes(m), pages = (size + ps - 1) / ps;
	uint32_t off = procs_alloc(m, sizeof(struct address_space), &(uint32_t){0});
	uint32_t sl = procs_alloc(m, (uint32_t)pages * 4, &(uint32_t){0});
	struct address_space *f = file_at(m, off);
	r = procs_root(m);
	uint32_t fid = idr_alloc(m, &m->procs->arena, &r->files, off);
	jset32(&m->j, &f->id, fid);
	jset32(&m->j, &f->ino, 1000 + fid);
	jset64(&m->j, &f->size, size);
	jset32(&m->j, &f->slots, sl);
	jset32(&m->j, &f->npages, (uint32_t)pages);
	jset32(&m->j, &f->born, mm_next_step(m));
	jset32(&m->j, &f->shmem, shmem);
	char buf[16] = {0};
	strncpy(buf, name, 15);
	for (unsigned i = 0; i < 4; i++) {
		uint32_t w;
		memcpy(&w, buf + 4 * i, 4);
		jset32(&m->j, &f->name[i], w);
	}
	*id = fid;
	return MM_OK;
}

#define DISK_PER_CHUNK (ARENA_CHUNK / 8)

static uint64_t first_content(const struct address_space *f, uint64_t index)
{
	return (uint64_t)f->id * 1000000 + index;
}

/* The cell of the disk holding page index, made if make (else NULL when
 * the page was never written). */
static uint64_t *disk_cell(struct machine *m, struct address_space *f, uint64_t index, bool make)
{
	uint32_t nchunks = (f->npages + DISK_PER_CHUNK - 1) / DISK_PER_CHUNK, c = (uint32_t)(index / DISK_PER_CHUNK);
	if (!f->disk && make) {
		uint32_t dir = procs_alloc(m, nchunks * 4, &(uint32_t){0});
		jset32(&m->j, &f->disk, dir);
	}
	if (!f->disk)
		return NULL;
	uint32_t *dir = procs_ptr(m, f->disk);
	if (!dir[c] && make) {
		uint32_t left = f->npages - c * DISK_PER_CHUNK;
		uint32_t chunk = procs_alloc(m, (left < DISK_PER_CHUNK ? left : DISK_PER_CHUNK) * 8, &(uint32_t){0});
		dir = procs_ptr(m, f->disk);
		jset32(&m->j, &dir[c], chunk);
	}
	return dir[c] ? (uint64_t *)procs_ptr(m, dir[c]) + index % DISK_PER_CHUNK : NULL;
}

void filemap_write_back(struct machine *m, uint32_t foff, uint64_t index, uint64_t content)
{
	struct address_space *f = file_at(m, foff);
	uint64_t *cell = disk_cell(m, f, index, true);
	jset64(&m->j, cell, content ^ first_content(file_at(m, foff), index));
}

int file_create(struct machine *m, const char *name, uint64_t size, uint32_t *id)
{
	mm_op_begin(m);
	int rc = make_file(m, "file", name, size, false, id);
	if (rc == MM_OK)
		EMIT(m, EV_FILE_CREATE, *id, (int64_t)size, (int64_t)file_by_id(m, *id)->npages);
	mm_op_end(m);
	return rc;
}

int shmem_zero_setup(struct machine *m, uint32_t pid, uint64_t size, uint32_t *id)
{
	int rc = make_file(m, "mmap", "dev/zero", size, true, id);
	if (rc == MM_OK)
		EMIT(m, EV_SHMEM_SETUP, pid, *id, (int64_t)size);
	return rc;
}

void shmem_evict(struct machine *m, uint32_t foff)
{
	struct address_space *f = file_at(m, foff);
	struct procs_root *r = procs_root(m);
	for (uint32_t i = 0; i < f->npages && f->nrpages; i++) {
		uint32_t pfn = filemap_lookup(m, f, i);
		if (pfn == PFN_NONE)
			continue;
		EMIT(m, EV_SHMEM_TRUNCATE, f->id, i, pfn);
		jset32(&m->j, &slots(m, f)[i], 0);
		jset32(&m->j, &f->nrpages, f->nrpages - 1);
		jset32(&m->j, &r->nr_file_pages, r->nr_file_pages - 1);
		jset32(&m->j, &r->nr_shmem, r->nr_shmem - 1);
		put_page(m, pfn); /* the page cache's reference; its steps close these writes */
	}
}

int filemap_get_page(struct machine *m, uint32_t foff, uint64_t index, uint32_t *pfn, bool *major)
{
	struct address_space *f = file_at(m, foff);
	*major = false;
	*pfn = filemap_lookup(m, f, index);
	if (*pfn != PFN_NONE) {
		EMIT(m, EV_PAGECACHE_HIT, f->id, (int64_t)index, *pfn);
		return MM_OK;
	}
	int rc = alloc_pages(m, 0, GFP_HIGHUSER_MOVABLE, -1, pfn);
	if (rc != MM_OK)
		return rc;
	f = file_at(m, foff);
	uint32_t shadow = slots(m, f)[index]; /* __filemap_add_folio's old entry */
	struct procs_root *r = procs_root(m);
	uint32_t up = procs_alloc(m, sizeof(struct upage), &r->free_upage);
	struct upage *u = procs_ptr(m, up);
	jset32(&m->j, &m->frames[*pfn].up, up);
	jset32(&m->j, &m->frames[*pfn].info, frame_info(FS_FILE, 0));
	jset32(&m->j, &u->refcount, 1); /* the page cache's */
	jset32(&m->j, &u->mapping, foff);
	/* shmem pages are zeroed, swap-backed (so on the anon LRU lists), and
	 * never read from a disk (shmem_alloc_and_add_folio) */
	if (f->shmem)
		jset32(&m->j, &u->flags, PG_swapbacked);
	jset64(&m->j, &u->index, index);
	const uint64_t *disk = f->shmem ? NULL : disk_cell(m, f, index, false);
	jset64(&m->j, &u->content, f->shmem ? 0 : first_content(f, index) ^ (disk ? *disk : 0));
	jset32(&m->j, &slots(m, f)[index], *pfn + 1);
	jset32(&m->j, &f->nrpages, f->nrpages + 1);
	jset32(&m->j, &r->nr_file_pages, r->nr_file_pages + 1);
	if (f->shmem)
		jset32(&m->j, &r->nr_shmem, r->nr_shmem + 1);
	if (!slot_is_shadow(shadow)) {
		folio_add_lru(m, *pfn, false); /* add_to_page_cache_lru */
		EMIT(m, EV_ADD_TO_PAGE_CACHE, f->id, (int64_t)index, *pfn, f->nrpages);
	} else { /* filemap_add_folio: the refault decides the list first */
		EMIT(m, EV_ADD_TO_PAGE_CACHE, f->id, (int64_t)index, *pfn, f->nrpages);
		struct refault_test t;
		workingset_refault(m, *pfn, shadow, &t);
		folio_add_lru(m, *pfn, false);
		workingset_refault_emit(m, *pfn, &t);
	}
	if (f->shmem)
		return MM_OK;
	jset32(&m->j, &r->pgpgin, r->pgpgin + 1);
	EMIT(m, EV_DISK_READ, f->id, (int64_t)index, *pfn);
	*major = true;
	return MM_OK;
}

int file_read(struct machine *m, uint32_t id, uint64_t off, uint64_t len, uint64_t *values, unsigned max,
	      unsigned *npages, unsigned *from_disk)
{
	struct address_space *f = file_by_id(m, id);
	if (!f)
		return mm_error(m, "read: there is no file %u", id);
	if (off > f->size || len > f->size - off)
		return mm_error(m, "read: %llu bytes at offset %llu run past the end of the file (%llu bytes)",
				(unsigned long long)len, (unsigned long long)off, (unsigned long long)f->size);
	*npages = *from_disk = 0;
	if (!len)
		return MM_OK;
	uint64_t first = off >> m->page_shift, last = (off + len - 1) >> m->page_shift;
	uint32_t foff = idr_find(&m->procs->arena, &procs_root(m)->files, id);
	mm_op_begin(m);
	for (uint64_t i = first; i <= last; i++) {
		uint32_t pfn;
		bool major;
		int rc = filemap_get_page(m, foff, i, &pfn, &major);
		if (rc != MM_OK) {
			mm_op_end(m);
			return rc;
		}
		folio_mark_accessed(m, pfn); /* filemap_read */
		if (*npages < max)
			values[*npages] = page_user(m, pfn)->content;
		(*npages)++;
		*from_disk += major;
	}
	mm_op_end(m);
	return MM_OK;
}

/* A file VMA's node in the file's i_mmap (vma_interval_tree_insert). */
void vma_link_file(struct machine *m, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	if (!n->file)
		return;
	uint32_t c = procs_alloc(m, sizeof(struct anon_vma_chain), &procs_root(m)->free_avc);
	jset32(&m->j, &((struct anon_vma_chain *)procs_ptr(m, c))->vma, v);
	jset32(&m->j, &n->i_mmap, c);
	interval_tree_insert(m, c, &file_at(m, n->file)->i_mmap);
}

void vma_unlink_file(struct machine *m, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	if (!n->i_mmap)
		return;
	interval_tree_remove(m, n->i_mmap, &file_at(m, n->file)->i_mmap);
	procs_release(m, n->i_mmap, &procs_root(m)->free_avc);
	jset32(&m->j, &n->i_mmap, 0);
}

/* __folio_migrate_mapping: the page cache's slot of the page at src names
 * dst (which already carries the same file and index); NR_FILE_PAGES moves
 * with it, so the count stays. */
void filemap_migrate_slot(struct machine *m, uint32_t src, uint32_t dst)
{
	const struct upage *u = page_user(m, src);
	struct address_space *f = file_at(m, u->mapping);
	jset32(&m->j, &slots(m, f)[u->index], dst + 1);
}
