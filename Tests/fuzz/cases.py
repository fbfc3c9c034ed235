"""What a fuzz case is, and the values every generator draws from."""

import math

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
