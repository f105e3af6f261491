goto 20
play 1000
play 1000
play 0.5x
restart
run zones.lua
s 2
