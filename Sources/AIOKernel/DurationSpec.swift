/// A delay given on the command line: `0`, `250us`, `10ms`, `1.5s`, or `never`.
public enum DelaySpec: Equatable, CustomStringConvertible, Sendable {
    case never
    case nanoseconds(UInt64)

    public init(parsing text: String, allowNever: Bool = true) throws {
        let text = text.trimmingWhitespace()
        if text == "never" {
            guard allowNever else { throw UsageError("'never' is not a duration here") }
            self = .never
            return
        }
        self = .nanoseconds(try DelaySpec.parseNanoseconds(text))
    }

    public var nanoseconds: UInt64? {
        if case .nanoseconds(let ns) = self { return ns }
        return nil
    }

    public var description: String {
        switch self {
        case .never: return "never"
        case .nanoseconds(let ns): return formatDuration(ns)
        }
    }

    /// Accepts a decimal number followed by ns, us, ms or s. A bare `0` is
    /// allowed since zero needs no unit; any other bare number is ambiguous.
    public static func parseNanoseconds(_ text: String) throws -> UInt64 {
        if text == "0" { return 0 }
        if text.hasPrefix("-") { throw UsageError("'\(text)': a duration cannot be negative") }
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = String(text.dropLast(suffix.count))
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }),
                  number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number), value.isFinite, value >= 0 else {
                throw UsageError("'\(text)' is not a duration (examples: 0, 250us, 10ms, 1.5s)")
            }
            let ns = value * scale
            guard ns < 3.6e12 else { throw UsageError("'\(text)' is longer than an hour") }
            return UInt64(ns.rounded())
        }
        throw UsageError("'\(text)' is not a duration (examples: 0, 250us, 10ms, 1.5s)")
    }
}

/// "10ms", "1.5s", "250us", "830ns": the shortest honest spelling.
public func formatDuration(_ ns: UInt64) -> String {
    if ns == 0 { return "0" }
    if ns < 1_000 { return "\(ns)ns" }
    // 999.996us rounds to "1000us": say "1ms" instead.
    if ns < 999_995 { return trimmed(Double(ns) / 1e3) + "us" }
    if ns < 999_995_000 { return trimmed(Double(ns) / 1e6) + "ms" }
    return trimmed(Double(ns) / 1e9) + "s"
}

private func trimmed(_ value: Double) -> String {
    // Three significant decimals at most; no trailing zeros.
    let scaled = (value * 100).rounded() / 100
    var text = String(scaled)
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
}

extension String {
    /// The string without leading and trailing whitespace (no Foundation needed).
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
