machine{memory = "4M"}
local big = kmalloc(9000)
