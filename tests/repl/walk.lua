-- walk.lua: the REPL transcripts step through this (see tests/debugger/dbg.h
-- for its steps: 26, pause() points at 12 and 20, marks "one" at 8, "two" at 16).
machine{memory="1M", page_size="64K", max_order=5}
title("walk")
local a = alloc_pages(0)
mark("one")
local b = alloc_pages(1)
pause()
say("after b")
local c = alloc_pages(0)
mark("two")
free_pages(b)
free_pages(a)
pause()
free_pages(c)
