import AIODocuments
import AIOKernel
/// One entry of `aioctl check`'s table: what to set up, what to call, and the
/// catalog situation the subject call meets. Adding a case is adding one of these.
public struct Scenario: Sendable {
    /// "io_cancel.pending-poll-pipe": the syscall, a dot, what is different.
    public var name: String
    /// The catalog situation the subject step is judged against.
    public var situation: String
    public var fixtures: [String: Fixture]
    public var iocbs: [String: IocbSpec]
    public var steps: [Step]
    /// Which runs go to a child process (see Isolation).
    public var isolate: Isolation
    /// Changes system-wide aio-nr or needs it quiet: run alone, after the others.
    public var exclusive: Bool
    /// Why the situation cannot be provoked here, checked just before running (nil: it can).
    public var precondition: (@Sendable () -> String?)?
    /// The LTP test cases this scenario reproduces.
    public var ltp: [String]

    public init(_ name: String, _ situation: String,
                fixtures: [String: Fixture] = [:], iocbs: [String: IocbSpec] = [:],
                isolate: Isolation = .none, exclusive: Bool = false, ltp: [String] = [],
                precondition: (@Sendable () -> String?)? = nil,
                _ steps: [Step]) {
        self.name = name
        self.situation = situation
        self.fixtures = fixtures
        self.iocbs = iocbs
        self.steps = steps
        self.isolate = isolate
        self.exclusive = exclusive
        self.precondition = precondition
        self.ltp = ltp
    }

    public var syscall: AIOSyscall {
        // The subject's own call decides (io_pgetevents is judged by io_getevents' situations).
        switch subjectStep {
        case .setup?: return .io_setup
        case .submit?, .fill?: return .io_submit
        case .cancel?: return .io_cancel
        case .getevents?, .reap?: return .io_getevents
        case .pgetevents?: return .io_pgetevents
        case .destroy?: return .io_destroy
        default: return Catalog.situation(situation)?.syscall ?? .io_setup
        }
    }

    /// Roughly how long a run holds its worker, so that the longest start
    /// first: its sleeps, the waits that a timeout or a signal ends, and the
    /// destroys of real contexts (each waits out a grace period, ~30 ms).
    /// A wait after a `ready` step costs nothing (a read of a file, done at
    /// submission, is not seen: an overestimate only starts it early); a
    /// signal the mask blocks does not end the wait. Teardown destroys are
    /// not counted: the reaper makes them.
    public var expectedMs: Int {
        var readied = false
        func wait(_ timeout: Timeout, signalMs: Int?, masked: Bool) -> Int {
            if let signalMs, !masked { return signalMs }
            if readied { return 0 }
            if case .duration(let ns) = timeout { return Int(ns / 1_000_000) }
            return signalMs ?? 0
        }
        func cost(_ step: Step) -> Int {
            switch step {
            case .sleep(let ms): return ms
            case .ready: readied = true; return 0
            case .getevents(_, _, _, _, let timeout, let signal):
                return wait(timeout, signalMs: signal, masked: false)
            case .pgetevents(_, _, _, _, let timeout, let sigmask, let signal):
                return wait(timeout, signalMs: signal, masked: sigmask == .blockingUSR1)
            case .destroy(.named): return 30
            case .subject(let inner), .background(let inner), .inForkedChild(let inner): return cost(inner)
            default: return 0
            }
        }
        return steps.map(cost).reduce(0, +)
    }

    /// The step the scenario is about, found also inside a background step.
    public var subjectStep: Step? {
        func find(_ step: Step) -> Step? {
            switch step {
            case .subject(let inner): return inner
            case .background(let inner): return find(inner)
            default: return nil
            }
        }
        return steps.lazy.compactMap(find).first
    }
}

/// When a scenario runs in a child process instead of on the pool. A call
/// that can kill the caller (libaio's user-space read of a bad ring or
/// timeout) needs no isolation here: the runner makes that one call in a
/// forked child of its own, whatever the door.
public enum Isolation: String, Sendable {
    case none
    /// Reuses a destroyed handle, whose address another thread's io_setup may
    /// be given for its new ring: every run goes to a child, shared with the
    /// other such scenarios of its convention. There they all make their
    /// io_setup calls before any of them destroys (a barrier), so no ring
    /// can land on a freed address.
    case staleHandle
    /// Reuses a destroyed handle and needs its address to stay unmapped
    /// (libaio reads the ring there): in a batch, another run's memory may
    /// land on it and change what libaio reads. A child of its own per run.
    case alone

