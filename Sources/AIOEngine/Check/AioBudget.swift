import AIOKernel
import CAio
import Glibc

/// check's share of the machine's AIO events. aio-nr and aio-max-nr are
/// system-wide: every event check reserves is one another AIO user cannot
/// have. A run may start only while what check holds, its own events
/// included, stays within a quarter of what is free (aio-max-nr − aio-nr);
/// otherwise it waits for headroom, and past the wait it is skipped with the
/// numbers, rather than taking what another program needs.
public final class AioBudget: @unchecked Sendable {
    /// The share of the free events check may hold: 1/divisor.
    public static let divisor = 4

    private let held = Locked(0)
    private let waitNs: UInt64
    private let limits: @Sendable () -> (maxNr: Int, aioNr: Int)?

    public init(waitNs: UInt64 = CheckLimits.bound(5_000_000_000, cap: 60_000_000_000),
                limits: @escaping @Sendable () -> (maxNr: Int, aioNr: Int)? = AioBudget.readLimits) {
        self.waitNs = waitNs
        self.limits = limits
    }

    /// aio-max-nr is the administrator's setting, not a count that moves
    /// with use: read once per process (a check read it 640 times).
    public static let aioMaxNrAtStart = AioLimits.aioMaxNr

    @Sendable public static func readLimits() -> (maxNr: Int, aioNr: Int)? {
        guard let maxNr = aioMaxNrAtStart, let aioNr = AioLimits.aioNr else { return nil }
        return (maxNr, aioNr)
    }

    /// Events check holds now (reserved for runs in flight).
    public var holding: Int { held.value }

    /// Reserves `events` for one run. Returns nil when granted, else why the
    /// run cannot have them (it is then skipped with that reason). Waits for
    /// headroom until the wait bound or until `stop` says the run is off.
    public func acquire(_ events: Int, stop: () -> Bool) -> String? {
        guard events > 0 else { return nil }
        let deadline = Monotonic.now() + waitNs
        var last: (maxNr: Int, aioNr: Int)?
        while true {
            // Without /proc/sys/fs there is nothing to budget against.
            guard let now = limits() else { return nil }
            last = now
            if events > now.maxNr / Self.divisor {
                return "needs \(events) AIO events, more than a quarter of aio-max-nr (\(now.maxNr)): "
                    + "check leaves the rest to other AIO users"
            }
            let allowed = max(0, now.maxNr - now.aioNr) / Self.divisor
            let granted = held.withLock { h -> Bool in
                guard h + events <= allowed else { return false }
                h += events
                return true
            }
            if granted { return nil }
            if stop() || Monotonic.now() >= deadline { break }
            Monotonic.sleep(until: Monotonic.now() + 2_000_000)
        }
        let seen = last.map { "aio-max-nr \($0.maxNr), aio-nr \($0.aioNr)" } ?? "aio-nr unknown"
        return "waited \(formatDuration(waitNs)) for \(events) AIO events within check's quarter of the free "
            + "capacity (\(seen), check holding \(holding))"
    }

    /// Whether AIO can be used here at all: one io_setup(1) of our own.
    /// Refused with ENOSYS (no CONFIG_AIO), EPERM (a seccomp filter) or
    /// EAGAIN while aio-nr is at aio-max-nr, every run would only say the
    /// same, so check skips them all with `unavailable` and exits 4. A
    /// context it made comes back in `context` for the caller to destroy
    /// later: destroying it here would put a grace period (~30 ms) in front
    /// of everything check does.
    public static func probe() -> (unavailable: String?, context: caio_context_t?) {
        var ctx = caio_context_t()
        let call = AIO.setup(nrEvents: 1, ctxp: &ctx, via: .syscall)
        switch call.outcome {
        case .value(0):
            return (nil, ctx)
        case .error(.noFunction), .error(.notPermitted):
            return ("AIO is unavailable here: io_setup(1) returned \(call.resultText)", nil)
        case .error(.resourceTemporarilyUnavailable):
            guard let maxNr = AioLimits.aioMaxNr, let nr = AioLimits.aioNr, maxNr - nr < 1 else { return (nil, nil) }
            return ("AIO is unavailable here: io_setup(1) returned \(call.resultText) with aio-nr \(nr) at aio-max-nr", nil)
        default:
            return (nil, nil)
        }
    }

    public func release(_ events: Int) {
        guard events > 0 else { return }
        held.withLock { $0 -= events }
    }

    /// The events a scenario's successful io_setup calls reserve: the
    /// nr_events each passes (what the kernel adds to aio-nr). A size the
    /// kernel refuses before reserving (zero, negative, past aio-max-nr or
    /// past its internal limit) reserves nothing.
    public static func footprint(of scenario: Scenario, maxNr: Int? = AioBudget.aioMaxNrAtStart) -> Int {
        let maxNr = maxNr ?? 65536
        func events(_ step: Step) -> Int {
            switch step {
            case .setup(_, let nrEvents, _, _):
                let n: Int
                switch nrEvents {
                case .count(let c): n = c
                case .aioMaxNr(let plus): n = maxNr &+ plus
                }
                return n >= 1 && n <= maxNr && n <= AioLimits.internalLimit ? n : 0
            case .subject(let inner), .background(let inner), .inForkedChild(let inner): return events(inner)
            default: return 0
            }
        }
        return scenario.steps.map(events).reduce(0, +)
    }
}
