-- expect: 2 broken/machine_tlb_not_table.lua:3:
-- and: machine: tlb must be a table like {entries = 64, ways = 4}, not a number
machine{tlb = 64}
