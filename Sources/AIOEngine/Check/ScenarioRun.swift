import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// How much of each call a result keeps, for the output that will show it:
/// rendering every call of 240 runs as text and JSON is a tenth of a
/// check's CPU, wasted when the output shows neither.
public enum CallDetail: String, CaseIterable, Sendable {
    /// Neither: the summary line, KTAP and TAP show only the verdicts.
    case none
    /// The call listings (`check -v`).
    case text
    /// The listings and each call as JSON (`--format json`, the children's results).
    case all
}

/// One (scenario, via) of `aioctl check`, run by the one runner every door
/// uses: the scenario's program executed by a ScriptSession, whose classifier
/// files every call. The subject's situation is whatever the classifier
/// finds; the scenario's declared situation is the classifier's test oracle,
/// not an input.
public final class ScenarioRun {
    let scenario: Scenario
    let via: Via
    let expect: Source
    /// Bounds the whole run: timers, blocked calls and all (the per-scenario watchdog).
    let limitNs: UInt64
    /// What the result keeps of each call.
    let detail: CallDetail

    /// Called after the program's quiet part, and in any case when the run ends.
    public var onQuietEnd: (() -> Void)?
    /// Called before any line that destroys a named context (a stale-handle batch's barrier).
    public var beforeDestroy: (() -> Void)?

    public init(_ scenario: Scenario, via: Via, expect: Source = .kapi, limitNs: UInt64 = CheckLimits.runNs,
                detail: CallDetail = .all) {
        self.scenario = scenario
        self.via = via
        self.expect = expect
        self.limitNs = limitNs
        self.detail = detail
    }

    /// Runs the program; a precondition that fails, a helper call the kernel
    /// refuses or a line that cannot run makes the result a SKIP that says why.
    public func run(reaper: Reaper? = nil) -> ScenarioResult {
        let start = Monotonic.now()
        if let reason = scenario.precondition?() {
            onQuietEnd?()
            return skipped(reason, calls: [], elapsed: Monotonic.now() - start)
        }
        let program = scenario.program()
        let session = ScriptSession(via: via, expect: expect, timeoutNs: limitNs)
        var stopped: String?
        for line in program.lines {
            if destroysANamedContext(line.statement) { beforeDestroy?() }
            do { try session.execute(line) } catch {
                stopped = "line \(line.number) (\(line.text)) could not run: " + String(describing: error)
            }
            if let quiet = program.quietEndsAfterLine, line.number == quiet { onQuietEnd?() }
            // SIGINT/SIGTERM: check is ending; the teardown below still runs.
            if stopped != nil || session.timedOut || Interrupts.pending != nil { break }
        }
        let records = session.finish(teardownOn: reaper)
        onQuietEnd?()
        return result(program, records, aioNrReadings: session.lock.withLock { _ in session.aioNrReadings },
                      stopped: stopped, timedOut: session.timedOut, elapsed: Monotonic.now() - start)
    }

    func destroysANamedContext(_ s: Statement) -> Bool {
        switch s {
        case .destroy(.named, _): return true
        case .after(_, let inner), .fork(let inner): return destroysANamedContext(inner)
        default: return false
        }
    }

