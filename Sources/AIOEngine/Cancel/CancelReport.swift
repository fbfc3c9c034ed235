import AIODocuments
import AIOKernel
/// The outcome of `aioctl cancel`: the options, every run, and the verdict.
public struct CancelReport: Sendable {
    public var options: CancelOptions
    public var runs: [CancelRun]

    public init(options: CancelOptions, runs: [CancelRun]) {
        self.options = options
        self.runs = runs
    }

    public var agrees: Bool { runs.allSatisfy { $0.agrees(with: options.expect) } }
    public var interruptedBy: Int32? { runs.lazy.compactMap(\.interruptedBy).first }

    public var exitStatus: ExitStatus { tally.exitStatus }

    /// The counts of every run, as `--count` keeps them when it streams.
    public var tally: CancelTally {
        var t = CancelTally(expect: options.expect)
        for run in runs { t.add(run) }
        return t
    }

    /// How often each io_cancel result and each event res was seen.
    public var summary: (cancel: [(String, Int)], events: [(String, Int)], agreed: Int) {
        let t = tally
        return (t.cancelResults, t.eventResults, t.agreed)
    }

    public var json: JSON {
        if runs.count == 1 {
            var members = CancelReport.headerMembers(options)
            members += CancelReport.runMembers(runs[0])
            let t = tally
            members.append(("interrupted_by", .optional(t.interruptedBy.map { $0 == 2 ? "SIGINT" : "SIGTERM" })))
            members.append(("verdict", .string(t.agrees ? "agrees" : "differs")))
            return .object(members)
        }
        return CancelReport.document(options, tally: tally, runs: .array(runs.map { .object(CancelReport.runMembers($0)) }))
    }

    static func headerMembers(_ options: CancelOptions) -> [(String, JSON)] {
        [
            ("command", .string("cancel")),
            ("target", .string(options.target.description)),
            ("request", .string(options.request.description)),
            ("via", .string(options.via.rawValue)),
            ("expect", .string(options.expect.rawValue)),
        ]
    }

    /// The document of several runs; `runs` is the array, or a stand-in the
    /// streaming writer replaces with the runs it kept on disk.
    static func document(_ options: CancelOptions, tally t: CancelTally, runs: JSON) -> JSON {
        var members = headerMembers(options)
        members.append(("count", .integer(t.runs)))
        members.append(("runs", runs))
        members.append(("summary", .object([
            ("io_cancel", .object(t.cancelResults.map { ($0.0, .integer($0.1)) })),
            ("event_res", .object(t.eventResults.map { ($0.0, .integer($0.1)) })),
            ("runs_agreeing", .integer(t.agreed)),
        ])))
        members.append(("interrupted_by", .optional(t.interruptedBy.map { $0 == 2 ? "SIGINT" : "SIGTERM" })))
        members.append(("verdict", .string(t.agrees ? "agrees" : "differs")))
        return .object(members)
    }

    static func runMembers(_ run: CancelRun) -> [(String, JSON)] {
        [
            ("calls", .array(run.calls.map(\.json))),
            ("events", .array(run.events.map(\.json))),
            ("expected_events", .integer(run.expectedEvents)),
            ("missing_events", .integer(run.missingEvents)),
            ("extra_events", .integer(run.extraEvents)),
            ("requested_delay_us", run.requestedDelayNs.map { .double(Double($0) / 1000) } ?? .null),
            ("actual_delay_us", run.actualDelayNs.map { .double(Double($0) / 1000) } ?? .null),
            ("cancelled_during_submit", .bool(run.cancelledDuringSubmit)),
            ("submit_elapsed_us", .double(Double(run.submitElapsedNs) / 1000)),
            ("ready", .optional(run.readyAction)),
            ("unblock", .optional(run.unblockAction)),
            ("unblock_after_us", run.unblockAfterNs.map { .double(Double($0) / 1000) } ?? .null),
            ("timed_out", .bool(run.timedOut)),
            ("notes", .array(run.notes.map { .string($0) })),
        ]
    }
}

/// What `--count` keeps of its runs: counts, not records, so memory stays
/// flat however many runs there are.
public struct CancelTally: Sendable {
    public let expect: Source
    public private(set) var runs = 0
    public private(set) var agreed = 0
    /// Each io_cancel result and each event res, in the order first seen.
    public private(set) var cancelResults: [(String, Int)] = []
    public private(set) var eventResults: [(String, Int)] = []
    public private(set) var interruptedBy: Int32?
    public private(set) var timedOutRuns = 0

    public init(expect: Source) { self.expect = expect }

    public mutating func add(_ run: CancelRun) {
        runs += 1
        if run.agrees(with: expect) { agreed += 1 }
        if run.timedOut { timedOutRuns += 1 }
        if interruptedBy == nil { interruptedBy = run.interruptedBy }
        CancelTally.count(run.cancelCall.map { $0.resultText } ?? "not called", in: &cancelResults)
        if run.events.isEmpty { CancelTally.count("no event", in: &eventResults) }
        for event in run.events { CancelTally.count(event.resText, in: &eventResults) }
    }

    private static func count(_ key: String, in list: inout [(String, Int)]) {
        if let i = list.firstIndex(where: { $0.0 == key }) { list[i].1 += 1 } else { list.append((key, 1)) }
    }

    public var agrees: Bool { agreed == runs }

    public var exitStatus: ExitStatus {
        switch interruptedBy {
        case 2?: return .interrupted
        case 15?: return .terminated
        default: return agrees ? .agrees : .differs
        }
    }
}

extension ObservedEvent {
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("res", .integer(res)),
            ("res_errno", .optional(resErrno)),
        ]
        if isPoll { members.append(("res_poll", .string(PollEvents(rawValue: UInt32(truncatingIfNeeded: max(res, 0))).description))) }
        members += [
            ("res2", .integer(res2)),
            ("obj_matches", .bool(objMatches)),
            ("data_matches", .bool(dataMatches)),
            ("after_us", .double(Double(afterNs) / 1000)),
        ]
        return .object(members)
    }
}
