import AIODocuments
import AIOKernel
/// `--sweep A..B/STEP`: the moments, relative to io_cancel's, at which the
/// readiness thread makes the target ready. Negative offsets are before the
/// cancel, positive after: `-20us..20us/2us` is 21 settings.
public struct SweepSpec: Equatable, Sendable, CustomStringConvertible {
    public let fromNs: Int64
    public let toNs: Int64
    public let stepNs: Int64

    /// More settings than this is a typo in the step, not a plan.
    public static let maxSettings = 10_000

    public init(fromNs: Int64, toNs: Int64, stepNs: Int64) throws {
        guard stepNs > 0 else { throw UsageError("--sweep step must be longer than 0") }
        guard fromNs <= toNs else {
            throw UsageError("--sweep runs from low to high: \(formatSignedDuration(fromNs)) is after \(formatSignedDuration(toNs))")
        }
        let count = (toNs - fromNs) / stepNs + 1
        guard count <= Int64(SweepSpec.maxSettings) else {
            throw UsageError("--sweep would make \(count) settings; at most \(SweepSpec.maxSettings) (use a larger step)")
        }
        (self.fromNs, self.toNs, self.stepNs) = (fromNs, toNs, stepNs)
    }

    /// `A..B/STEP`, each a duration such as `-20us`, `0`, `1.5us`.
    public init(parsing text: String) throws {
        let example = "(example: -20us..20us/2us)"
        let parts = text.trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let range = parts.first.map(String.init), range.contains("..") else {
            throw UsageError("--sweep '\(text)' is not FROM..TO/STEP \(example)")
        }
        let bounds = range.split(separator: "..", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 else { throw UsageError("--sweep '\(text)' is not FROM..TO/STEP \(example)") }
        let step = try parseSignedDuration(String(parts[1]))
        try self.init(fromNs: try parseSignedDuration(bounds[0]), toNs: try parseSignedDuration(bounds[1]), stepNs: step)
    }

    /// Every offset, from low to high; the last is `to` only when the step lands on it.
    public var offsets: [Int64] { Array(stride(from: fromNs, through: toNs, by: Int(stepNs))) }

    public var description: String {
        "\(formatSignedDuration(fromNs))..\(formatSignedDuration(toNs))/\(formatSignedDuration(stepNs))"
    }
}

/// A duration with an optional sign: `-20us`, `+5us`, `0`.
public func parseSignedDuration(_ text: String) throws -> Int64 {
    var body = text.trimmingWhitespace()
    var sign: Int64 = 1
    if body.hasPrefix("-") { sign = -1; body.removeFirst() } else if body.hasPrefix("+") { body.removeFirst() }
    return sign * Int64(try DelaySpec.parseNanoseconds(body))
}

/// formatDuration with a sign for negative values.
public func formatSignedDuration(_ ns: Int64) -> String {
    ns < 0 ? "-" + formatDuration(ns.magnitude) : formatDuration(UInt64(ns))
}
