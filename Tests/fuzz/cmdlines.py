"""Hostile command lines for every subcommand."""

from cases import BAD_DURATIONS, DURATIONS, HUGE, NASTY_STRINGS, Case, parse_seconds, pick


def race_bound(opts):
    """20 s, or longer when the run legitimately needs it: every iteration
    waits for its readiness write and its cancel, and aioctl reads a
    duration with surrounding whitespace ("\\n1s") as the duration."""
    def value(flag, parse):
        if flag not in opts or opts.index(flag) + 1 >= len(opts):
            return None
        try:
            return parse(opts[opts.index(flag) + 1].strip())
        except ValueError:
            return None
    iterations = value("--iterations", int) or 1
    waits = [value(flag, parse_seconds) or 0.0 for flag in ("--ready-after", "--cancel-after")]
    if iterations <= 0 or iterations > 1000:
        return 20.0
    # Past an hour aioctl refuses the duration at once; 120 s covers what it takes.
    return min(max(20.0, iterations * max(waits) + 5.0), 120.0)


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
        bound = race_bound(opts)
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
