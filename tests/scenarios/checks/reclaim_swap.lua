-- Reclaim swaps anonymous pages out once a swap area exists (shrink_folio_list's
-- anonymous branch: add_to_swap, try_to_unmap, swap_writepage, __remove_mapping),
-- and a fault brings them back with their contents.  Without swap the same
-- reclaim leaves anonymous pages alone.
machine{arch = "x86_64", memory = "64M"}
local p = process{name = "anon"}
local a = mmap(p, {len = "64K", prot = "rw"})
for i = 0, 15 do access(p, a + i * 4096, "w", 100 + i) end
local function vm(name) return tonumber(proc("vmstat"):match("\n" .. name .. " (%d+)")) end
expect_eq(reclaim(16), nil, "no swap area: no anonymous page can go")
expect_eq(p.rss, 16, "all sixteen still resident")
local area = swapon{size = "1M"}
-- one memory.reclaim walks the priorities: the young pages are activated
-- (their accessed bits cleared), deactivated, and then swapped out
local got = reclaim(16)
expect_eq(got, 16, "with swap, reclaim frees all sixteen anonymous pages")
expect_eq(vm("pswpout"), got, "each freed page was written to swap")
expect_eq(p.swap, got, "and the process holds that many swap entries")
expect_eq(p.rss, 16 - got, "the rest stay resident")
local back = 0
for i = 0, 15 do
	local r = access(p, a + i * 4096, "r")
	expect_eq(r.value, 100 + i, "page " .. i .. " reads what was written")
	if r.major then back = back + 1 end
end
expect_eq(back, got, "every swapped page came back by a major fault")
expect_eq(vm("pswpin"), got, "read from swap")
