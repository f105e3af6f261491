-- expect: 2 hostile/table_move.lua:4:
-- and: instruction budget of 100000000 instructions used up
-- One call, 2^40 elements moved in C without an instruction.
table.move({1}, 1, 1 << 40, 2)
