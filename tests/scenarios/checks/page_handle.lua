-- Page handles are live views of an allocated block (DESIGN.md, "The
-- scenario language"): fields read the current state, handles compare by
-- the block they stand for, and a handle whose block is gone is an error.
machine{memory = "1M", page_size = "64K"}

include("raises.lua") -- error_of(f), raises(f, phrase)

local p = alloc_pages(1)
expect_eq(p.pfn, 0, ".pfn")
expect_eq(p.order, 1, ".order")
expect_eq(p.zone, "DMA", ".zone")
expect_eq(p.node, 0, ".node")
expect_eq(p.phys, 0, ".phys")
local q = alloc_pages(0)
expect_eq(q.pfn, 2, "the next free frame")
expect_eq(q.phys, 2 * 65536, ".phys is pfn * page size")
-- Handles compare by block, through __eq: `p == p` alone would hold for
-- any userdata without calling it.  No scenario call hands out a second
-- handle of a live block, so the metamethod is called directly for the
-- same block, and distinct handles are compared where only the block's
-- identity (pfn, allocation, machine) tells them apart, below.
local eq = getmetatable(p).__eq
expect(type(eq) == "function", "page handles have an __eq metamethod")
expect(eq(p, p), "__eq: a handle equals itself by block")
expect(not eq(p, q), "__eq: handles of two blocks differ")
expect(p ~= q, "== on handles of two blocks")

local ok, text = pcall(tostring, p)
expect_eq(text, "page 0x0", "tostring(page)")
ok, text = pcall(tostring, q)
expect_eq(text, "page 0x2", "tostring(page)")

expect(raises(function() return p.colour end, "page has no field 'colour'"))

local f = frame(q.pfn)
expect_eq(f.state, "allocated", "frame(pfn).state of an allocated block")
expect_eq(f.order, 0, "frame(pfn).order")
expect_eq(frame(3).state, "free", "frame 3 is free")

free_pages(q)
expect_eq(frame(2).state, "free", "freed")
-- A freed handle's identity stays readable (facts, like a dangling
-- pointer's address); using it as live memory is the error, naming the step.
expect_eq(q.pfn, 2, "a freed handle's pfn")
expect_eq(q.order, 0, "a freed handle's order")
expect_eq(q.zone, "DMA", "a freed handle's zone")
expect_eq(q.node, 0, "a freed handle's node")
expect_eq(q.phys, 2 * 65536, "a freed handle's phys")
expect(raises(function() free_pages(q) end, "free_pages: double free: page 0x2 was freed at step "))
expect(raises(function() __free_pages(q, 0) end, "__free_pages: double free: page 0x2 was freed at step "))
-- (mapping a freed page is refused too: broken/use_after_free.lua)
-- Frame 2 merged with its free buddy 3 into the order-1 block 2; the next
-- order-0 request splits that block and keeps the lower half, pfn 2: a new
-- block, whose handle must not equal the stale one although both say pfn 2.
local r = alloc_pages(0)
expect_eq(r.pfn, 2, "the freed frame is handed out again")
expect(not rawequal(q, r) and q ~= r, "a new allocation of the same pfn is another block")
expect(not eq(q, r), "__eq tells the allocations apart")
-- the old handle does not stand for the new block: freeing it is still a
-- double free, though pfn 2 is allocated again
expect(raises(function() free_pages(q) end, "double free"))
expect(raises(function() __free_pages(p, 0) end, "order mismatch"))
expect_eq(p.order, 1, "a refused free leaves the block allocated")

machine{memory = "1M", page_size = "64K"}
expect(raises(function() return p.pfn end, "machine{} replaced"))
-- On the new machine the same call gives a block at the same pfn: not the
-- old machine's block, and comparing them raises nothing.
local p2 = alloc_pages(1)
expect_eq(p2.pfn, 0, "the new machine's first block is pfn 0 again")
expect(p2 ~= p, "a block of a replaced machine is not the new machine's block")
