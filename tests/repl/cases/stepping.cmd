step
s 3
next
n
step 2
rs
reverse-step 4
rn
reverse-next
n 2
info where
goto 20
goto one
g two
goto 0
goto 1000
goto nowhere
rs 100
s 0
n x
quit
step
