info
info buddy
info frame 4
goto 5
info buddy
info frame 4
info frame 0
info frame 15
info frame 16
info frame
info events
info ops
info marks
goto 16
info marks
info events
info ops
goto 26
info buddy
info frame 4
info bogus
