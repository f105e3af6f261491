-- expect: 2 broken/textbook_wrong_ref.lua:5:
-- and: access: page 9, but refs says page 2 comes next
local c = replacement{policy = "FIFO", frames = 2, refs = {1, 2, 3}}
c:access(1)
c:access(9)
