import CAio
import Glibc

/// How much slower than the development machine this one is, right now: the
/// factor every bound that only exists to stop a wait scales by (a child's
/// watchdog, "the event arrives within 100 ms", "the thread sleeps in the
/// kernel within 2 s"). A VM under TCG emulation is 10-50x slower; a fixed
/// bound there turns a slow run into a "hang" or a missing event.
///
/// Never used to decide what happened: a bound that is too long only makes a
/// real hang take longer to report. The factor is at least 1, so nothing
/// gets shorter than the bound written in the scenario.
public enum MachinePace {
    /// The reference work's median time on the development machine (2 vCPUs,
    /// kernel 6.18, idle: 120-250 µs; 400 µs while a build runs): 32 pipe
    /// round trips and two thread starts.
    static let nominalNs: UInt64 = 250_000

    /// Where the factor came from, for `info` and check's header.
    public enum Origin: String, Sendable {
        case measured
        /// AIOCTL_PACE in the environment.
        case environment
    }

    /// Measured once, on first use (~0.5 ms here; milliseconds under emulation).
    public static let current: (factor: Double, origin: Origin) = {
        if let text = getenv("AIOCTL_PACE").map({ String(cString: $0) }) {
            if let given = Double(text), given.isFinite, given >= 1, given <= 1000 { return (given, .environment) }
        }
        return (measure(), .measured)
    }()

    public static var factor: Double { current.factor }

    /// `ns` on this machine: at least `ns`, at most a day.
    public static func scaled(_ ns: UInt64) -> UInt64 {
        let value = Double(ns) * factor
        return value >= 86_400e9 ? 86_400_000_000_000 : UInt64(value)
    }

    /// The median of five samples of the reference work against its nominal
    /// time, kept between 1 and 200. Median, not minimum: a machine that is
    /// slow because it is loaded is slow for the runs that follow too.
    static func measure() -> Double {
        var samples = (0..<5).map { _ in sample() }
        samples.sort()
        let ratio = Double(samples[2]) / Double(nominalNs)
        return min(200, max(1, (ratio * 10).rounded(.up) / 10))
    }

    /// System calls, wake-ups and thread starts: what emulation and load slow
    /// down, and what check's waits are made of.
    static func sample() -> UInt64 {
        let start = Monotonic.now()
        var fds: [Int32] = [-1, -1]
        var byte: UInt8 = 1
        for _ in 0..<32 {
            guard caio_pipe2(&fds, O_CLOEXEC) == 0 else { break }
            _ = write(fds[1], &byte, 1)
            _ = read(fds[0], &byte, 1)
            close(fds[0])
            close(fds[1])
        }
        for _ in 0..<2 {
            guard case .success(let thread) = WorkerThread.start(patienceNs: 0, {}) else { break }
            thread.join()
        }
        return Monotonic.now() - start
    }
}

extension MachinePace {
    /// "12.5x the development machine (measured): check's bounds and watchdogs scale by it".
    public static func describe(_ factor: Double, _ origin: Origin) -> String {
        let from = origin == .environment ? "AIOCTL_PACE" : "measured"
        return "\(factor)x the development machine (\(from)): check's wait bounds and watchdogs scale by it"
    }
}
