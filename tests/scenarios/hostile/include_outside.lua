-- expect: 2 hostile/include_outside.lua:5:
-- and: is outside the scenario's folder
-- A host file: refused before it is read, so its contents cannot leak
-- through a syntax error.
include("../../../../../../../../etc/passwd")
