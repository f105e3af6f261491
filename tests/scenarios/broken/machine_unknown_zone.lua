-- expect: 2 broken/machine_unknown_zone.lua:3:
-- and: machine: unknown zone 'Norml'
machine{memory = "64M", zones = {DMA = "16M", Norml = "48M"}}
