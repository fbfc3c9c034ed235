import AIOKernel
/// One source's claim set beside what the kernel did.
public struct Judgement: Sendable {
    public var source: Source
    public var claim: Claim
    /// The expected return as the call's convention would show it, when one value is named.
    public var expectedReturn: Int?
    public var expectedErrno: String?
    public var agrees: Bool
    /// What differed, in words ("said 0; the kernel returned -EINPROGRESS").
    public var differences: [String]

    /// The claim's return as this call makes it concrete ("1" for nr=1).
    public var expectedText: String {
        if case .equalsArgument = claim.expected, let v = expectedReturn { return "\(v)" }
        return claim.expected.description
    }
}

/// A call record with what the documents say about it: the situation it
/// was judged against and each source's judgement. The kernel layer's record
/// stays free of documents; its fields read through this one.
@dynamicMemberLookup
public struct JudgedCall: Sendable {
    public var record: CallRecord
    /// The catalog situation this call was judged against, when one applies.
    public var situation: String?
    /// Each source's claim for this situation and whether the kernel agreed.
    public var judgements: [Judgement] = []

    public init(_ record: CallRecord) { self.record = record }

    public subscript<T>(dynamicMember key: WritableKeyPath<CallRecord, T>) -> T {
        get { record[keyPath: key] }
        set { record[keyPath: key] = newValue }
    }

    public subscript<T>(dynamicMember key: KeyPath<CallRecord, T>) -> T { record[keyPath: key] }

    public func argumentValue(_ name: String) -> Int? { record.argumentValue(name) }
}

extension JudgedCall {
    /// Judges this call against every claim of a situation and records it.
    public mutating func judge(as situationID: String) {
        guard let situation = Catalog.situation(situationID) else {
            preconditionFailure("no catalog situation \(situationID)")
        }
        precondition(situation.syscall == record.syscall || (record.syscall == .io_pgetevents && situation.syscall == .io_getevents),
                     "situation \(situationID) is not about \(record.syscall)")
        self.situation = situationID
        // A page about io_getevents says nothing about io_pgetevents; a claim
        // for one range of an argument says nothing about another.
        judgements = situation.claims(for: record.syscall, args: record.args).map { judge(against: $0) }
    }

    func judge(against claim: Claim) -> Judgement {
        var differences: [String] = []
        var expectedReturn: Int?
        var expectedErrno: String?
        switch claim.expected {
        case .value(let v):
            expectedReturn = v
            if record.outcome != .value(v) { differences.append("said \(v); the kernel returned \(record.resultText)") }
        case .equalsArgument(let name):
            let v = argumentValue(name)
            expectedReturn = v
            if let v, record.outcome != .value(v) {
                differences.append("said \(v) (\(name)); the kernel returned \(record.resultText)")
            }
        case .countUpTo(let name):
            let limit = argumentValue(name) ?? Int.max
            if case .value(let v) = record.outcome, v >= 0, v <= limit {} else {
                differences.append("said a count 0..\(name); the kernel returned \(record.resultText)")
            }
        case .error(let e):
            expectedErrno = e.name
            expectedReturn = Outcome.error(e).returnValue(via: record.via)
            if record.outcome != .error(e) { differences.append("said -\(e.name); the kernel returned \(record.resultText)") }
        case .someError(let what):
            if case .value = record.outcome { differences.append("said an error (\(what)); the kernel returned \(record.resultText)") }
        }
        for (key, promised) in claim.facts.sorted(by: { $0.key < $1.key }) {
            guard let observed = record.observations[key], observed != promised else { continue }
            differences.append("said \(Fact.describe(key, promised)); observed: \(Fact.describe(key, observed))")
        }
        return Judgement(source: claim.source, claim: claim, expectedReturn: expectedReturn,
                         expectedErrno: expectedErrno, agrees: differences.isEmpty, differences: differences)
    }

    /// The judgement of one source, if that source documents this situation.
    public func judgement(by source: Source) -> Judgement? {
        judgements.first { $0.source == source }
    }
}

extension Claim {
    /// How a call that died of a signal (or hung) compares with this claim:
    /// nil when the claim foresees it (io_getevents(2) BUGS), else what differed.
    public func differenceFromCrash(_ what: String) -> String? {
        if predictsCrash && what.contains("killed by") { return nil }
        return "said \(expected); observed: \(what)"
    }
}
