-- 38-oom-killer.lua: the OOM killer chooses between three processes.
--
-- Teaches: oom_badness counts a process's resident pages, its swap entries
-- and its page tables, and adds oom_score_adj in thousandths of RAM + swap;
-- init and oom_score_adj -1000 are never chosen; the highest score dies and
-- its memory (swap slots included) comes back; /proc/PID/oom_score is the
-- score scaled to 0..2000.  oom() runs it as sysrq-f does.

machine{arch = "x86_64", memory = "64M"}
title("The OOM killer's choice")

local area = swapon{size = "4M"}
local init = process{name = "init"}
local function worker(name, pages, adj)
	local t = process{name = name, oom_score_adj = adj}
	local a = mmap(t, {len = pages * 4096, prot = "rw"})
	for i = 0, pages - 1 do access(t, a + i * 4096, "w", i) end
	return t, a
end
local db, dba = worker("db", 40, 0)
local cache = worker("cache", 10, 500)
local sshd = worker("sshd", 60, -1000)
madvise(db, dba, 20 * 4096, "MADV_PAGEOUT")
say(string.format("db has %d pages in memory and %d in swap, cache %d pages with oom_score_adj 500, sshd %d pages with -1000. Who dies first?",
	db.rss, db.swap, cache.rss, sshd.rss))
pause()
local total = zone("DMA32").managed + zone("DMA").managed + area.pages
local o = oom()
expect_eq(o.victim, cache.pid, "cache: its oom_score_adj outweighs db's pages")
local points = {}
for _, s in ipairs(o.scores) do points[s.pid] = s.points end
expect_eq(points[db.pid], 20 + 20 + 3, "db: rss + swap + 3 page tables")
expect_eq(points[cache.pid], 10 + 3 + 500 * (total // 1000), "cache: 13 + 500 thousandths of RAM and swap")
expect_eq(points[sshd.pid], nil, "sshd: -1000 is never chosen")
expect_eq(points[init.pid], nil, "init is never chosen")
expect_eq(cache.state, "exited", "the victim is gone")
expect_eq(proc("vmstat"):match("oom_kill (%d+)"), "1", "vmstat counts the kill")
say(string.format("cache: 13 pages plus 500/1000 of %d pages of RAM and swap beat db's 43. The next OOM: db or sshd?", total))
pause()
expect_eq(proc("oom_score", sshd), "0\n", "sshd's oom_score is 0")
local used = area.used
local o2 = oom()
expect_eq(o2.victim, db.pid, "db: sshd is protected")
expect(area.used < used, "db's swap slots came back")
say("db: sshd's -1000 protects it however large it grows, and db's swap slots were freed with it.")
