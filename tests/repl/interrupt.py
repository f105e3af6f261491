#!/usr/bin/env python3
"""Ctrl-C at the REPL, driven through a pty (python's pty module).

Ctrl-C interrupts typed Lua that loops, a long `continue`, a `run` of a file
that spins, and a line being typed at the prompt; each time memstep stays,
the prompt comes back and the state is as before (a variable set earlier
still reads back, the scenario still steps).  History is appended as lines
are entered: it is in the file even when memstep is killed.

usage: interrupt.py MEMSTEP (run from anywhere)"""
import os, pty, select, signal, sys, tempfile, time, shutil

here = os.path.dirname(os.path.abspath(__file__))
memstep = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="memstep-interrupt.")
for f in ("walk.lua", "long.lua", "spin.lua"):
    shutil.copy(os.path.join(here, f), work)
state = os.path.join(work, "state")
os.mkdir(state)
failures = 0


def spawn():
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(work)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "dumb", "LC_ALL": "C",
               "XDG_STATE_HOME": state, "NO_COLOR": "1"}
        os.execve(memstep, [memstep, "--repl", "long.lua"], env)
    return pid, fd


def read_until(fd, needle, timeout=20.0):
    """What the pty says until needle appears (fails after timeout)."""
    global failures
    buf = b""
    end = time.time() + timeout
    while needle.encode() not in buf:
        left = end - time.time()
        if left <= 0:
            print("FAIL: waited for %r, got:\n%s" % (needle, buf.decode(errors="replace")))
            failures += 1
            return buf.decode(errors="replace")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf.decode(errors="replace")


def send(fd, text):
    os.write(fd, text.encode())


def check(what, cond, text=""):
    global failures
    if cond:
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what + ("\n" + text if text else ""))


pid, fd = spawn()
read_until(fd, "(memstep) ")
send(fd, "x = 42\r")
read_until(fd, "(memstep) ")

# typed Lua that loops: the first Ctrl-C ends it with an error
send(fd, "while true do end\r")
time.sleep(0.5)
send(fd, "\x03")
out = read_until(fd, "(memstep) ")
check("Ctrl-C ends looping typed Lua", "interrupted (Ctrl-C)" in out, out)
send(fd, "=x\r")
out = read_until(fd, "(memstep) ")
check("the Lua state is as before", "42" in out, out)

# a long continue: stops at a step, the scenario still steps on after
send(fd, "continue\r")
time.sleep(1.0)
send(fd, "\x03")
out = read_until(fd, "(memstep) ")
check("Ctrl-C stops a long continue", "[interrupted (Ctrl-C) at step" in out, out)
send(fd, "info where\r")
out = read_until(fd, "(memstep) ")
at = int(out.split("step ")[1].split(" ")[0]) if "step " in out else -1
check("the cursor stayed where the continue stopped", at > 0, out)
send(fd, "step\r")
out = read_until(fd, "(memstep) ")
check("the scenario steps on after the interrupt", ("step %d of" % (at + 1)) in out, out)

# an operation typed in the past asks first: no keeps the future, yes
# drops it, and undo brings it back
send(fd, "y = alloc_pages(0)\r")
out = read_until(fd, "Run it? [y/N] ")
check("an operation in the past asks first", "in the past: an operation here drops steps" in out, out)
send(fd, "n\r")
out = read_until(fd, "(memstep) ")
check("no: not run", "(not run: the steps ahead stay)" in out, out)
send(fd, "=y\r")
out = read_until(fd, "(memstep) ")
check("no: y stays nil", "nil" in out, out)
send(fd, "y = alloc_pages(0)\r")
read_until(fd, "Run it? [y/N] ")
send(fd, "y\r")
out = read_until(fd, "(memstep) ")
check("yes: the future is dropped", "later steps; `undo` brings them back" in out, out)
send(fd, "undo\r")
out = read_until(fd, "(memstep) ")
check("undo takes it back", "undone: y = alloc_pages(0)" in out and ("step %d of" % (at + 1)) in out, out)

# a run of a file that spins before its first step: the run fails, the
# loaded scenario stays
send(fd, "run spin.lua\r")
time.sleep(0.5)
send(fd, "\x03")
out = read_until(fd, "(memstep) ")
check("Ctrl-C fails a run that spins", "interrupted (Ctrl-C)" in out and "nothing changed" in out, out)
send(fd, "info where\r")
out = read_until(fd, "(memstep) ")
check("the failed run kept long.lua where it was", ("step %d of" % (at + 1)) in out, out)

# at the prompt: the half-typed line goes, memstep stays
send(fd, "this is half typ")
time.sleep(0.3)
send(fd, "\x03")
time.sleep(0.3)
send(fd, "=6*7\r")
out = read_until(fd, "42")
check("Ctrl-C at the prompt drops the line and keeps memstep", "42" in out, out)
if "(memstep) " not in out.split("42", 1)[-1]:
    read_until(fd, "(memstep) ")

# history is in the file as soon as a line is entered: kill -9 and look
time.sleep(0.3)
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
hist = os.path.join(state, "memstep", "history")
text = open(hist).read() if os.path.exists(hist) else ""
check("history survives a kill", "x = 42" in text and "while true do end" in text and "=6*7" in text, text)
check("a line dropped by Ctrl-C is not history", "half typ" not in text, text)

# and a normal quit after a Ctrl-C exits 0
pid, fd = spawn()
read_until(fd, "(memstep) ")
send(fd, "\x03")
time.sleep(0.3)
send(fd, "quit\r")
try:
    while os.read(fd, 4096):
        pass
except OSError:
    pass
_, st = os.waitpid(pid, 0)
check("quit after Ctrl-C exits 0", os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0, str(st))
text = open(hist).read()
check("history kept the earlier session's lines", "x = 42" in text and "quit" in text, text)

shutil.rmtree(work)
print("%d failed" % failures)
sys.exit(1 if failures else 0)
