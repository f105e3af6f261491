-- expect: 1 FAILED broken/expect_fail.lua:6: the order: expected 2, got 0
-- and: FAILED broken/expect_fail.lua:7: never true
-- and: expectations: 1 held, 2 failed
-- A failed expectation is reported, the scenario goes on, the exit is 1.
local p = alloc_pages(0)
expect_eq(p.order, 2, "the order")
expect(false, "never true")
expect(true, "holds")
