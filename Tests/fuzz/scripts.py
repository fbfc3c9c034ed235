"""Random and grammar-valid scripts of the step language (`aioctl run --help`)."""

from cases import DURATIONS, HUGE, NASTY_STRINGS, Case, parse_seconds, pick

KEYWORDS = ["ctx", "setup", "destroy", "pipe", "socketpair", "eventfd", "fifo", "open", "close", "write",
            "read", "iocb", "submit", "cancel", "getevents", "pgetevents", "after", "sleep", "signal",
            "show", "ring", "handles", "help", "via", "=", "poll", "pread", "pwrite", "preadv", "pwritev",
            "fsync", "fdsync", "noop", "opcode", "len=", "off=", "buf=", "bufsize=", "min=", "max=",
            "timeout=", "events=", "nr=", "iocbpp=", "result=", "mask=", "in", "out", "a", "p", "p.read",
            "p.write", "r", "r[*]", "r[0..1]", "q[3]", ".", "..", "#", "\"", "0", "garbage", "unmapped",
            "null", "readonly", "valid", "none", "invalid", "SIGUSR1", "SIGINT", "nohandler", "kernel",
            "allones", "straddle:", "{0,1000000000}", "{-1,0}", "usig=", "sigsetsize=", "page=", "rawresfd=",
            "set", "fadvise", "dontneed", "stop", "without", "CAP_SYS_NICE", "restart", "timeout"]


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
        return pick(rng, ["0", "garbage", "unmapped", "fakering", "0x1000", "0xffffffffffffffff"])
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
        return pick(rng, ["null", "unmapped", "kernel"])
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
        extra = pick(rng, ["", "", " iocbpp=null", " iocbpp=unmapped", " iocbpp=readonly", " iocbpp=kernel",
                           " iocbpp=allones", " nr=0", " nr=-1", " nr=1"])
        return "submit %s %s%s%s" % (ctx_ref(rng, names), items, extra, via)
    if r < 0.4 and names.iocbs:
        return "cancel %s %s%s%s" % (ctx_ref(rng, names), submit_item(rng, names),
                                     pick(rng, ["", " result=null", " result=unmapped", " result=readonly",
                                                " result=kernel"]), via)
    if r < 0.65:
        word = pick(rng, ["getevents", "getevents", "pgetevents"])
        opts = ""
        if rng.random() < 0.7:
            opts += " min=" + number(rng, (0, 4))
        if rng.random() < 0.7:
            opts += " max=" + number(rng, (0, 16))
        opts += " timeout=" + pick(rng, ["0", "1ms", "10ms", "50ms", "none", "invalid", "unmapped", "kernel",
                                         "{0,1000000000}", "{-1,0}", "{0,-1}", "{0,5000000}"])
        if rng.random() < 0.2:
            opts += " events=" + pick(rng, ["null", "unmapped", "readonly", "valid", "kernel", "allones",
                                            "straddle:0", "straddle:2", "straddle:128"])
        if word == "pgetevents" and rng.random() < 0.5:
            opts += " mask=" + pick(rng, ["none", "empty", "SIGUSR1", "SIGUSR1,SIGUSR2"])
        if word == "pgetevents" and rng.random() < 0.3:
            opts += pick(rng, [" usig=", " sigsetsize="]) + pick(rng, ["readonly", "unmapped", "kernel", "null"])
            opts = opts.replace("sigsetsize=readonly", "sigsetsize=16").replace("sigsetsize=unmapped", "sigsetsize=0")
            opts = opts.replace("sigsetsize=kernel", "sigsetsize=8").replace("sigsetsize=null", "sigsetsize=1024")
            via = pick(rng, [" via=syscall", " via=syscall", ""])
        return "%s %s%s%s" % (word, ctx_ref(rng, names), opts, via)
    if r < 0.72:
        return "destroy %s%s" % (ctx_ref(rng, names), via)
    if r < 0.82:
        return "write %s %s" % (fd_ref(rng, names), pick(rng, ["0", "1", "8", "4096", "65536", "1048576"]))
    if r < 0.88:
        return "read %s %s" % (fd_ref(rng, names), pick(rng, ["1", "8", "4096"]))
    if r < 0.91:
        return "close %s" % fd_ref(rng, names)
    if r < 0.93 and names.iocbs:
        name, count = pick(rng, names.iocbs)
        field = pick(rng, ["data", "key", "fd", "len", "off", "opcode", "flags", "resfd"])
        return "set %s %s=%s" % (name + ("[0]" if count else ""), field, number(rng))
    if r < 0.94:
        return pick(rng, ["stop 1ms", "stop 10ms", "fadvise %s dontneed" % fd_ref(rng, names),
                          "without CAP_SYS_NICE,CAP_SYS_ADMIN destroy %s" % ctx_ref(rng, names)])
    sig = pick(rng, ["SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGHUP", "SIGWINCH"])
    # Only signals ignored by default may go without a handler.
    return "signal %s%s" % (sig, pick(rng, ["", " handler", " restart", " nohandler"] if sig in ("SIGCHLD", "SIGWINCH")
                                       else ["", " handler", " restart"]))


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
            "key", "iovcnt", "page", "rawresfd"]
    for key in rng.sample(keys, rng.randint(0, 3)):
        if key == "len":
            val = pick(rng, ["0", "1", "8", "4096", "65536", "1048576"]) if rng.random() < 0.9 else pick(rng, HUGE_INT64
                                                                                                     + ["18446744073709551615", "0x7fffffffffffffff"])
        elif key == "bufsize":
            val = pick(rng, ["1", "8", "4096", "1048576"])
        elif key == "buf":
            val = pick(rng, ["own", "null", "unmapped", "readonly", "0x1000"])
        elif key in ("resfd", "rawresfd"):
            if "resfd=" in text:
                continue
            val = fd_ref(rng, names)
        elif key == "page":
            val = pick(rng, ["own", "readonly"])
        elif key == "ioprio":
            val = pick(rng, ["be:4", "rt:0", "idle:0", "7:8191", "none:0"])
        elif key == "rwflags":
            val = pick(rng, ["nowait", "hipri", "dsync,sync", "append", "0xff", "atomic"])
        elif key == "iovcnt":
            val = pick(rng, ["1", "2", "16", "1024", "1025", "65536"])
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
            text += " ctxp=" + pick(rng, ["null", "unmapped", "readonly", "valid", "kernel", "allones"])
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
        return "show %s" % pick(rng, ["handles", "timeout", "ring " + ctx_ref(rng, names)]
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
