-- expect: 2 broken/textbook_frames.lua:3:
-- and: replacement: frames 0 is out of range (1 to 65536)
local c = replacement{frames = 0}
