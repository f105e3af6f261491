stpe
brek split
brek
contniue
foo
x
a-b
=3+4
lua s = 5
=s
s 2

n

function twice(x)
  return x * 2
end
=twice(21)
t = {
 1, 2,
 3}
=#t
lua for i = 1, 2 do
print(i)
end
goto 500
goto 3
if x then
