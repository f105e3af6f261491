-- 32-segmentation.lua: base and bounds, then two segments.
--
-- Teaches: dynamic relocation (OSTEP chapter 15, its simulator
-- vm-mechanism/relocation.py): every virtual address is checked against
-- the limit (bounds) register and added to the base; then segmentation
-- (chapter 16, vm-segmentation/segmentation.py): the top bit of the
-- address picks a segment, segment 0 grows up from its base, segment 1
-- (the stack) grows down from its base with negative offsets.  Linux on
-- x86 uses flat segments (base 0), so there logical = linear and paging
-- does the rest (see 08).

title("Base and bounds, then segments")

local r = relocation{asize = "1K", psize = "16K", base = 12418, limit = 472}
say("Base 12418, limit 472, a 1K address space. Virtual 200: valid, and if so where in physical memory?")
pause()
expect_eq(r:translate(200), 12618, "200 < 472: base + 200")
say("Valid: 12418 + 200 = 12618. Virtual 500?")
pause()
local pa, why = r:translate(500)
expect_eq(pa, nil, "500 >= 472: out of bounds")
expect(why:find("violation", 1, true), "a segmentation violation")
-- Two segments of a 128-byte space in 512 bytes of memory: segment 0 at 0
-- with limit 20, segment 1's top at 512 with limit 20 (it grows down).
local s = segmentation{asize = 128, psize = 512, seg0 = {base = 0, limit = 20}, seg1 = {base = 512, limit = 20}}
say("A violation: 500 is past the limit. Two segments of a 128-byte space: seg 0 at 0, seg 1's top at 512, limits 20. Virtual 108: which segment?")
pause()
expect_eq(s:translate(108), 492, "108 has the top bit set: segment 1, offset 108 - 128 = -20, so 512 - 20")
say("Segment 1 (top bit set): offset 108 - 128 = -20, physical 512 - 20 = 492, the lowest byte it may use. Virtual 107?")
pause()
local p2 = s:translate(107)
expect_eq(p2, nil, "offset -21 is past segment 1's limit of 20")
expect_eq(s:translate(19), 19, "segment 0: 19 < 20")
say("A violation: offset -21 is past the limit. Segment 0 maps 0..19 to 0..19; with Linux's flat segments (base 0) logical = linear.")
