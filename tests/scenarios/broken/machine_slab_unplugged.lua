-- A name the table (src/mm/slab_alloc.c) has no row for yet is refused,
-- not silently served by SLUB.  When mm/slob.c's model is plugged in,
-- this case goes.
-- expect: 2 broken/machine_slab_unplugged.lua:6:
-- and: machine: slab="slob": mm/slob.c (Linux 6.3, its last version) is not modelled yet
machine{memory = "16M", slab = "slob"}
