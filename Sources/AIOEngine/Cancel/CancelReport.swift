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

    public var exitStatus: ExitStatus {
        switch interruptedBy {
        case 2?: return .interrupted
        case 15?: return .terminated
        default: return agrees ? .agrees : .differs
        }
    }

    /// How often each io_cancel result and each event res was seen.
    public var summary: (cancel: [(String, Int)], events: [(String, Int)], agreed: Int) {
        func tally(_ keys: [String]) -> [(String, Int)] {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for k in keys {
                if counts[k] == nil { order.append(k) }
                counts[k, default: 0] += 1
            }
            return order.map { ($0, counts[$0]!) }
        }
        let cancels = runs.map { $0.cancelCall.map { $0.resultText } ?? "not called" }
        let events = runs.flatMap { run in run.events.isEmpty ? ["no event"] : run.events.map(\.resText) }
        return (tally(cancels), tally(events), runs.filter { $0.agrees(with: options.expect) }.count)
    }

    public var json: JSON {
        var members: [(String, JSON)] = [
            ("command", .string("cancel")),
            ("target", .string(options.target.description)),
            ("request", .string(options.request.description)),
            ("via", .string(options.via.rawValue)),
            ("expect", .string(options.expect.rawValue)),
        ]
        if runs.count == 1 {
            members += CancelReport.runMembers(runs[0])
        } else {
            members.append(("count", .integer(runs.count)))
            members.append(("runs", .array(runs.map { .object(CancelReport.runMembers($0)) })))
            let s = summary
            members.append(("summary", .object([
                ("io_cancel", .object(s.cancel.map { ($0.0, .integer($0.1)) })),
                ("event_res", .object(s.events.map { ($0.0, .integer($0.1)) })),
                ("runs_agreeing", .integer(s.agreed)),
            ])))
        }
        members.append(("interrupted_by", .optional(interruptedBy.map { $0 == 2 ? "SIGINT" : "SIGTERM" })))
        members.append(("verdict", .string(agrees ? "agrees" : "differs")))
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
