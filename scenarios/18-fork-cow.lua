-- 18-fork-cow.lua: fork shares every page; the first write copies.
--
-- Teaches: fork copies VMAs and page tables, not pages; each shared page's
-- _mapcount and _refcount count both processes; both PTEs become read-only;
-- the first write by either side copies the page (do_wp_page), and the last
-- mapper reuses its page without a copy; the reverse map finds every PTE.

machine{arch = "x86_64", memory = "64M"}
title("fork and copy-on-write")

local parent = process{name = "parent"}
local a = mmap(parent, {len = "12K", prot = "rw"})
for i = 0, 2 do access(parent, a + i * 4096, "w", 100 + i) end
local pfn = access(parent, a, "r").pfn
say(string.format("The parent wrote 100, 101, 102 to three pages; page 0 is frame 0x%x.", pfn) .. " It forks: how many new pages does the child get, and what are page 0's counts?")
pause()
-- Count the frames fork takes by their events: the zone's free count would
-- miss those served from the per-CPU lists, which it does not include.
local tables = 0
on("mm_alloc", function() tables = tables + 1 end)
on("pgtable_alloc", function() tables = tables + 1 end)
local child = fork(parent)
local pg = page(pfn)
expect_eq(pg.mapcount, 2, "two PTEs map page 0: the parent's and the child's")
expect_eq(pg.refcount, 2, "and each holds a reference")
expect_eq(#pg.mappers, 2, "the reverse map finds both")
expect(tables > 0, "only page tables were allocated")
say(string.format("No page is copied: %d frames went to the child's page tables; page 0 has 2 mappers. The child reads page 1: which value, which frame?",
	tables))
pause()
local r = access(child, a + 4096, "r")
expect_eq(r.value, 101, "the parent's value")
expect_eq(r.pfn, access(parent, a + 4096, "r").pfn, "from the parent's frame")
say("101, from the very frame the parent uses. The child writes 7 to page 0. What happens to the parent's page 0?")
pause()
local w = access(child, a, "w", 7)
expect(w.pfn ~= pfn, "the child got a copy")
expect_eq(access(parent, a, "r").value, 100, "the parent still reads 100")
expect_eq(pg.mapcount, 1, "the parent alone maps the old frame")
say(string.format("Copy-on-write: the child's page 0 is now frame 0x%x; the parent keeps 0x%x.", w.pfn, pfn) .. " Now the parent writes page 0. Copy again?")
pause()
local pw = access(parent, a, "w", 8)
expect_eq(pw.pfn, pfn, "no copy: the parent is the only mapper")
say("No: the parent is its only mapper, so do_wp_page reuses the frame. The parent exits. What happens to the pages it shared with the child?")
pause()
exit(parent)
expect_eq(page(access(child, a + 4096, "r").pfn).mapcount, 1, "page 1 is the child's alone now")
expect_eq(access(child, a + 2 * 4096, "r").value, 102, "with the parent's value")
say("They stay: the child still maps them; only the parent's own pages went back.")
print(proc("smaps_rollup", child))