    func result(_ program: ScenarioProgram, _ records: [ScriptStepRecord], aioNrReadings readings: [Int],
                stopped: String?, timedOut: Bool, elapsed: UInt64) -> ScenarioResult {
        let calls = records.flatMap(\.calls).sorted { $0.startNs < $1.startNs }
        if let problem = helperProblem(program, records) ?? stopped {
            return skipped(problem, calls: calls, elapsed: elapsed)
        }
        let subjectRecords = records.filter { $0.line == program.subjectLine }
        if subjectRecords.allSatisfy({ $0.calls.isEmpty }),
           let death = subjectRecords.flatMap({ $0.messages }).first(where: { (m: String) in m.contains(": killed by ") }) {
            // libaio's user-space ring read, run in a child by the runner, killed that child.
            let words = death.split(separator: " ")
            let by = words.indices.first { $0 > 0 && words[$0 - 1] == "killed" && words[$0] == "by" }
            let signal = by.flatMap { $0 + 1 < words.count ? String(words[$0 + 1]) : nil } ?? "a signal"
            var crashed = ChildRun.crashed(scenario, via, "\(via.rawValue): killed by \(signal)", Monotonic.now() - elapsed)
            crashed.isolated = false  // the run was in this process; only the call had a child
            crashed.calls = detail == .all ? calls.map(\.json) : []
            crashed.notes = ["the call ran in a child process of its own", death]
            return crashed
        }
        guard let subject = subjectRecords.first(where: { !$0.calls.isEmpty })?.calls.first
        else {
            return skipped(timedOut ? "the run outlived its \(formatDuration(limitNs)) watchdog before the subject call"
                                    : "the subject call was never made", calls: calls, elapsed: elapsed)
        }
        var result = base(calls: calls, elapsed: elapsed)
        // Marked in the JSON: helpers may share the subject's syscall and situation.
        if let i = calls.firstIndex(where: { $0.startNs == subject.startNs && $0.syscall == subject.syscall }),
           i < result.calls.count, case .object(let members) = result.calls[i] {
            result.calls[i] = .object(members + [("subject", .bool(true))])
        }
        result.situation = subject.situation ?? scenario.situation
        result.observed = subject.resultText
        result.observedReturn = subject.returnValue
        result.observedErrno = subject.outcome.errno?.name
        if subject.situation == nil {
            result.status = .skipped
            result.skipReason = "no documented situation is certain for the subject call"
                + (subject.remarks.first.map { ": " + $0 } ?? "")
        } else {
            result.verdicts = ScenarioResult.verdicts(for: subject)
        }
        result.events = records.flatMap(\.events).map { e in
            "iocb \(e.iocb ?? "obj=" + hex(e.obj)): res=\(e.res < 0 ? "-\(Errno(rawValue: Int32(-e.res)).name) (\(e.res))" : "\(e.res)") res2=\(e.res2)"
        }
        if subject.syscall == .io_getevents, via == .libaio, case .value = subject.outcome, subject.elapsedNs < 20_000 {
            result.notes.append("libaio may answer io_getevents from the ring in user space")
        }
        if readings.count > 1 { result.notes.append("aio-nr: " + readings.map(String.init).joined(separator: " -> ")) }
        result.notes += records.compactMap(\.error)
        if timedOut { result.notes.append("the run outlived its \(formatDuration(limitNs)) watchdog") }
        return result
    }

    /// A helper setup or submit the kernel refused: the scenario's premise
    /// does not hold here, which is a SKIP, not a verdict.
    func helperProblem(_ program: ScenarioProgram, _ records: [ScriptStepRecord]) -> String? {
        for r in records where r.line != program.subjectLine {
            if let e = r.error, r.line < program.subjectLine { return "line \(r.line) (\(r.text)) could not run: \(e)" }
            for call in r.calls {
                switch call.syscall {
                case .io_setup where call.outcome != .value(0):
                    return "precondition failed: the helper io_setup returned \(call.resultText)"
                case .io_submit where call.situation != nil:
                    if case .value(let n) = call.outcome, let asked = call.argumentValue("nr"), n == asked { continue }
                    return "precondition failed: the helper io_submit returned \(call.resultText)"
                default: continue
                }
            }
        }
        return nil
    }

    func base(calls: [JudgedCall], elapsed: UInt64) -> ScenarioResult {
        ScenarioResult(
            name: scenario.name, syscall: scenario.syscall, situation: scenario.situation, via: via,
            status: .ran, skipReason: nil, observed: "", observedReturn: nil, observedErrno: nil,
            events: [], verdicts: [], calls: detail == .all ? calls.map(\.json) : [],
            callLines: detail == .none ? []
                : calls.flatMap { $0.renderText(style: TextStyle(color: false), verdictSource: expect) },
            notes: [], isolated: false, elapsedNs: elapsed)
    }

    func skipped(_ reason: String, calls: [JudgedCall], elapsed: UInt64) -> ScenarioResult {
        var result = base(calls: calls, elapsed: elapsed)
        result.status = .skipped
        result.skipReason = reason
        return result
    }
}
