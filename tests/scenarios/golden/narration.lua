-- Narration and expectations as batch mode prints them: title, say, print
-- (tab-separated like Lua's), pause and mark (ignored in batch), and the
-- failed expectations with file:line.  The failures make the run exit 1.
-- exit: 1
title("narration")
say("say: text with \"quotes\", a\ttab and a backslash \\")
print("print", 1, 2.5, true, nil)
print()
pause()
mark("here")
machine{memory = "1M", page_size = "64K"}
local p = alloc_pages(1)
expect(p ~= nil, "holds: no message printed in text mode")
expect(p.order == 2, "fails: the order is 1")
expect_eq(p.pfn, 0, "holds")
expect_eq(p.zone, "Normal", "fails: the zone is DMA")
expect(false)
expect_eq(1, 2)
say("the scenario goes on after a failed expectation")
-- Held checkpoints print nothing: order 1 from 16 free frames takes 0 and
-- leaves the split-off halves 8, 4 and 2, one block each of orders 3 to 1.
expect_eq(zone("DMA").free, 14, "16 frames less the order-1 block")
expect_eq(zone("DMA").nr_free[1], 1, "the order-1 buddy 2 is free")
expect_eq(zone("DMA").nr_free[3], 1, "the order-3 half 8 is free")
