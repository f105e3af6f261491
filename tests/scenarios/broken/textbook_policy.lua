-- expect: 2 broken/textbook_policy.lua:4:
-- and: freelist: unknown policy 'BESTFIT'
-- and: FIRST, BEST, WORST, NEXT
local fl = freelist{size = 100, policy = "BESTFIT"}
