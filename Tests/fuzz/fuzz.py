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
import math
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


# ---------------------------------------------------------------- values

HUGE = ["9223372036854775807", "-9223372036854775808", "18446744073709551615", "18446744073709551616",
        "4294967295", "4294967296", "2147483647", "-2147483648", "-1", "0", "1", "65536", "1048576",
        "0x7fffffffffffffff", "0xffffffffffffffff", "0x80000000", "99999999999999999999999999"]
DURATIONS = ["0", "1ns", "1us", "250us", "1ms", "10ms", "50ms", "100ms", "0.5s", "1s", "1.5s"]
BAD_DURATIONS = ["-1s", "1e400s", "nan", "infs", "3601s", "99999999999999999999s", "1..5s", "s", "",
                 "1 s", "0x10ms", "1µs", "1h", "\n1s", "10ms\n"]
NASTY_STRINGS = ["", " ", "\n", "in\nctx b = setup 8", "\"", "'", "#", "a=b", "\x7f", "é", "\u202e",
                 "x" * 5000, "%s%n", "in,out,0xffffffff", "in\n", "../..", "-", "--", "=", "0x", "in|||"]


def pick(rng, items):
    return items[rng.randrange(len(items))]


# ---------------------------------------------------------------- scripts

KEYWORDS = ["ctx", "setup", "destroy", "pipe", "socketpair", "eventfd", "fifo", "open", "close", "write",
            "read", "iocb", "submit", "cancel", "getevents", "pgetevents", "after", "sleep", "signal",
            "show", "ring", "handles", "help", "via", "=", "poll", "pread", "pwrite", "preadv", "pwritev",
            "fsync", "fdsync", "noop", "opcode", "len=", "off=", "buf=", "bufsize=", "min=", "max=",
            "timeout=", "events=", "nr=", "iocbpp=", "result=", "mask=", "in", "out", "a", "p", "p.read",
            "p.write", "r", "r[*]", "r[0..1]", "q[3]", ".", "..", "#", "\"", "0", "garbage", "unmapped",
            "null", "readonly", "valid", "none", "invalid", "SIGUSR1", "SIGINT", "nohandler"]


def random_script(rng):
    """Token soup, byte noise and near-misses of the grammar."""
    lines = []
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.6:
            words = [pick(rng, KEYWORDS + HUGE + DURATIONS) for _ in range(rng.randint(1, 8))]
            sep = pick(rng, [" ", " ", " ", "\t", "  ", ""])
            lines.append(sep.join(words))
        elif kind < 0.8:
            lines.append("".join(chr(rng.randint(1, 0x7f)) for _ in range(rng.randint(0, 60))))
        elif kind < 0.9:
            lines.append(pick(rng, NASTY_STRINGS))
        else:
            lines.append(grammar_statement(rng, Names(), allow_any=True))
    text = "\n".join(lines)
    if rng.random() < 0.1:
        return text.encode("utf-8", "surrogatepass") + bytes(rng.randint(0, 255) for _ in range(20))
    return text.encode("utf-8", "replace")


class Names:
    def __init__(self):
        self.contexts = []
        self.descriptors = []  # (name, kind)
        self.iocbs = []  # (name, count or None)
        self.n = 0

    def fresh(self, prefix):
        self.n += 1
        return "%s%d" % (prefix, self.n)


def fd_ref(rng, names):
    choices = []
    for name, kind in names.descriptors:
        if kind in ("pipe", "fifo"):
            choices += [name + ".read", name + ".write"]
        elif kind == "socketpair":
            choices += [name + ".0", name + ".1"]
        else:
            choices.append(name)
    if not choices or rng.random() < 0.1:
        # Not 1 or 2: a script that writes into aioctl's own stdout or stderr
        # breaks --json by its own hand.
        return pick(rng, ["0", "-1", "999", "2147483647"])
    return pick(rng, choices)


