import AIOKernel
import SystemPackage

/// What a source says a call returns in one situation.
public enum ExpectedReturn: Sendable, Equatable, CustomStringConvertible {
    /// Exactly this non-negative value.
    case value(Int)
    /// A count from 0 up to the call's own argument of that name (e.g. "nr").
    case countUpTo(argument: String)
    /// Exactly the value of the call's own argument of that name.
    case equalsArgument(String)
    /// Some failure the source does not pin down (a driver's own error).
    case someError(String)
    /// Failure with this errno (io_cancel's -EINPROGRESS is one, whatever kapi calls it).
    case error(Errno)

    public var description: String {
        switch self {
        case .value(let v): return "\(v)"
        case .countUpTo(let arg): return "0..\(arg)"
        case .equalsArgument(let arg): return arg
        case .someError(let what): return "-(\(what))"
        case .error(let e): return "-\(e.name)"
        }
    }
}

/// One source's claim about one situation, in the project's own words.
public struct Claim: Sendable {
    public var source: Source
    public var expected: ExpectedReturn
    /// Side effects the source promises, keyed as CallRecord.observations is:
    /// e.g. "event_in_ring": false means "the event does not reach the ring".
    public var facts: [String: Bool]
    /// Our paraphrase of the claim.
    public var text: String
    /// Where the source says it ("io_cancel(2) RETURN VALUE").
    public var reference: String

    public init(_ source: Source, _ expected: ExpectedReturn, facts: [String: Bool] = [:],
                _ text: String, ref reference: String) {
        self.source = source
        self.expected = expected
        self.facts = facts
        self.text = text
        self.reference = reference
    }
}

/// A documented situation of one syscall, and every claim made about it.
public struct Situation: Sendable {
    public var id: String
    public var syscall: AIOSyscall
    public var summary: String
    public var claims: [Claim]

    public init(_ id: String, _ syscall: AIOSyscall, _ summary: String, _ claims: [Claim]) {
        self.id = id
        self.syscall = syscall
        self.summary = summary
        self.claims = claims
    }

    public func claim(from source: Source) -> Claim? { claims.first { $0.source == source } }
}

/// Names for the observations a claim can be about.
public enum Fact {
    /// The request's completion event was delivered through the ring.
    public static let eventInRing = "event_in_ring"
    /// The kernel wrote an event into io_cancel's *result.
    public static let resultWritten = ObservationKey.resultWritten
    /// Prefix of "event_res_EAGAIN" and the like: a reaped event of the
    /// subject's batch carried that negative errno in res.
    public static let eventResPrefix = "event_res_"
    public static func eventRes(_ e: Errno) -> String { eventResPrefix + e.name }
    /// /proc/sys/fs/aio-nr grew by the reserved amount, max(nr_events, 4 per CPU) * 2.
    public static let aioNrGrewByReserved = "aio_nr_grew_by_reserved"
    /// /proc/sys/fs/aio-nr is back at its value from before the context was set up.
    public static let aioNrRestored = "aio_nr_restored"

    public static func describe(_ key: String, _ value: Bool) -> String {
        switch (key, value) {
        case (eventInRing, true): return "the event arrives through the ring"
        case (eventInRing, false): return "no event reaches the ring"
        case (resultWritten, true): return "the event is written to *result"
        case (resultWritten, false): return "*result is left untouched"
        case (aioNrGrewByReserved, true): return "aio-nr grows by the reserved amount (nr_events * 2, at least 8 per CPU)"
        case (aioNrGrewByReserved, false): return "aio-nr grew by another amount"
        case (aioNrRestored, true): return "aio-nr returns to its value before io_setup"
        case (aioNrRestored, false): return "aio-nr did not return to its value before io_setup"
        case (_, true) where key.hasPrefix(eventResPrefix):
            return "the event's res is -" + key.dropFirst(eventResPrefix.count)
        case (_, false) where key.hasPrefix(eventResPrefix):
            return "no event's res is -" + key.dropFirst(eventResPrefix.count)
        default: return "\(key)=\(value)"
        }
    }
}

/// The expectation catalog: every situation aioctl knows a claim about.
public enum Catalog {
    public static let all: [Situation] =
        ioSetupSituations + ioDestroySituations + ioSubmitSituations
        + ioCancelSituations + ioGeteventsSituations

    private static let byID: [String: Situation] = {
        var table: [String: Situation] = [:]
        for s in all {
            precondition(table[s.id] == nil, "duplicate situation \(s.id)")
            table[s.id] = s
        }
        return table
    }()

    public static func situation(_ id: String) -> Situation? { byID[id] }

    public static func situations(for syscall: AIOSyscall) -> [Situation] {
        all.filter { $0.syscall == syscall }
    }
}
