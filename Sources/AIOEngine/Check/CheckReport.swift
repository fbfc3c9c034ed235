import AIODocuments
import AIOKernel
import Glibc
/// The results of a check run and what they add up to against the chosen source.
public struct CheckReport {
    public var results: [ScenarioResult]
    public var expect: Source
    public var elapsedNs: UInt64
    /// SIGINT or SIGTERM, when it ended the check before every run was made.
    public var interruptedBy: Int32?
    /// How many of the results stand for runs the interruption took.
    public var interruptedRuns: Int

    public init(results: [ScenarioResult], expect: Source, elapsedNs: UInt64, interruptedBy: Int32? = nil,
                interruptedRuns: Int = 0) {
        self.results = results
        self.expect = expect
        self.elapsedNs = elapsedNs
        self.interruptedBy = interruptedBy
        self.interruptedRuns = interruptedRuns
    }

    public struct Tally: Sendable {
        public var pass = 0, fail = 0, skip = 0
        public var total: Int { pass + fail + skip }
    }

    /// pass/fail/skip against the chosen source (a source without a claim passes).
    public var tally: Tally { tally(results) }

    public func tally(_ subset: [ScenarioResult]) -> Tally {
        var t = Tally()
        for r in subset {
            switch r.passes(against: expect) {
            case nil: t.skip += 1
            case true?: t.pass += 1
            case false?: t.fail += 1
            }
        }
        return t
    }

    /// How often one source agreed with the kernel, over the runs that were made.
    public struct Agreement: Sendable {
        public var agrees = 0, differs = 0, noClaim = 0
    }

    public func agreement(of source: Source) -> Agreement {
        var a = Agreement()
        for r in results where r.status != .skipped {
            switch r.verdict(for: source)?.state ?? .noClaim {
            case .agrees: a.agrees += 1
            case .differs: a.differs += 1
            case .noClaim: a.noClaim += 1
            }
        }
        return a
    }

    /// kselftest's convention: 1 if anything differed, 4 if everything was
    /// skipped, else 0; 130/143 after SIGINT/SIGTERM whatever was found.
    public var exitStatus: ExitStatus {
        switch interruptedBy {
        case SIGINT?: return .interrupted
        case SIGTERM?: return .terminated
        default: break
        }
        let t = tally
        if t.fail > 0 { return .differs }
        if t.total > 0 && t.skip == t.total { return .unavailable }
        return .agrees
    }

    /// The situations where the kernel disagreed with a source: the findings.
    public func findings(for source: Source) -> [(situation: String, scenarios: [String])] {
        var order: [String] = []
        var byID: [String: [String]] = [:]
        for r in results where r.verdict(for: source)?.state == .differs {
            if byID[r.situation] == nil { order.append(r.situation) }
            let label = "\(r.name) \(r.via.rawValue)"
            byID[r.situation, default: []].append(label)
        }
        return order.map { ($0, byID[$0]!) }
    }

    public var json: JSON { .array(results.map { $0.json(expect: expect) }) }
}