    public func applies(to via: Via) -> Bool { self != .none }
}

/// How one source's claim compared with the kernel in one scenario run.
public struct SourceVerdict: Sendable {
    public enum State: String, Sendable {
        case agrees, differs
        /// The source says nothing about this situation: counted as a pass, with a note.
        case noClaim = "no-claim"
    }

    public var source: Source
    public var state: State
    /// The claim's return as this call makes it concrete ("-EINVAL", "1", "0..nr").
    public var expected: String?
    public var claim: String?
    public var reference: String?
    public var differences: [String]

    public init(source: Source, state: State, expected: String?, claim: String?, reference: String?,
                differences: [String]) {
        (self.source, self.state, self.expected, self.claim, self.reference, self.differences) =
            (source, state, expected, claim, reference, differences)
    }
}

/// What one scenario did through one convention.
public struct ScenarioResult: Sendable {
    public enum Status: String, Sendable {
        /// The subject call was made and judged.
        case ran
        /// The precondition could not be met here; `skipReason` says why.
        case skipped
        /// The isolated child died or hung; `observed` says how.
        case crashed
    }

    public var name: String
    public var syscall: AIOSyscall
    public var situation: String
    public var via: Via
    public var status: Status
    public var skipReason: String?
    /// The subject's answer as the convention shows it: "-EINVAL (-22)", "-1 errno=EINVAL", "1",
    /// or "killed by SIGSEGV".
    public var observed: String
    public var observedReturn: Int?
    public var observedErrno: String?
    /// Completion events reaped during the run: "iocb p1: res=-EFAULT res2=0".
    public var events: [String]
    public var verdicts: [SourceVerdict]
    /// Every call of the run, in order, as `aioctl cancel --json` writes calls.
    public var calls: [JSON]
    /// Every call as text, for -v.
    public var callLines: [String]
    public var notes: [String]
    public var isolated: Bool
    public var elapsedNs: UInt64

    public init(name: String, syscall: AIOSyscall, situation: String, via: Via, status: Status, skipReason: String?,
                observed: String, observedReturn: Int?, observedErrno: String?, events: [String],
                verdicts: [SourceVerdict], calls: [JSON], callLines: [String], notes: [String], isolated: Bool,
                elapsedNs: UInt64) {
        self.name = name
        self.syscall = syscall
        self.situation = situation
        self.via = via
        self.status = status
        self.skipReason = skipReason
        self.observed = observed
        self.observedReturn = observedReturn
        self.observedErrno = observedErrno
        self.events = events
        self.verdicts = verdicts
        self.calls = calls
        self.callLines = callLines
        self.notes = notes
        self.isolated = isolated
        self.elapsedNs = elapsedNs
    }

    public func verdict(for source: Source) -> SourceVerdict? { verdicts.first { $0.source == source } }

    /// pass/fail/skip against the chosen source: no claim passes; a crash
    /// fails unless the source foresees it (then its verdict agrees).
    public func passes(against source: Source) -> Bool? {
        if status == .skipped { return nil }
        if status == .crashed { return verdict(for: source)?.state == .agrees }
        return verdict(for: source)?.state != .differs
    }
}

extension ScenarioResult {
    /// Every source's verdict on a judged call; a source without a claim is no-claim.
    static func verdicts(for record: JudgedCall) -> [SourceVerdict] {
        Source.allCases.map { source in
            guard let j = record.judgement(by: source) else {
                return SourceVerdict(source: source, state: .noClaim, expected: nil, claim: nil,
                                     reference: nil, differences: [])
            }
            return SourceVerdict(source: source, state: j.agrees ? .agrees : .differs, expected: j.expectedText,
                                 claim: j.claim.text, reference: j.claim.reference, differences: j.differences)
        }
    }
}
