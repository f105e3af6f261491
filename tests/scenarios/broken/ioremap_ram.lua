-- expect: 2 broken/ioremap_ram.lua:5:
-- and: ioremap on RAM at 0x100000 - 0x100fff: pfn 0x100 is free memory the kernel owns
machine{memory_map = {{0, "640K", "usable"}, {"1M", "15M", "usable"}, {0xfebd0000, 0x1000, "device"}}}
ioremap(0xfebd0000, 0x1000)
ioremap("1M", 4096)
