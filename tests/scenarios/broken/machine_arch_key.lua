-- expect: 2 broken/machine_arch_key.lua:3:
-- and: machine: unknown field [true] in arch (fields: levels, offset, entry_size, name)
machine{arch = {levels = {4, 4}, [true] = 1}}
