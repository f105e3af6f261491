-- expect: 2 (command line):1: alloc_pages: order 12 is out of range
-- args: -e alloc_pages(order)
-- -e CODE runs after the file, in its globals; its errors name "(command line)".
order = 12