def ctx_ref(rng, names):
    if not names.contexts or rng.random() < 0.1:
        return pick(rng, ["0", "garbage", "unmapped", "0x1000", "0xffffffffffffffff"])
    return pick(rng, names.contexts)


# HUGE values the step language accepts as numbers (they fit in 64 bits).
HUGE_INT64 = [v for v in HUGE if v.startswith("0x") or -(1 << 63) <= int(v) < (1 << 63)]


def number(rng, small=(0, 16)):
    if rng.random() < 0.15:
        return pick(rng, HUGE_INT64)
    return str(rng.randint(*small))


def duration(rng):
    return pick(rng, DURATIONS[:8])


def submit_item(rng, names):
    if not names.iocbs or rng.random() < 0.05:
        return pick(rng, ["null", "unmapped"])
    name, count = pick(rng, names.iocbs)
    if count:
        return pick(rng, [name + "[*]", "%s[0..%d]" % (name, count - 1), "%s[%d]" % (name, rng.randrange(count))])
    return name


def call_statement(rng, names):
    """A call or a timed action: what `after` may hold."""
    r = rng.random()
    via = pick(rng, ["", "", "", " via=syscall", " via=libaio"])
    if r < 0.25 and names.iocbs:
        items = " ".join(submit_item(rng, names) for _ in range(rng.randint(1, 2)))
        extra = pick(rng, ["", "", " iocbpp=null", " iocbpp=unmapped", " nr=0", " nr=-1", " nr=1"])
        return "submit %s %s%s%s" % (ctx_ref(rng, names), items, extra, via)
    if r < 0.4 and names.iocbs:
        return "cancel %s %s%s%s" % (ctx_ref(rng, names), submit_item(rng, names),
                                     pick(rng, ["", " result=null", " result=unmapped", " result=readonly"]), via)
    if r < 0.65:
        word = pick(rng, ["getevents", "getevents", "pgetevents"])
        opts = ""
        if rng.random() < 0.7:
            opts += " min=" + number(rng, (0, 4))
        if rng.random() < 0.7:
            opts += " max=" + number(rng, (0, 16))
        opts += " timeout=" + pick(rng, ["0", "1ms", "10ms", "50ms", "none", "invalid", "unmapped"])
        if rng.random() < 0.2:
            opts += " events=" + pick(rng, ["null", "unmapped", "readonly", "valid"])
        if word == "pgetevents" and rng.random() < 0.5:
            opts += " mask=" + pick(rng, ["none", "empty", "SIGUSR1", "SIGUSR1,SIGUSR2"])
        return "%s %s%s%s" % (word, ctx_ref(rng, names), opts, via)
    if r < 0.72:
        return "destroy %s%s" % (ctx_ref(rng, names), via)
    if r < 0.82:
        return "write %s %s" % (fd_ref(rng, names), pick(rng, ["0", "1", "8", "4096", "65536", "1048576"]))
    if r < 0.88:
        return "read %s %s" % (fd_ref(rng, names), pick(rng, ["1", "8", "4096"]))
    if r < 0.94:
        return "close %s" % fd_ref(rng, names)
    sig = pick(rng, ["SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGHUP", "SIGWINCH"])
    # Only signals ignored by default may go without a handler.
    return "signal %s%s" % (sig, pick(rng, ["", " handler", " nohandler"] if sig in ("SIGCHLD", "SIGWINCH")
                                       else ["", " handler"]))


