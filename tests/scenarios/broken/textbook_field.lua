-- expect: 2 broken/textbook_field.lua:3:
-- and: replacement: unknown field 'frame'
local c = replacement{policy = "LRU", frame = 3}
