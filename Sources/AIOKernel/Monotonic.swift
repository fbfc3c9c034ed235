import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: every timestamp in a report is one of these.
public enum Monotonic {
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Nanoseconds left until `deadline`, 0 once it has passed. One reading
    /// of the clock: comparing with one reading and subtracting another
    /// traps when the deadline passes in between.
    public static func remaining(until deadline: UInt64) -> UInt64 {
        let now = now()
        return deadline > now ? deadline - now : 0
    }

    /// Sleeps until the absolute monotonic time `deadline`, resuming after
    /// signals; returns early only when `shouldStop` says so.
    public static func sleep(until deadline: UInt64, shouldStop: () -> Bool = { false }) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {
            if shouldStop() { return }
        }
    }

    public static func timespecFor(nanoseconds ns: UInt64) -> timespec {
        timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
    }
}
