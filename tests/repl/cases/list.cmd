list
next
list
goto 26
list
list 3
l 1
list 99
list x
