-- expect: 2 hostile/table_unpack_loop.lua:5:
-- and: instruction budget of 100000000 instructions used up
-- Each call unpacks 500000 values in C: few instructions, much work.
while true do
	select("#", table.unpack({}, 1, 500000))
end
