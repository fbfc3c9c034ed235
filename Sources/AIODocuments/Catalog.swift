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

/// One source's claim about one situation, in the project's own words, tied
/// to the lines of the document that make it.
public struct Claim: Sendable {
    public var source: Source
    public var expected: ExpectedReturn
    /// Side effects the source promises, keyed as CallRecord.observations is:
    /// e.g. "event_in_ring": false means "the event does not reach the ring".
    public var facts: [String: Bool]
    /// Our paraphrase of the claim.
    public var text: String
    /// Where the source says it, as data: every entry or page section it rests on.
    public var citations: [Citation]
    /// The claim holds only for these argument values (nil: for every call of the situation).
    public var condition: ArgumentCondition?
    /// The source also foresees the call dying of a signal (io_getevents(2) BUGS:
    /// "may cause a segmentation fault"): a crash agrees with it.
    public var predictsCrash: Bool
    /// For each fact, the entries or sections that promise it: a review holds
    /// a statement to the facts that rest on it, and only those.
    public var factCitations: [String: [Citation]]
    /// The citations the claim's return rests on (`cites:`), without those
    /// only its facts rest on.
    public var returnCitations: [Citation]

    public init(_ source: Source, _ expected: ExpectedReturn, facts: [String: Bool] = [:],
                factsCite factCitations: [String: [Citation]] = [:],
                when condition: ArgumentCondition? = nil, orCrash predictsCrash: Bool = false,
                _ text: String, cites citations: [Citation]) {
        precondition(!citations.isEmpty && citations.allSatisfy { $0.source == source },
                     "a \(source) claim cites \(source) text: \(text)")
        precondition(factCitations.keys.allSatisfy { facts[$0] != nil }
                     && factCitations.values.allSatisfy { $0.allSatisfy { $0.source == source } },
                     "a \(source) claim's facts cite \(source) text about its own facts: \(text)")
        self.source = source
        self.expected = expected
        self.facts = facts
        self.factCitations = factCitations
        self.returnCitations = citations
        self.text = text
        // A fact's citations are the claim's too (spec --kapi checks them, review finds them).
        var all = citations
        for list in factCitations.sorted(by: { $0.key < $1.key }).map(\.value) {
            for c in list where !all.contains(c) { all.append(c) }
        }
        self.citations = all
        self.condition = condition
        self.predictsCrash = predictsCrash
    }

    /// Where the source says it, for people: "io_cancel(2) ERRORS EAGAIN; ...".
    public var reference: String {
        citations.map(\.description).joined(separator: "; ") + (condition.map { " [when \($0)]" } ?? "")
    }

    /// Whether the cited text is about this call at all (man2 has no io_pgetevents page).
    public func applies(to syscall: AIOSyscall) -> Bool {
        citations.contains { $0.documents.contains(syscall) }
    }

    /// Whether the claim is about this call with these arguments.
    public func applies(to syscall: AIOSyscall, args: [(name: String, value: String)]) -> Bool {
        applies(to: syscall) && (condition?.holds(for: args) ?? true)
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

    /// The source's first claim (a source may have one per argument condition).
    public func claim(from source: Source) -> Claim? { claims.first { $0.source == source } }

    /// The claims that apply to one call: right syscall (io_pgetevents shares
    /// io_getevents' situations), arguments within each claim's condition.
    public func claims(for syscall: AIOSyscall, args: [(name: String, value: String)]) -> [Claim] {
        claims.filter { $0.applies(to: syscall, args: args) }
    }
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
    /// /proc/sys/fs/aio-nr grew by exactly the nr_events io_setup was given
    /// (what the kapi draft says, and what the kernel has done since 4.12).
    public static let aioNrGrewByNrEvents = "aio_nr_grew_by_nr_events"
    /// /proc/sys/fs/aio-nr is back at its value from before the context was set up.
    public static let aioNrRestored = "aio_nr_restored"
    /// io_setup changed *ctxp: true on success (the handle), false when it left it.
    public static let ctxpWritten = ObservationKey.ctxpWritten
    /// /proc/self/maps lists an [aio] mapping at the handle io_setup returned.
    public static let ringMapped = ObservationKey.ringMapped
    /// The ring's [aio] mapping is gone from /proc/self/maps when io_destroy returns.
    public static let ringUnmapped = ObservationKey.ringUnmapped
    /// io_submit wrote KIOCB_KEY (0) over a nonzero aio_key in every iocb it
    /// queued (observable only when the key was not 0 already).
    public static let aioKeyWritten = "aio_key_written"
    /// A happens-before fact about an io_destroy while a request of its context
    /// slept in io_submit: true when, at the write that freed the request, the
    /// destroy still slept in the kernel; false when the destroy returned while
    /// the request still slept there.
    public static let destroyWaited = "destroy_waited_for_requests"

    public static func describe(_ key: String, _ value: Bool) -> String {
        switch (key, value) {
        case (eventInRing, true): return "the event arrives through the ring"
        case (eventInRing, false): return "no event reaches the ring"
        case (resultWritten, true): return "the event is written to *result"
        case (resultWritten, false): return "*result is left untouched"
        case (aioNrGrewByNrEvents, true): return "aio-nr grows by nr_events"
        case (aioNrGrewByNrEvents, false): return "aio-nr grew by another amount than nr_events"
        case (aioNrRestored, true): return "aio-nr returns to its value before io_setup"
        case (aioNrRestored, false): return "aio-nr did not return to its value before io_setup"
        case (ctxpWritten, true): return "*ctxp receives the handle"
        case (ctxpWritten, false): return "*ctxp is left as it was"
        case (ringMapped, true): return "/proc/self/maps lists the ring ([aio]) at the handle"
        case (ringMapped, false): return "no [aio] mapping at the handle in /proc/self/maps"
        case (ringUnmapped, true): return "the ring's [aio] mapping is gone from /proc/self/maps when io_destroy returns"
        case (ringUnmapped, false): return "the ring's [aio] mapping is still in /proc/self/maps after io_destroy returned"
        case (aioKeyWritten, true): return "aio_key of each queued iocb is set to KIOCB_KEY (0)"
        case (aioKeyWritten, false): return "aio_key of a queued iocb keeps its nonzero value"
        case (destroyWaited, true): return "io_destroy returns only after the request sleeping in io_submit is freed"
        case (destroyWaited, false): return "io_destroy returned while a request still slept in io_submit"
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
