#!/usr/bin/env python3
"""Fuzzes the built aioctl binary: random scripts, grammar-valid scripts and
hostile command lines, each run under a time limit.

A case fails when aioctl itself dies of a signal it was not sent, when the
Swift runtime reports a failure (Fatal error, Illegal instruction, exit
132/133/134/139), when a run outlives its --timeout (or the fuzzer's own
bound for commands without one) by more than a second, when --json output
does not parse, when the exit status is not one the README documents, or
when output written to a full disk is lost without exit status 74.

Every failing case is kept under --out as a directory holding the exact
command line (cmd.sh, runnable from anywhere), the script or standard input
it was given, and what aioctl printed. Cases matching an entry of the
known-open list (Tests/fuzz/known_open.txt) are counted apart and do not
fail the run: they are engine bugs already filed, waiting for their fix.

Deterministic from --seed: the same seed and counts give the same cases.
Standard library only.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# The generators live beside this file: cases.py, scripts.py, cmdlines.py.
from cmdlines import cmdline_case
from scripts import grammar_script, random_script, script_case

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# The README's exit-status table.
DOCUMENTED_STATUS = {0, 1, 4, 64, 66, 70, 74, 130, 143}
RUNTIME_MARKS = ("Fatal error", "Illegal instruction", "Segmentation fault", "Program crashed",
                 "Crash at", "Thread 0 crashed", "Backtrace", "fatalError", "Aborted")
RUNTIME_STATUS = {132, 133, 134, 139}
# Slack past a run's own bound before it counts as a hang (the issue's rule).
HANG_SLACK = 1.0
# Address space of each run (4 GiB).
MEMORY_LIMIT = 4 << 30

# ---------------------------------------------------------------- running

def make_fixtures(tmp):
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    latin1 = os.path.join(tmp.encode(), b"caf\xe9.txt")
    with open(latin1, "wb") as f:
        f.write(b"non-UTF-8 name\n")
    plain = os.path.join(tmp, "plain.txt")
    with open(plain, "wb") as f:
        f.write(b"x" * 8192)
    bench = os.path.join(tmp, "bench.dat")
    with open(bench, "wb") as f:
        f.write(b"\0" * (1 << 20))
    return {"fifo": fifo, "latin1": os.fsdecode(latin1), "file": plain, "bench": bench}


def judge(case, status, elapsed, out, err):
    """The findings of one run: a list of (kind, detail)."""
    findings = []
    text_err = err.decode("utf-8", "replace")
    if status is None:
        findings.append(("hang", "still running %.1fs after its bound of %.1fs; killed" % (elapsed - case.bound,
                                                                                         case.bound)))
    elif status < 0 and -status != signal.SIGKILL:
        findings.append(("signal", "killed by signal %d (%s)" % (-status, signal.Signals(-status).name)))
    elif status < 0:
        findings.append(("signal", "killed by SIGKILL, which the fuzzer did not send"))
    mark = next((m for m in RUNTIME_MARKS if m in text_err), None)
    if status in RUNTIME_STATUS or mark:
        findings.append(("runtime", "exit %s; stderr says %r" % (status, mark)))
    if status is not None and elapsed > case.bound + HANG_SLACK:
        findings.append(("hang", "took %.2fs, bound %.2fs" % (elapsed, case.bound)))
    if status is not None and status >= 0 and status not in DOCUMENTED_STATUS:
        findings.append(("status", "exit %d is not in the README's table" % status))
    if wants_json(case.argv) and not case.stdout_full and out.strip() and status in (0, 1, 4, 130, 143):
        if "--help" not in case.argv and "-h" not in case.argv and "--version" not in case.argv:
            if not valid_json(out):
                findings.append(("json", "stdout is not valid JSON (%d bytes)" % len(out)))
    if case.stdout_full and status in (0, 1):
        quiet = "-q" in case.argv or "--quiet" in case.argv
        if not quiet:
            findings.append(("output", "stdout was /dev/full, yet exit %d" % status))
    return findings


def wants_json(argv):
    """Whether stdout must be JSON: --json, or json as the last --format
    given (the last of a repeated option wins, as the parser has it)."""
    if "--json" in argv:
        return True
    last = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--format" and i + 1 < len(argv):
            last = argv[i + 1]
        elif arg.startswith("--format="):
            last = arg.split("=", 1)[1]
    return last == "json"


def valid_json(data):
    try:
        json.loads(data.decode("utf-8"))
        return True
    except (ValueError, UnicodeDecodeError):
        pass
    # JSON Lines: every line a document.
    try:
        lines = [l for l in data.decode("utf-8").split("\n") if l.strip()]
        for line in lines:
            json.loads(line)
        return bool(lines)
    except (ValueError, UnicodeDecodeError):
        return False


def run_case(binary, case, workdir):
    argv = list(case.argv)
    script_path = None
    if case.script is not None:
        script_path = os.path.join(workdir, "case.aio")
        with open(script_path, "wb") as f:
            f.write(case.script)
        argv = [script_path if a == "@SCRIPT@" else a for a in argv]
    env = dict(os.environ, NO_COLOR="1")
    stdout = subprocess.PIPE
    full = None
    if case.stdout_full:
        full = open("/dev/full", "wb")
        stdout = full
    start = time.monotonic()
    # The shell sets the limits and becomes aioctl (same pid): a run that
    # wants unbounded memory meets 4 GiB instead of the machine's, and
    # running out must still end in a clean message. (preexec_fn is not safe
    # with --jobs threads.)
    limits = 'ulimit -v %d; ulimit -c 0; exec "$0" "$@"' % (MEMORY_LIMIT // 1024)
    proc = subprocess.Popen(["/bin/sh", "-c", limits, binary] + [os.fsencode(a) for a in argv],
                            stdin=subprocess.PIPE, stdout=stdout, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    # Hard limit: the bound, the hang slack, and a little more, so a slow hang
    # is seen as a hang rather than waited for.
    limit = case.bound + HANG_SLACK + 4.0
    killed = False
    try:
        out, err = proc.communicate(input=case.stdin or b"", timeout=limit)
    except subprocess.TimeoutExpired:
        killed = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    except BrokenPipeError:
        out, err = proc.communicate()
    elapsed = time.monotonic() - start
    if full:
        full.close()
    # Leftover children of a killed run (none expected) go with their group.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    status = None if killed else proc.returncode
    return status, elapsed, out or b"", err or b"", script_path


def keep(case, findings, status, elapsed, out, err, outdir):
    digest = hashlib.sha1(case.text().encode("utf-8", "replace")).hexdigest()[:10]
    kinds = "-".join(sorted({k for k, _ in findings}))
    folder = os.path.join(outdir, "%s-%s-%s" % (kinds, case.ident, digest))
    os.makedirs(folder, exist_ok=True)
    argv = list(case.argv)
    if case.script is not None:
        with open(os.path.join(folder, "case.aio"), "wb") as f:
            f.write(case.script)
        argv = ['"$(dirname "$0")/case.aio"' if a == "@SCRIPT@" else shlex.quote(a) for a in argv]
    else:
        argv = [shlex.quote(a) for a in argv]
    line = "\"${AIOCTL:-aioctl}\" " + " ".join(argv)
    if case.stdin is not None:
        with open(os.path.join(folder, "stdin"), "wb") as f:
            f.write(case.stdin)
        line += ' < "$(dirname "$0")/stdin"'
    elif case.stdout_full:
        line += " > /dev/full"
    # Arguments may hold bytes that are not UTF-8 (surrogate-escaped here):
    # cmd.sh gets them back byte for byte.
    with open(os.path.join(folder, "cmd.sh"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("#!/bin/sh\n# %s\n# exit %s after %.2fs (bound %.2fs)\n" % (
            "; ".join("%s: %s" % fd for fd in findings), status, elapsed, case.bound))
        f.write("# AIOCTL=path/to/aioctl sh cmd.sh\n%s\n" % line)
    with open(os.path.join(folder, "stdout"), "wb") as f:
        f.write(out[:1 << 20])
    with open(os.path.join(folder, "stderr"), "wb") as f:
        f.write(err[:1 << 20])
    return folder


def load_known(path):
    """known_open.txt: `REGEX<TAB>issue line`, '#' comments. The regex is
    searched (multi-line) in the case's argv and script text."""
    known = []
    if not path or not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            pattern, _, issue = line.partition("\t")
            known.append((re.compile(pattern, re.M), issue.strip() or "line %d" % number))
    return known


