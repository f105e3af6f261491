-- expect: 2 broken/error_after_memory_cap.lua:5:
-- and: Lua memory cap of 512 MiB reached
-- Limits end a runaway script even when it tries to catch them: pcall
-- passes the memory cap on, and nothing after it runs.
local ok = pcall(string.rep, "x", 1 << 30)
expect(not ok, "1 GiB is above the cap")
alloc_pages(0, "GFP_BOGUS")
