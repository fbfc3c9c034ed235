import AIODocuments
import AIOKernel
import Glibc

/// Writes `aioctl check`'s document while the check runs: each result as
/// soon as it and every result before it in the plan are in (numbers stay
/// in plan order, so two runs' documents line up), and at the end the rest
/// and the trailer. After SIGINT/SIGTERM the runs that were not made stand
/// as skips that say so, and the document is still whole: a KTAP plan with
/// a line per test and the totals, a JSON array that closes.
public final class CheckStream: @unchecked Sendable {
    public enum Format: Sendable {
        case ktap(CheckReport.LineProtocol, header: [String])
        case json
        case text(TextStyle, verbose: Bool)
        /// Nothing written: --quiet, where the exit status is the answer.
        case quiet
    }

    private struct Pending {
        /// Results that came before one earlier in the plan, already rendered.
        var waiting: [Int: (result: ScenarioResult, lines: [String])] = [:]
        var written: [ScenarioResult] = []
        /// Set by finish: the trailer is out and nothing more may be written.
        var closed = false
    }

    let plan: [PlannedRun]
    let expect: Source
    let format: Format
    private let state = Locked(Pending())
    private let start = Monotonic.now()
    private let width: Int

    public init(plan: [PlannedRun], expect: Source, format: Format) {
        self.plan = plan
        self.expect = expect
        self.format = format
        width = CheckReport.textWidth(plan.map(\.scenario.name))
    }

    private var renderer: CheckReport { CheckReport(results: [], expect: expect, elapsedNs: 0) }

    /// What comes before the first result.
    public func begin() {
        switch format {
        case .ktap(let lineProtocol, let header):
            write(renderer.ktapHead(count: plan.count, header: header, protocol: lineProtocol))
        case .json:
            write([plan.isEmpty ? "[]" : "["])
        case .text, .quiet: break
        }
    }

    /// Takes the result of plan entry `index`, from any thread; writes what
    /// is now in order. Rendered before the lock (its number is its place in
    /// the plan), so threads wait for each other only to write. After finish
    /// it is dropped: finish wrote it already, from the outcome.
    public func add(_ index: Int, _ result: ScenarioResult) {
        let rendered = lines(for: result, number: index + 1)
        state.withLock { s in
            guard !s.closed else { return }
            s.waiting[index] = (result, rendered)
            while let next = s.waiting.removeValue(forKey: s.written.count) {
                write(next.lines)
                s.written.append(next.result)
            }
        }
    }

    /// Writes every result not written yet (from `outcome`, or a skip for a
    /// run the interruption took), then the trailer. Returns the whole report.
    @discardableResult
    public func finish(_ outcome: CheckRunner.Outcome) -> CheckReport {
        state.withLock { s in
            s.closed = true
            var taken = 0
            while s.written.count < plan.count {
                let index = s.written.count
                if let ready = s.waiting.removeValue(forKey: index) {
                    write(ready.lines)
                    s.written.append(ready.result)
                    continue
                }
                let result = outcome.results[index] ?? {
                    taken += 1
                    return outcome.notMade(plan[index])
                }()
                write(lines(for: result, number: index + 1))
                s.written.append(result)
            }
            let report = CheckReport(results: s.written, expect: expect, elapsedNs: Monotonic.now() - start,
                                     interruptedBy: outcome.interruptedBy, interruptedRuns: taken)
            switch format {
            case .ktap: write(report.ktapTail())
            case .json: if !plan.isEmpty { write(["]"]) }
            case .text(let style, _): write(report.textSummary(style: style))
            case .quiet: break
            }
            return report
        }
    }

    private func lines(for result: ScenarioResult, number: Int) -> [String] {
        switch format {
        case .ktap: return renderer.ktapLines(for: result, number: number)
        case .json:
            // As the whole array would print it: two-space indent, a comma after all but the last.
            let item = "  " + result.json(expect: expect).serialized(indent: 2, level: 1)
            return [number < plan.count ? item + "," : item]
        case .text(let style, let verbose):
            return renderer.textLines(for: result, width: width, style: style, verbose: verbose)
        case .quiet: return []
        }
    }

    /// Out at once: whoever reads the stream sees each run as it ends.
    private func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        print(lines.joined(separator: "\n"))
        fflush(nil)
    }
}
