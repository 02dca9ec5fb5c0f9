#!/usr/bin/env python3
"""Runs the test command and stops it when it hangs, saying where.

    test-watchdog.py STALL_SECONDS -- command [args...]

The command's output is passed through line by line. When no test has finished for STALL_SECONDS, the watchdog
prints every thread's stack of the test processes (with gdb, or the toolchain's lldb), then the tests that
started and never finished, kills the command's process group and exits 124. A hung test then costs minutes and
says which test and where, instead of running into CI's time limit with the last lines still in a pipe's buffer.
Otherwise it exits with the command's own code.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

# swift-testing's console lines: "◇ Test name started." and "✔ Test name passed after …", "✘ Test name failed
# after …", "✔ Test name with 2 test cases passed after …" (and the same for suites).
STARTED = re.compile(r"^◇ (?:Test|Suite) (.+?) started\.")
# Anchored on the end of the line's verb ("passed after", "failed after", "skipped."), so that a display name
# holding " passed" is not cut short and an issue line ("✘ Test x() recorded an issue …") is no end.
FINISHED = re.compile(r"^[✔✘➜] (?:Test|Suite) (.+?) (?:with \d+ test cases? )?(?:passed after|failed after|skipped)")


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    stall = float(sys.argv[1])
    command = sys.argv[3:]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, bufsize=0
    )
    # A cancelled CI job (SIGTERM, SIGINT) takes the test run with it: it runs in a session of its own.
    def stop(signum, _frame):
        kill_tree(process.pid)
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    running: dict[str, float] = {}
    last_finish = [time.monotonic()]
    lock = threading.Lock()

    def pump() -> None:
        assert process.stdout is not None
        for raw in iter(process.stdout.readline, b""):
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with lock:
                if m := STARTED.match(line):
                    # A parameterised test's cases report no end of their own; the test's line ends them all.
                    if not m.group(1).startswith("case passing"):
                        running[m.group(1)] = time.monotonic()
                elif m := FINISHED.match(line):
                    running.pop(m.group(1), None)
                    last_finish[0] = time.monotonic()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    while process.poll() is None:
        time.sleep(5)
        with lock:
            idle = time.monotonic() - last_finish[0]
        if idle < stall:
            continue
        print(f"\n==> watchdog: no test finished for {idle:.0f} s; stopping the run", file=sys.stderr, flush=True)
        tree = descendants(process.pid)
        dump_stacks(tree)
        with lock:
            now = time.monotonic()
            for name, started in sorted(running.items(), key=lambda item: item[1]):
                print(f"==> still running after {now - started:.0f} s: {name}", file=sys.stderr, flush=True)
        kill_tree(process.pid)
        process.wait()
        reader.join(timeout=5)
        return 124
    reader.join(timeout=30)
    # A command killed by a signal reports it negative; a shell reports it as 128 + the signal.
    return process.returncode if process.returncode >= 0 else 128 - process.returncode


def kill_tree(root: int) -> None:
    """Kills `root` and everything below it until nothing is left (`swift test` starts the test binary in a
    process group of its own, so killing the group is not enough; a process may start while the tree is read)."""
    for _ in range(10):
        tree = [root] + [pid for pid, _ in descendants(root)]
        alive = False
        for pid in tree:
            try:
                os.kill(pid, signal.SIGKILL)
                alive = True
            except ProcessLookupError:
                pass
        try:
            os.killpg(root, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if not alive:
            return
        time.sleep(0.2)


def descendants(root: int) -> list[tuple[int, str]]:
    """Every process below `root`, with its name (the test binary is a grandchild, in a group of its own)."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            # The name is in parentheses and may hold spaces; the parent's pid is the second field after it.
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
        names[int(entry)] = name
    found: list[tuple[int, str]] = []
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append((child, names.get(child, "?")))
            stack.append(child)
    return found


def dump_stacks(pids: list[tuple[int, str]]) -> None:
    """Every thread's stack of the test processes among `pids`."""
    for pid, name in pids:
        if "xctest" not in name and "PackageTests" not in name and not name.startswith("kilpi"):
            continue
        print(f"==> watchdog: threads of {pid} ({name})", file=sys.stderr, flush=True)
        if shutil.which("gdb"):
            tool = ["gdb", "-p", str(pid), "-batch", "-nx", "-ex", "thread apply all bt 30"]
        elif shutil.which("lldb"):
            tool = ["lldb", "-p", str(pid), "--batch", "-o", "thread backtrace all -c 30"]
        else:
            print("==> watchdog: neither gdb nor lldb is installed", file=sys.stderr, flush=True)
            return
        try:
            result = subprocess.run(tool, capture_output=True, text=True, timeout=120)
            out, err = result.stdout, result.stderr
        except subprocess.TimeoutExpired:
            out, err = "", "(the debugger did not answer within 120 s)"
        # Frames of the test's own code and the libraries it waits in; the debugger's chatter is left out.
        frames = [l for l in out.splitlines() if l.startswith(("#", "Thread ", "  frame", "* thread", "  thread"))]
        if frames:
            print("\n".join(frames[:1500]), file=sys.stderr, flush=True)
            continue
        # No frames (no permission to attach, say): what the debugger said, then each thread's state from /proc.
        print("\n".join((err or out).splitlines()[-20:]), file=sys.stderr, flush=True)
        for task in sorted(os.listdir(f"/proc/{pid}/task")) if os.path.isdir(f"/proc/{pid}/task") else []:
            try:
                with open(f"/proc/{pid}/task/{task}/comm") as f:
                    name = f.read().strip()
                with open(f"/proc/{pid}/task/{task}/wchan") as f:
                    wchan = f.read().strip()
            except OSError:
                continue
            print(f"thread {task} ({name}): waiting in {wchan or '-'}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
