-- expect: 2 --seed takes a number, not 12abc
-- args: --seed 12abc
print("not reached")
