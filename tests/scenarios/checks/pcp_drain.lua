-- Where the kernel drains the per-CPU lists (6.18): compaction's
-- check_drain (drain_local_pages once the migrate scanner leaves the
-- order-aligned block it migrated from), kswapd's ZONE_RECLAIM_ACTIVE
-- (few pages kept on the lists while it reclaims).

-- 1. Compaction: 256 frames, the app's pages freed one in two.  The pages
-- compaction moves are freed to CPU 0's lists; the scanner leaves each
-- order-4 block after migrating from it, and drains.
machine{memory = "1M", page_size = "4K", min_free_kbytes = 0, max_order = 5, migratetypes = false, pcp = true}
local app = process{name = "app"}
local a = mmap(app, {len = 240 * 4096, prot = "rw"})
for i = 0, 239 do access(app, a + i * 4096, "w", 1000 + i) end
for i = 0, 239, 2 do munmap(app, a + i * 4096, 4096) end
local in_compaction, drains, moved = false, {}, 0
on("compact_zone", function() in_compaction = true end)
on("compact_finished", function() in_compaction = false end)
on("migrated", function() moved = moved + 1 end)
on("drain_pages", function(e) if in_compaction then drains[#drains + 1] = e end end)
local big = alloc_pages(4, "GFP_HIGHUSER_MOVABLE")
expect(big ~= nil, "direct compaction made an order-4 block")
expect(moved > 0, "pages were migrated")
expect(#drains >= 1, "compaction drained the per-CPU lists it freed the sources to")
expect_eq(drains[1].cpu, 0, "this CPU's lists only (drain_local_pages)")
expect(drains[1].count > 0, "the freed sources were on them")

-- 2. With the lists off, compaction has nothing to drain.
machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, max_order = 5, migratetypes = false, pcp = false}
app = process{name = "app"}
a = mmap(app, {len = 48 * 4096, prot = "rw"})
for i = 0, 47 do access(app, a + i * 4096, "w", 1000 + i) end
for i = 0, 47, 2 do munmap(app, a + i * 4096, 4096) end
drains = {}
expect(alloc_pages(4, "GFP_HIGHUSER_MOVABLE") ~= nil, "the same compaction on the bare buddy")
expect_eq(#drains, 0, "no per-CPU lists, no drain")

-- 3. kswapd: while it reclaims (ZONE_RECLAIM_ACTIVE) the lists keep at
-- most batch << 2 pages (nr_pcp_high); 4M: batch 1, so 4.  Outside
-- kswapd the same frees may fill the lists to high.
machine{arch = "x86_64", memory = "4M", migratetypes = false, pcp = true}
local in_kswapd, highs, outside = false, {}, 0
on("balance_pgdat", function() in_kswapd = true end)
on("kswapd_sleep", function() in_kswapd = false end)
on("pcp_free", function(e)
	if in_kswapd then highs[#highs + 1] = e.high elseif e.high > outside then outside = e.high end
end)
local f = file{name = "backup", size = "8M"}
for p = 0, 2047 do read(f, p * 4096, 4096) end
expect(#highs > 0, "kswapd freed pages to the per-CPU lists")
local most = 0
for _, h in ipairs(highs) do if h > most then most = h end end
expect(most <= 4, "at most batch << 2 = 4 pages on them meanwhile")
local pages = {}
for i = 1, 40 do pages[i] = alloc_pages(0) end
for i = 1, 40 do free_pages(pages[i]) end
expect(outside > 4, "outside reclaim, high is the list's own")
