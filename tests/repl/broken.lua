-- A scenario with a syntax error, for `run` failing (cases/run_fails).
alloc_pages(0)
local = 1
