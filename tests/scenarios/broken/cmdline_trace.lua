-- expect: 2 --trace takes text, json or none, not xml
-- args: --trace=xml
-- A wrong command line is exit 2 as well, before anything runs.
print("not reached")
