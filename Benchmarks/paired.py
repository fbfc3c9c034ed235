#!/usr/bin/env python3
"""paired.py: time whole processes side by side, for Benchmarks/run.

    paired.py [--peak-rss] RUNS COMMAND [COMMAND...]

Each COMMAND is one shell-quoted string (split with shlex, run without a
shell, so the shell's own start-up is not timed). After one untimed warm-up
of each, RUNS rounds run every command once, the order alternating from
round to round (A B, then B A, ...) so that load on the machine and
whatever one run leaves behind hit every command alike.

For each run: wall time (from spawn to reaped, in ms), CPU time (user +
system of the child, from wait4's rusage, in ms) and exit status. Prints
one JSON document: {"commands": [{"command", "runs": [...], "median":
{"wall_ms", "cpu_ms"}}]}. Medians, not means: one run that met a compiler
on the other CPU says nothing about the program.

--peak-rss adds "peak_rss_kb": the largest VmHWM read from /proc/PID/status
every 10 ms while the child runs. The largest, not the last: VmHWM is the
current RSS when the kernel has not recorded a high-water mark yet, and
while the process exits its pages go, so a last reading gave 4 KB. Not
wait4's ru_maxrss: Linux folds the high-water mark of the memory the child
had before exec into it, and a child of Python starts as a copy of a 14 MB
interpreter. For processes that run long enough to be sampled; with it
there is no warm-up run (such processes are long, and the page cache is
not what is measured).

Output goes to /dev/null. Exit status is not judged (aioctl check exits 1
when the kernel differs from a document).
"""
import json
import os
import shlex
import statistics
import sys
import time


def vm_hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run_once(argv, peak_rss=False):
    null = os.open(os.devnull, os.O_WRONLY)
    peak = None
    try:
        actions = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
        start = time.perf_counter_ns()
        # posix_spawn returns once the child has exec'd: /proc shows its own memory.
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        if peak_rss:
            while True:
                done, status, usage = os.wait4(pid, os.WNOHANG)
                if done:
                    break
                peak = max(peak or 0, vm_hwm_kb(pid) or 0) or None
                time.sleep(0.01)
        else:
            _, status, usage = os.wait4(pid, 0)
        wall_ns = time.perf_counter_ns() - start
    finally:
        os.close(null)
    result = {
        "wall_ms": wall_ns / 1e6,
        "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1e3,
        "status": os.waitstatus_to_exitcode(status),
    }
    if peak_rss:
        result["peak_rss_kb"] = peak
    return result


def main(args):
    peak_rss = args[:1] == ["--peak-rss"]
    if peak_rss:
        args = args[1:]
    if len(args) < 2 or not args[0].isdigit() or int(args[0]) < 1:
        sys.exit("usage: paired.py [--peak-rss] RUNS COMMAND [COMMAND...]")
    rounds = int(args[0])
    commands = [shlex.split(c) for c in args[1:]]
    runs = [[] for _ in commands]
    for argv in [] if peak_rss else commands:
        run_once(argv)
    for r in range(rounds):
        order = list(range(len(commands)))
        if r % 2:
            order.reverse()
        for i in order:
            runs[i].append(run_once(commands[i], peak_rss))
    result = []
    for text, samples in zip(args[1:], runs):
        keys = ("wall_ms", "cpu_ms") + (("peak_rss_kb",) if peak_rss else ())
        median = {k: statistics.median(s[k] or 0 for s in samples) for k in keys}
        result.append({"command": text, "runs": samples, "median": median})
    json.dump({"commands": result}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