def iocb_statement(rng, names):
    name = names.fresh("r")
    count = None
    if rng.random() < 0.2:
        count = rng.randint(1, 6)
    op = pick(rng, ["poll", "poll", "poll", "pread", "pwrite", "preadv", "pwritev", "fsync", "fdsync", "noop",
                    "opcode %d" % rng.choice([4, 9, 65535])])
    text = "iocb %s%s = %s" % (name, "[%d]" % count if count else "", op)
    if not op.startswith("noop") and not op.startswith("opcode") or rng.random() < 0.3:
        text += " " + fd_ref(rng, names)
    if op == "poll" and rng.random() < 0.7:
        text += " " + pick(rng, ["in", "out", "in,out", "pri", "hup", "0x0", "0xffffffff", "err,rdhup"])
    keys = ["len", "off", "buf", "bufsize", "rwflags", "reserved2", "flags", "resfd", "ioprio", "reqprio", "data",
            "key", "iovcnt"]
    for key in rng.sample(keys, rng.randint(0, 3)):
        if key == "len":
            val = pick(rng, ["0", "1", "8", "4096", "65536", "1048576"]) if rng.random() < 0.9 else pick(rng, HUGE_INT64)
        elif key == "bufsize":
            val = pick(rng, ["1", "8", "4096", "1048576"])
        elif key == "buf":
            val = pick(rng, ["own", "null", "unmapped", "readonly", "0x1000"])
        elif key == "resfd":
            val = fd_ref(rng, names)
        elif key == "ioprio":
            val = pick(rng, ["be:4", "rt:0", "idle:0", "7:8191", "none:0"])
        elif key == "rwflags":
            val = pick(rng, ["nowait", "hipri", "dsync,sync", "append", "0xff", "atomic"])
        elif key == "iovcnt":
            val = pick(rng, ["1", "2", "16", "1024"])
        elif key == "off":
            val = pick(rng, ["0", "1", "4096", "-1", "9223372036854775807"])
        else:
            val = number(rng)
        text += " %s=%s" % (key, val)
    names.iocbs.append((name, count))
    return text


def grammar_statement(rng, names, allow_any=False):
    r = rng.random()
    if r < 0.12 or not names.contexts:
        name = names.fresh("c")
        text = "ctx %s = setup %s" % (name, pick(rng, ["1", "8", "8", "32", "128"]) if rng.random() < 0.9
                                      else pick(rng, ["0", "-1", "4294967295", "65536", "2147483647"]))
        if rng.random() < 0.1:
            text += " ctxp=" + pick(rng, ["null", "unmapped", "readonly", "valid"])
        if rng.random() < 0.05:
            text += " preset=0x1"
        names.contexts.append(name)
        return text
    if r < 0.24 or not names.descriptors:
        kind = pick(rng, ["pipe", "pipe", "socketpair", "eventfd", "fifo", "open"])
        name = names.fresh("d")
        if kind == "open":
            path = pick(rng, ["/dev/zero", "/dev/null", "/etc/hostname", "/proc/self/maps", "/nonexistent",
                              "/tmp", "/dev/full", "/dev/urandom"])
            flags = pick(rng, ["", " rdonly", " wronly", " rdwr", " rdonly nonblock", " rdwr direct"])
            names.descriptors.append((name, "file"))
            return "open %s %s%s" % (name, path, flags)
        names.descriptors.append((name, kind))
        return "%s %s" % (kind, name)
    if r < 0.40:
        return iocb_statement(rng, names)
    if r < 0.52:
        return "after %s %s" % (duration(rng), call_statement(rng, names))
    if r < 0.58:
        return "sleep %s" % pick(rng, ["0", "1ms", "10ms", "50ms"])
    if r < 0.62:
        return "show %s" % pick(rng, ["handles", "ring " + ctx_ref(rng, names)]
                                + ([names.iocbs[0][0]] if names.iocbs and not names.iocbs[0][1] else []))
    if r < 0.64:
        return "via %s" % pick(rng, ["libaio", "syscall"])
    return call_statement(rng, names)


def grammar_script(rng):
    names = Names()
    lines = [grammar_statement(rng, names) for _ in range(rng.randint(2, 14))]
    return ("\n".join(lines) + "\n").encode()


