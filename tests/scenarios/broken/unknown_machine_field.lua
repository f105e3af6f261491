-- expect: 2 broken/unknown_machine_field.lua:3:
-- and: machine: unknown field 'memroy'
machine{memroy = "1M"}
