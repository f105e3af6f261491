-- expect: 2 broken/machine_tlb_ways.lua:4:
-- and: machine: tlb: 3 ways do not divide 64 entries
-- The message once failed to format ('%u' is not a lua_pushfstring option).
machine{tlb = {entries = 64, ways = 3}}
