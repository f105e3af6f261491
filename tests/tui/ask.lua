-- A scenario that poses its own quiz questions with ask{}.
machine{memory = "64K", page_size = 4096, zones = {DMA = "64K"}, min_free_kbytes = 0}
title("ask{}")
local a = alloc_pages(0)
ask{question = "Freeing a block whose buddy is allocated: how many merges?",
    choices = {"none", "one", "two"}, answer = "none"}
pause()
local b = alloc_pages(0)
ask{question = "Which pfn does the next order-0 allocation get?",
    choices = {"0x2", "0x3", "0x8"}, answer = function() return string.format("0x%x", c.pfn) end}
pause()
c = alloc_pages(0)
say("it got pfn " .. c.pfn)
