c
continue
c
c
rc
reverse-continue
rc
