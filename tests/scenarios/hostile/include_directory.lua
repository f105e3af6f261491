-- expect: 2 hostile/include_directory.lua:3:
-- and: include: hostile/inc is not a regular file
include("inc")
