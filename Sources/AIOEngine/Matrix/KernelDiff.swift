import AIODocuments
import AIOKernel
/// Check results from several kernels, compared. Nothing is run again: a
/// result counts as a kernel's answer only when every run of that kernel gave
/// it, and a scenario is reported when two kernels answered it differently
/// that way. Answers that changed between runs of one kernel are listed apart
/// (timing, load, the tool), never as a difference between kernels.
public struct KernelDiff: Sendable {
    /// Every kernel compared, in version order, with how many documents each had.
    public var kernels: [(kernel: String, documents: Int)]
    /// One entry per scenario that some convention answered differently on two kernels.
    public var differences: [ScenarioDifference]
    /// Results whose answer changed between runs of one kernel.
    public var unstable: [UnstableResult]
    /// Per kernel, how each source fared against that kernel's stable answers:
    /// where each document is right, kernel by kernel.
    public var sourceTallies: [KernelTally]

    public var exitStatus: ExitStatus { differences.isEmpty ? .agrees : .differs }

    /// What one kernel did with one scenario through one convention, over all its runs.
    public enum Outcome: Sendable, Equatable {
        /// The same answer every time it ran (`runs` times; skips aside).
        case stable(CheckedRun.Answer, runs: Int, verdicts: [CheckedRun.SourceVerdict])
        /// Different answers: each with how often it came.
        case unstable([(answer: CheckedRun.Answer, count: Int)])
        /// The same answer every time, but in fewer runs than the comparison asks for.
        case unconfirmed(CheckedRun.Answer, runs: Int)
        /// Every run was skipped, with the first reason.
        case skipped(String)

        public static func == (a: Outcome, b: Outcome) -> Bool {
            switch (a, b) {
            case let (.stable(x, n, v), .stable(y, m, w)): return x == y && n == m && v == w
            case let (.unstable(x), .unstable(y)):
                return x.map(\.answer) == y.map(\.answer) && x.map(\.count) == y.map(\.count)
            case let (.unconfirmed(x, n), .unconfirmed(y, m)): return x == y && n == m
            case let (.skipped(x), .skipped(y)): return x == y
            default: return false
            }
        }
    }

    public struct Row: Sendable, Equatable {
        public var kernel: String
        public var via: String
        public var outcome: Outcome
    }

    public struct ScenarioDifference: Sendable {
        public var name: String
        public var syscall: String
        public var situation: String
        /// Kernel by kernel, each convention the documents ran.
        public var rows: [Row]
        /// The conventions whose stable answers differ between kernels.
        public var differingVias: [String]
        /// Each source's claim about the situation, with the line that makes it.
        public var claims: [CheckedRun.SourceVerdict]
    }

    /// One kernel's stable answers, counted per source by verdict.
    public struct KernelTally: Sendable, Equatable {
        public struct SourceCount: Sendable, Equatable {
            public var source: String
            public var agrees = 0, differs = 0, noClaim = 0
        }

        public var kernel: String
        /// (scenario, convention) pairs with a stable answer on this kernel.
        public var stableResults = 0
        /// Each source's verdicts; sources in first-seen order.
        public var counts: [SourceCount] = []

        mutating func count(_ verdicts: [CheckedRun.SourceVerdict]) {
            stableResults += 1
            for v in verdicts {
                let i = counts.firstIndex { $0.source == v.source } ?? {
                    counts.append(SourceCount(source: v.source))
                    return counts.count - 1
                }()
                switch v.state {
                case "agrees": counts[i].agrees += 1
                case "differs": counts[i].differs += 1
                default: counts[i].noClaim += 1
                }
            }
        }
    }

    public struct UnstableResult: Sendable {
        public var name: String
        public var via: String
        public var kernel: String
        public var runs: Int
        public var answers: [(answer: CheckedRun.Answer, count: Int)]
    }