def generate(seed, counts, fixtures, tmp):
    """The cases of one seed, in a fixed order."""
    rng = random.Random(seed)
    cases = []
    for i in range(counts["random"]):
        c = script_case(rng, random_script(rng), "random", tmp)
        c.ident = "s%d-random-%d" % (seed, i)
        cases.append(c)
    for i in range(counts["grammar"]):
        c = script_case(rng, grammar_script(rng), "grammar", tmp)
        c.ident = "s%d-grammar-%d" % (seed, i)
        cases.append(c)
    for i in range(counts["cmdline"]):
        c = cmdline_case(rng, fixtures)
        c.ident = "s%d-cmdline-%d" % (seed, i)
        cases.append(c)
    # Interleave kinds so a time budget samples all of them.
    random.Random(seed + 1).shuffle(cases)
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.path.join(REPO, ".build", "debug", "aioctl"))
    parser.add_argument("--seed", type=int, action="append", help="repeatable; default 1")
    parser.add_argument("--random", type=int, default=100, help="random scripts per seed")
    parser.add_argument("--grammar", type=int, default=100, help="grammar-valid scripts per seed")
    parser.add_argument("--cmdline", type=int, default=60, help="hostile command lines per seed")
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "aioctl-fuzz-findings"))
    parser.add_argument("--known", default=os.path.join(HERE, "known_open.txt"))
    parser.add_argument("--strict", action="store_true", help="known-open cases fail too")
    parser.add_argument("--budget", type=float, default=0, help="stop starting cases after this many seconds")
    parser.add_argument("--jobs", type=int, default=1, help="cases run side by side (default 1)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        print("fuzz: no binary at %s (swift build first, or --binary)" % args.binary, file=sys.stderr)
        return 2
    seeds = args.seed or [1]
    known = [] if args.strict else load_known(args.known)
    os.makedirs(args.out, exist_ok=True)
    counts = {"random": args.random, "grammar": args.grammar, "cmdline": args.cmdline}
    tally = {"cases": 0, "known": 0}
    per_kind = {}
    failed = []
    started = time.monotonic()
    lock = threading.Lock()

    def attempt(case, tmp):
        """Runs a case (twice when it was only late) and returns its findings."""
        if args.budget and time.monotonic() - started > args.budget:
            return case, None, None
        status, elapsed, out, err, _ = run_case(args.binary, case, tempfile.mkdtemp(dir=tmp))
        findings = judge(case, status, elapsed, out, err)
        if findings and all(k == "hang" for k, _ in findings) and status is not None:
            # Late but finished: on a loaded machine that can be the
            # machine. A second run that is on time says so.
            status2, elapsed2, out2, err2, _ = run_case(args.binary, case, tempfile.mkdtemp(dir=tmp))
            if not judge(case, status2, elapsed2, out2, err2):
                with lock:
                    tally["late_once"] = tally.get("late_once", 0) + 1
                findings = []
        return case, findings, (status, elapsed, out, err)

    with tempfile.TemporaryDirectory(prefix="aioctl-fuzz-") as tmp:
        fixtures = make_fixtures(tmp)
        cases = [c for seed in seeds for c in generate(seed, counts, fixtures, tmp)]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for case, findings, result in pool.map(lambda c: attempt(c, tmp), cases):
                if findings is None:
                    continue
                tally["cases"] += 1
                tally[case.kind] = tally.get(case.kind, 0) + 1
                if not findings:
                    continue
                status, elapsed, out, err = result
                text = case.text()
                match = next((issue for pattern, issue in known if pattern.search(text)), None)
                folder = keep(case, findings, status, elapsed, out, err,
                              os.path.join(args.out, "known") if match else args.out)
                if match:
                    tally["known"] += 1
                    if not args.quiet:
                        print("known  %s  %s  (%s)" % (case.ident, findings[0][1], match), flush=True)
                    continue
                for kind, _ in findings:
                    per_kind[kind] = per_kind.get(kind, 0) + 1
                failed.append(folder)
                print("FAIL   %s  %s\n       %s" % (case.ident, "; ".join(d for _, d in findings), folder),
                      flush=True)
    took = time.monotonic() - started
    kinds = ", ".join("%s %d" % kv for kv in sorted(per_kind.items())) or "none"
    print("fuzz: seeds %s; %d cases (random %d, grammar %d, cmdline %d) in %.0fs; %d failing (%s); "
          "%d known-open skipped; %d late once but on time when rerun; findings in %s" % (
              ",".join(map(str, seeds)), tally["cases"], tally.get("random", 0), tally.get("grammar", 0),
              tally.get("cmdline", 0), took, len(failed), kinds, tally["known"], tally.get("late_once", 0),
              args.out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
