step 3
run nosuch.lua
run broken.lua
info where
step
list
restart