    /// `documents` pairs each parsed document with the kernel it came from; an
    /// answer that came in fewer than `minimumRuns` runs is not compared.
    public init(_ documents: [(kernel: String, document: CheckDocument)], minimumRuns: Int = 1) {
        let order = KernelDiff.versionOrder(Array(Set(documents.map(\.kernel))))
        kernels = order.map { k in (k, documents.filter { $0.kernel == k }.count) }

        // Every (scenario, convention) in first-seen order, with its runs per kernel.
        struct Key: Hashable { var name: String; var via: String }
        var keys: [Key] = []
        var runs: [Key: [String: [CheckedRun]]] = [:]
        var firstRun: [String: CheckedRun] = [:]
        for (kernel, document) in documents {
            for run in document.runs {
                let key = Key(name: run.name, via: run.via)
                if runs[key] == nil { keys.append(key) }
                runs[key, default: [:]][kernel, default: []].append(run)
                if firstRun[run.name] == nil || (firstRun[run.name]!.answer.isSkip && !run.answer.isSkip) {
                    firstRun[run.name] = run
                }
            }
        }

        var differingVias: [String: [String]] = [:]
        var rows: [String: [Row]] = [:]
        var scenarioOrder: [String] = []
        unstable = []
        var tallies = order.map { KernelTally(kernel: $0) }
        for key in keys {
            var stableAnswers = Set<CheckedRun.Answer>()
            for (k, kernel) in order.enumerated() {
                guard let kernelRuns = runs[key]?[kernel] else { continue }
                let outcome = KernelDiff.outcome(of: kernelRuns, minimumRuns: minimumRuns)
                if !scenarioOrder.contains(key.name) { scenarioOrder.append(key.name) }
                rows[key.name, default: []].append(Row(kernel: kernel, via: key.via, outcome: outcome))
                switch outcome {
                case .stable(let answer, _, let verdicts):
                    stableAnswers.insert(answer)
                    tallies[k].count(verdicts)
                case .unstable(let answers):
                    unstable.append(UnstableResult(name: key.name, via: key.via, kernel: kernel,
                                                   runs: kernelRuns.count, answers: answers))
                case .unconfirmed, .skipped: break
                }
            }
            if stableAnswers.count > 1 { differingVias[key.name, default: []].append(key.via) }
        }
        sourceTallies = tallies

        differences = scenarioOrder.compactMap { name in
            guard let vias = differingVias[name], let first = firstRun[name] else { return nil }
            // Kernel by kernel, conventions in the documents' order within each.
            let sorted = order.flatMap { k in rows[name, default: []].filter { $0.kernel == k } }
            return ScenarioDifference(name: name, syscall: first.syscall, situation: first.situation,
                                      rows: sorted, differingVias: vias, claims: first.sources)
        }
    }

    /// Skips aside, one answer means stable; the verdicts are those of its first run.
    static func outcome(of runs: [CheckedRun], minimumRuns: Int = 1) -> Outcome {
        let answered = runs.filter { !$0.answer.isSkip }
        guard let first = answered.first else {
            return .skipped(runs.first?.skipReason ?? "skipped")
        }
        var tally: [(answer: CheckedRun.Answer, count: Int)] = []
        for run in answered {
            if let i = tally.firstIndex(where: { $0.answer == run.answer }) {
                tally[i].count += 1
            } else {
                tally.append((run.answer, 1))
            }
        }
        if tally.count == 1 {
            guard answered.count >= minimumRuns else { return .unconfirmed(first.answer, runs: answered.count) }
            return .stable(first.answer, runs: answered.count, verdicts: first.sources)
        }
        return .unstable(tally.sorted { $0.count > $1.count })
    }

    /// Kernel releases sorted as versions: 6.1.0-57 before 6.12.117 before 6.18.
    public static func versionOrder(_ releases: [String]) -> [String] {
        releases.sorted { a, b in
            let x = numericParts(a), y = numericParts(b)
            return x == y ? a < b : x.lexicographicallyPrecedes(y)
        }
    }

    private static func numericParts(_ release: String) -> [Int] {
        var parts: [Int] = []
        var current: Int? = nil
        for c in release {
            if let d = c.wholeNumberValue, c.isASCII {
                current = (current ?? 0) * 10 + d
            } else {
                if let n = current { parts.append(n) }
                current = nil
                // Only the leading dotted version and its first suffix number order kernels.
                if !(c == "." || c == "-" || c == "+") { break }
            }
        }
        if let n = current { parts.append(n) }
        return parts
    }
}
