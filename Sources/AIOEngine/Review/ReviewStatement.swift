import AIODocuments
import AIOKernel
import KAPISpec

/// One statement of a spec under review: an entry (or a param's range) and
/// what the kernel made of it.
public struct ReviewStatement: Sendable {
    public enum Verdict: String, Sendable {
        case confirmed, refuted, partly
        case notExercised = "not-exercised"
    }

    public var syscall: String
    public var entry: KAPIEntry
    /// What the statement says, in a line: "error EINVAL \"Invalid AIO context\"".
    public var title: String
    public var verdict: Verdict
    /// Why: the kernel's answers that confirm or refute, or why nothing could be tried.
    public var evidence: [String]
    /// For partly: which of the listed conditions hold and which do not.
    public var holds: [String] = []
    public var fails: [String] = []
    /// The scenarios that showed a refutation, for the reproducers.
    public var refutingScenarios: [String] = []

    public var exercised: Bool { verdict != .notExercised }
}

/// Every statement of the reviewed specs and the machine they were reviewed on.
public struct ReviewReport: Sendable {
    public var kernel: String
    public var machine: String
    public var specs: [(name: String, file: String, dialect: String)]
    public var statements: [ReviewStatement]
    public var elapsedNs: UInt64

    public var exercisedCount: Int { statements.filter(\.exercised).count }
    public var refutedCount: Int { statements.filter { $0.verdict == .refuted }.count }
    public func count(_ verdict: ReviewStatement.Verdict) -> Int { statements.filter { $0.verdict == verdict }.count }

    /// 0 when nothing is refuted, 1 when some run refutes a statement in
    /// whole or in part (a range bound left untried refutes nothing).
    public var exitStatus: ExitStatus {
        statements.contains { !$0.fails.isEmpty } ? .differs : .agrees
    }

    public var coverageLine: String {
        "coverage: \(exercisedCount) of \(statements.count) statements exercised; "
            + "\(count(.confirmed)) confirmed, \(count(.refuted)) refuted, \(count(.partly)) partly, "
            + "\(count(.notExercised)) not exercised"
    }
}