def script_case(rng, script, kind, tmp):
    timeout = pick(rng, ["1s", "1s", "2s", "500ms"])
    argv = ["run", "@SCRIPT@", "--timeout", timeout]
    if rng.random() < 0.3:
        argv.append("--json")
    if rng.random() < 0.2:
        argv.append("--keep-going")
    if rng.random() < 0.2:
        argv += ["--via", "syscall"]
    if rng.random() < 0.05:
        argv[1] = "-"
        return Case(kind, argv, stdin=script, bound=parse_seconds(timeout))
    return Case(kind, argv, script=script, bound=parse_seconds(timeout))


def parse_seconds(text):
    """A duration as aioctl reads it, in seconds; ValueError when it is not
    one (nan, inf and 1e400 included: aioctl refuses them)."""
    for suffix, scale in (("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("s", 1.0)):
        if text.endswith(suffix):
            value = float(text[: -len(suffix)]) * scale
            break
    else:
        value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


# ---------------------------------------------------------------- command lines

def hostile_value(rng, kind):
    if kind == "int":
        return pick(rng, HUGE + ["", "abc", "1.5", "0x10", " 1", "+1", "١"])
    if kind == "duration":
        return pick(rng, DURATIONS + BAD_DURATIONS)
    return pick(rng, NASTY_STRINGS + HUGE)


def target_value(rng, fixtures):
    return pick(rng, ["pipe", "socketpair", "eventfd", "fifo", "fd:0", "fd:1", "fd:999", "fd:-1", "fd:",
                      "file:", "file:/dev/zero", "/dev/zero", "/dev/null", "/etc/hostname", "/nonexistent",
                      "/tmp", "nonsense", fixtures["fifo"], fixtures["latin1"], fixtures["file"],
                      "file:" + fixtures["latin1"], "/proc/self/mem", "/dev/full"])


COMMON_SINGLE = ["--via", "--expect", "--json", "-v", "--print-script"]


def cmdline_case(rng, fixtures):
    sub = pick(rng, ["cancel", "cancel", "setup", "submit", "submit", "getevents", "getevents", "destroy",
                     "race", "bench", "info", "check", "spec", "run", "bogus"])
    argv = [sub]
    bound = 20.0
    opts = []
    if sub == "cancel":
        if rng.random() < 0.8:
            argv.append(target_value(rng, fixtures))
        table = {"--events": "str", "--length": "int", "--offset": "int", "--after": "duration",
                 "--unblock": "str", "--reap-timeout": "duration", "--timeout": "duration",
                 "--nr-events": "int", "--count": "int"}
        flags = ["--poll", "--read", "--nowait", "--ready", "--json", "-q"]
        count = None
        for _ in range(rng.randint(0, 4)):
            if rng.random() < 0.3:
                opts.append(pick(rng, flags))
                continue
            key = pick(rng, sorted(table))
            if key == "--count":
                value = pick(rng, ["1", "3", "10", "0", "-1"]) if rng.random() < 0.8 else hostile_value(rng, "int")
                count = value
            elif key == "--timeout":
                value = pick(rng, ["1s", "2s", "100ms"]) if rng.random() < 0.7 else hostile_value(rng, "duration")
            elif key == "--unblock":
                value = pick(rng, ["write", "close", "none", "bogus"])
            else:
                value = hostile_value(rng, table[key])
            opts += [key, value]
        if "--timeout" not in opts:
            opts += ["--timeout", "2s"]
        # The bound covers each run; --count multiplies it.
        t = opts[opts.index("--timeout") + 1]
        try:
            per = parse_seconds(t)
        except ValueError:
            per = 2.0
        n = 1
        if count is not None:
            try:
                n = max(1, min(int(count), 10))
            except ValueError:
                n = 1
        bound = min(min(per, 3600.0) * n + 2.0, 25.0)
    elif sub in ("setup", "submit", "getevents", "destroy"):
        table = {
            "setup": {"--ctxp": ["valid", "null", "unmapped", "readonly", "bogus"], "--preset": "int"},
            "submit": {"--op": ["poll", "pread", "pwrite", "preadv", "pwritev", "fsync", "fdsync", "noop", "9",
                                "opcode 5", "opcode x", "-1"],
                       "--events": "str", "--length": "int", "--offset": "int", "--rw-flags": "str",
                       "--reserved2": "int", "--nr": "int", "--copies": "int", "--reap-timeout": "duration"},
            "getevents": {"--min": "int", "--max": "int", "--timeout": "duration", "--ready": "int",
                          "--pending": "int", "--events-pointer": ["valid", "null", "unmapped", "readonly", "x"]},
            "destroy": {"--ctx": ["valid", "destroyed", "0", "garbage", "unmapped", "bogus"]},
        }[sub]
        if sub == "setup" and rng.random() < 0.7:
            argv.append(hostile_value(rng, "int") if rng.random() < 0.5 else pick(rng, ["8", "1", "0", "-1"]))
        if sub == "submit" and rng.random() < 0.8:
            argv.append(target_value(rng, fixtures))
        for _ in range(rng.randint(0, 4)):
            key = pick(rng, sorted(table))
            spec = table[key]
            if isinstance(spec, list):
                value = pick(rng, spec)
            elif key in ("--ready", "--pending", "--copies") and rng.random() < 0.6:
                value = str(rng.randint(0, 20))
            elif key == "--length" and rng.random() < 0.5:
                value = pick(rng, ["0", "1", "4096", "17179869184", "1073741825"])
            else:
                value = hostile_value(rng, spec)
            opts += [key, value]
        if sub == "destroy" and rng.random() < 0.3:
            opts.append("--pending-poll")
        if sub == "submit" and rng.random() < 0.3:
            opts.append("--ready")
        for _ in range(rng.randint(0, 2)):
            flag = pick(rng, COMMON_SINGLE)
            if flag == "--via":
                opts += [flag, pick(rng, ["libaio", "syscall", "bogus"])]
            elif flag == "--expect":
                opts += [flag, pick(rng, ["kapi", "man2", "libaio", "bogus"])]
            else:
                opts.append(flag)
        bound = 31.0  # their own bound is a fixed 30 s
    elif sub == "race":
        # Huge counts are legitimate long runs (race has no --timeout): the
        # parsing of hostile ones is tried with --help-free values that fail fast.
        opts += ["--iterations", pick(rng, ["1", "10", "50", "0", "-1", "x", "99999999999999999999"])]
        for _ in range(rng.randint(0, 3)):
            key = pick(rng, ["--target", "--cancel-after", "--ready-after", "--sweep", "--reap-timeout",
                             "--duration", "--json"])
            if key == "--json":
                opts.append(key)
            elif key == "--target":
                opts += [key, pick(rng, ["pipe", "socketpair", "eventfd", "fifo", "x"])]
            elif key == "--sweep":
                opts += [key, pick(rng, ["-20us..20us/10us", "0..10us/1us", "0..0/0", "x", "-1s..1s/1ns",
                                         "0..1us/0"])]
            elif key == "--duration":
                opts += [key, pick(rng, ["10ms", "100ms"] + BAD_DURATIONS)]
            else:
                opts += [key, pick(rng, DURATIONS[:6] + BAD_DURATIONS)]
        bound = 20.0
    elif sub == "bench":
        if rng.random() < 0.8:
            opts += ["--file", pick(rng, [fixtures["bench"], fixtures["fifo"], "/dev/zero", "/nonexistent/x",
                                         "/tmp", fixtures["latin1"], "/dev/full", "/proc/self/maps"])]
        opts += ["--ios", pick(rng, ["1", "16", "100", "0", "-1", "x", "99999999999999999999"])]
        for _ in range(rng.randint(0, 3)):
            key = pick(rng, ["--size", "--bs", "--iodepth", "--rw", "--batch-submit", "--batch-complete",
                             "--runtime", "--direct", "--json"])
            if key in ("--direct", "--json"):
                opts.append(key)
            elif key in ("--size", "--bs"):
                opts += [key, pick(rng, ["4k", "1", "0", "64MiB", "1g", "16EiB", "x", "-4k", "4096",
                                         "18446744073709551615"])]
            elif key == "--rw":
                opts += [key, pick(rng, ["read", "randread", "write", "randwrite", "x"])]
            elif key == "--runtime":
                opts += [key, pick(rng, ["10ms", "100ms"] + BAD_DURATIONS)]
            else:
                opts += [key, pick(rng, ["1", "8", "0", "-1", "65536"] + HUGE[:3])]
        bound = 20.0
    elif sub == "info":
        for _ in range(rng.randint(0, 2)):
            key = pick(rng, ["--nr-events", "--via", "--json"])
            if key == "--json":
                opts.append(key)
            elif key == "--via":
                opts += [key, pick(rng, ["libaio", "syscall", "x"])]
            else:
                opts += [key, hostile_value(rng, "int")]
    elif sub == "check":
        opts += ["--filter", pick(rng, ["io_setup*", "io_cancel*", "io_getevents*", "io_destroy*", "*nr-1*",
                                       "nothing-matches", "[", "*"])]
        for _ in range(rng.randint(0, 2)):
            key = pick(rng, ["--format", "--jobs", "--via", "--list", "-v"])
            if key in ("--list", "-v"):
                opts.append(key)
            elif key == "--format":
                opts += [key, pick(rng, ["text", "ktap", "json", "x"])]
            elif key == "--jobs":
                opts += [key, pick(rng, ["1", "2", "0", "-1", "100000", "9223372036854775807"])]
            else:
                opts += [key, pick(rng, ["libaio", "syscall", "both", "x"])]
        bound = 60.0
    elif sub == "spec":
        if rng.random() < 0.5:
            opts.append("--json")
        if rng.random() < 0.3:
            opts.append(hostile_value(rng, "str"))
    elif sub == "run":
        argv.append(pick(rng, ["/dev/null", fixtures["fifo"], "/nonexistent", "/tmp", fixtures["latin1"],
                               "/proc/self/maps", "/dev/zero", "-"]))
        opts += ["--timeout", "1s"]
        bound = 1.0
    else:
        opts.append(hostile_value(rng, "str"))
    if rng.random() < 0.05:
        opts.append(pick(rng, ["--help", "--version", "-h"]))
    argv += opts
    stdout_full = rng.random() < 0.12
    return Case("cmdline", argv, bound=bound, stdout_full=stdout_full)


class Case:
    def __init__(self, kind, argv, script=None, stdin=None, bound=20.0, stdout_full=False):
        self.kind = kind
        self.argv = argv
        self.script = script
        self.stdin = stdin
        self.bound = bound
        self.stdout_full = stdout_full
        self.ident = None

    def text(self):
        """What the known-open patterns are matched against."""
        parts = ["argv: " + " ".join(self.argv)]
        for blob in (self.script, self.stdin):
            if blob is not None:
                parts.append(blob.decode("utf-8", "replace"))
        return "\n".join(parts)


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
    wants_json = "--json" in case.argv or ("--format" in case.argv and "json" in case.argv)
    if wants_json and not case.stdout_full and out.strip() and status in (0, 1, 4, 130, 143):
        if "--help" not in case.argv and "-h" not in case.argv and "--version" not in case.argv:
            if not valid_json(out):
                findings.append(("json", "stdout is not valid JSON (%d bytes)" % len(out)))
    if case.stdout_full and status in (0, 1):
        quiet = "-q" in case.argv or "--quiet" in case.argv
        if not quiet:
            findings.append(("output", "stdout was /dev/full, yet exit %d" % status))
    return findings


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
    with open(os.path.join(folder, "cmd.sh"), "w") as f:
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
