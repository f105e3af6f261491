-- A name the table (src/mm/slab_alloc.c) has no row for yet is refused,
-- not silently served by SLUB.  When mm/slab.c's model is plugged in,
-- this case names the next allocator missing, or goes.
-- expect: 2 broken/machine_slab_unplugged.lua:6:
-- and: machine: slab="slab": mm/slab.c (Linux 6.7, its last version) is not modelled yet
machine{memory = "16M", slab = "slab"}
