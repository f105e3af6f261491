-- expect: 2 hostile/coroutine_resume_once.lua:4:
-- and: instruction budget of 100000000 instructions used up
-- One resume that catches the budget's error, then a normal end: still exit 2.
print(coroutine.resume(coroutine.create(function() while true do end end)))
