import AIODocuments
import AIOKernel
/// When a race setting ends.
public enum RaceStop: Equatable, Sendable {
    /// This many iterations per setting.
    case iterations(Int)
    /// This long per setting.
    case duration(nanoseconds: UInt64)

    var isDuration: Bool {
        if case .duration = self { return true }
        return false
    }
}

/// One point of a run: where io_cancel and the target's readiness fall,
/// both measured from the io_submit call.
public struct RaceSetting: Equatable, Sendable {
    public var cancelAfterNs: UInt64
    /// nil: the target is never made ready (no readiness thread at all).
    public var readyAfterNs: UInt64?

    /// Readiness relative to the cancel: negative is before it.
    public var offsetNs: Int64? { readyAfterNs.map { Int64($0) - Int64(cancelAfterNs) } }
}

/// Everything `aioctl race` needs, validated.
public struct RaceOptions: Sendable {
    public static let targets: [TargetSpec] = [.pipe, .socketpair, .eventfd]

    public var target: TargetSpec = .pipe
    public var cancelAfterNs: UInt64 = 20_000
    /// Ignored when `sweep` is set: the sweep decides readiness.
    public var readyAfter: DelaySpec = .nanoseconds(20_000)
    public var sweep: SweepSpec?
    public var stop: RaceStop = .iterations(10_000)
    /// How long io_getevents waits for an iteration's one event; past it the
    /// event counts as lost.
    public var reapTimeoutNs: UInt64 = 1_000_000_000
    public var via: Via = .libaio

    /// The longest --cancel-after or readiness delay.
    public static let maxDelayNs: UInt64 = 1_000_000_000

    public init() {}

    public func validate() throws {
        guard RaceOptions.targets.contains(target) else {
            throw UsageError("race --target is pipe, socketpair or eventfd (not \(target))")
        }
        switch stop {
        case .iterations(let n) where n < 1: throw UsageError("--iterations must be at least 1")
        case .duration(let ns) where ns == 0: throw UsageError("--duration must be longer than 0")
        default: break
        }
        guard reapTimeoutNs > 0 else { throw UsageError("--reap-timeout must be longer than 0") }
        // Both delays are timed by spinning a core (no SIGINT gets in); a
        // race is a matter of microseconds.
        guard cancelAfterNs <= RaceOptions.maxDelayNs else {
            throw UsageError("--cancel-after \(formatDuration(cancelAfterNs)) is longer than \(formatDuration(RaceOptions.maxDelayNs)), the most a race waits")
        }
        let latestReady = sweep.map { UInt64(clamping: Int64(clamping: cancelAfterNs) &+ $0.toNs) } ?? readyAfter.nanoseconds ?? 0
        guard latestReady <= RaceOptions.maxDelayNs else {
            throw UsageError("readiness at \(formatDuration(latestReady)) is later than \(formatDuration(RaceOptions.maxDelayNs)), the most a race waits")
        }
        if let sweep, sweep.fromNs < -Int64(cancelAfterNs) {
            throw UsageError("--sweep offset \(formatSignedDuration(sweep.fromNs)) would make the target ready before io_submit; raise --cancel-after to at least \(formatDuration(sweep.fromNs.magnitude))")
        }
    }

    /// The settings in run order: one per sweep offset, or the single fixed one.
    public var settings: [RaceSetting] {
        guard let sweep else {
            return [RaceSetting(cancelAfterNs: cancelAfterNs, readyAfterNs: readyAfter.nanoseconds)]
        }
        return sweep.offsets.map {
            RaceSetting(cancelAfterNs: cancelAfterNs, readyAfterNs: UInt64(Int64(cancelAfterNs) + $0))
        }
    }
}
