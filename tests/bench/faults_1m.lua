-- 1,048,576 anonymous write faults from a Lua loop on a 4 GiB machine:
-- four rounds of touching 1 GiB and unmapping it.  For scripts/bench
-- (batch, no trace).
machine{memory="4G"}
local p = process{name="bench"}
local faults = 0
for round = 1, 4 do
  local a = mmap(p, {len="1G", prot="rw"})
  for i = 0, 262143 do
    access(p, a + i * 4096, "w", i)
    faults = faults + 1
  end
  munmap(p, a, "1G")
end
expect_eq(faults, 1048576, "faults taken")
expect_eq(proc("vmstat"):match("pgfault (%d+)"), "1048576", "pgfault counts them")
