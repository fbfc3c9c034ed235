import AIODocuments
import AIOKernel
import Glibc
import KAPISpec

/// Reviews KAPI specs against the running kernel: each statement is tried by
/// the `aioctl check` scenarios that provoke a situation whose kapi claim
/// cites it, through raw syscalls (the spec describes the syscall, not libaio).
public struct Reviewer {
    public var runner: CheckRunner

    public init(runner: CheckRunner = CheckRunner()) {
        self.runner = runner
    }

    /// The entry kinds a review reads; contexts, examples and the prose are not statements.
    static let reviewed: [KAPIKind] = [.param, .return, .error, .sideEffect, .stateTrans, .signal, .constraint,
                                       .capability, .lock]

    /// The scenarios a review of these specs runs.
    public static func scenarios(for specs: [KAPISpec]) -> [Scenario] {
        var situations = Set<String>()
        for spec in specs {
            for entry in spec.entries where reviewed.contains(entry.kind) {
                situations.formUnion(Catalog.situations(citing: entry, of: spec.name))
            }
        }
        return Scenarios.all.filter { situations.contains($0.situation) }
    }

    public func review(_ specs: [KAPISpec]) -> ReviewReport {
        let start = Monotonic.now()
        let plan = CheckRunner.plan(Reviewer.scenarios(for: specs), vias: [.syscall])
        var results = plan.isEmpty ? [] : runner.run(plan)
        // aio-nr is machine-wide: another process's io_setup between the
        // readings blurs them. A run whose readings disagree is made again,
        // up to three times in all, and says so.
        for i in results.indices where ReviewEvidence.aioNrDisagrees(results[i]) {
            var attempts = 1
            while attempts < 3, ReviewEvidence.aioNrDisagrees(results[i]) {
                results[i] = runner.runOne(plan[i])
                attempts += 1
            }
            results[i].notes.append("made \(attempts) times: aio-nr is machine-wide and other processes change it")
        }
        var statements: [ReviewStatement] = []
        for spec in specs {
            for entry in spec.entries where Reviewer.reviewed.contains(entry.kind) {
                statements.append(Reviewer.judge(entry, of: spec.name, results: results))
            }
        }
        var u = utsname()
        uname(&u)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        }
        return ReviewReport(kernel: field(&u.release), machine: field(&u.machine),
                            specs: specs.map { ($0.name, $0.file, $0.dialect.rawValue) },
                            statements: statements, elapsedNs: Monotonic.now() - start)
    }

    static func title(_ entry: KAPIEntry) -> String {
        switch entry.kind {
        case .error: return "error \(entry.key)" + (entry.summary.map { " \"\($0)\"" } ?? "")
        case .return: return "return: success " + (entry.success ?? "?")
        case .param:
            return "param \(entry.key)" + (entry.range.map { " in \($0.lower)..\($0.upper)" } ?? "")
        case .constraint:
            return "constraint \"\(entry.key)\"" + (entry.field("expr").map { ": \($0)" } ?? "")
        case .stateTrans:
            return "state-trans \(entry.key)" + (entry.field("from").map { ": \($0) -> " + (entry.field("to") ?? "?") } ?? "")
        default: return "\(entry.kind.rawValue) \(entry.key)"
        }
    }

    /// One statement's verdict from the runs of the situations that cite it.
    static func judge(_ entry: KAPIEntry, of syscall: String, results: [ScenarioResult]) -> ReviewStatement {
        var statement = ReviewStatement(syscall: syscall, entry: entry, title: title(entry), verdict: .notExercised,
                                        evidence: [])
        let citing = Catalog.situations(citing: entry, of: syscall)
        if entry.kind == .param, let range = entry.range {
            return ReviewRange.judge(statement, range: range, results: results.filter { citing.contains($0.situation) })
        }
        guard !citing.isEmpty else {
            statement.evidence = [NotExercised.reason(for: entry, of: syscall)]
            return statement
        }
        let mine = results.filter { citing.contains($0.situation) }
        let ran = mine.filter { $0.status != .skipped }
        guard !ran.isEmpty else {
            let reasons = mine.compactMap(\.skipReason) + citing.compactMap(Scenarios.whyNotProvoked)
            statement.evidence = [reasons.first ?? "no scenario provokes it here"]
            return statement
        }
        for result in ran {
            guard let (holds, detail) = ReviewEvidence.assess(entry, of: syscall, in: result) else { continue }
            if holds {
                statement.holds.append(detail)
            } else {
                statement.fails.append(detail)
                statement.refutingScenarios.append(result.name)
            }
        }
        switch (statement.holds.isEmpty, statement.fails.isEmpty) {
        case (true, true):
            statement.evidence = ["the runs that provoke it could not observe it (" + ran.map(\.name).joined(separator: ", ") + ")"]
        case (false, true):
            statement.verdict = .confirmed
            statement.evidence = statement.holds
        case (true, false):
            statement.verdict = .refuted
            statement.evidence = statement.fails
        case (false, false):
            statement.verdict = .partly
            statement.evidence = statement.holds.map { "holds: " + $0 } + statement.fails.map { "fails: " + $0 }
        }
        return statement
    }
}
