-- expect: 2 broken/machine_number_key.lua:4:
-- and: machine: unknown field [1] (fields: arch, memory,
-- A positional value where machine{} takes named fields.
machine{"64M"}
