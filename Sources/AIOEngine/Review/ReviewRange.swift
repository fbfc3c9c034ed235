import AIODocuments
import AIOKernel
import KAPISpec

/// A param's range, tried at and beyond its bounds: every value the runs
/// passed is a probe. Inside the range the kernel must not refuse the value
/// as invalid (EINVAL); outside it must refuse the call.
enum ReviewRange {
    static let named: [String: Int] = [
        "INT_MAX": Int(Int32.max), "UINT_MAX": Int(UInt32.max), "LONG_MAX": Int.max, "SIZE_MAX": Int.max,
        "ULONG_MAX": Int.max, "U32_MAX": Int(UInt32.max), "S32_MAX": Int(Int32.max),
    ]

    static func bound(_ text: String) -> Int? { Int(text) ?? named[text] }

    static func judge(_ statement: ReviewStatement, range: (lower: String, upper: String),
                      results: [ScenarioResult]) -> ReviewStatement {
        var statement = statement
        let name = statement.entry.key
        guard let low = bound(range.lower), let high = bound(range.upper), low <= high else {
            statement.evidence = ["the range \(range.lower)..\(range.upper) has a bound aioctl cannot evaluate"]
            return statement
        }
        let unsigned = (statement.entry.field("type") ?? "").lowercased().contains("uint")
        var atLow = false, belowLow = false, atHigh = false, aboveHigh = false
        for result in results where result.status == .ran {
            guard var value = ReviewEvidence.argument(name, result).flatMap(Int.init) else { continue }
            if unsigned && value < 0 { value += 1 << 32 }
            let line = ReviewEvidence.describe(result)
            if value >= low && value <= high {
                if value == low { atLow = true }
                if value == high { atHigh = true }
                if result.observedErrno == "EINVAL" {
                    statement.fails.append("\(line): \(name)=\(value) is inside \(range.lower)..\(range.upper), yet the kernel refuses it as invalid")
                    statement.refutingScenarios.append(result.name)
                } else {
                    statement.holds.append("\(line): inside the range, not refused as invalid")
                }
            } else {
                if value < low { belowLow = true } else { aboveHigh = true }
                if result.observedErrno != nil {
                    statement.holds.append("\(line): outside the range, refused")
                } else {
                    statement.fails.append("\(line): \(name)=\(value) is outside \(range.lower)..\(range.upper), yet accepted")
                    statement.refutingScenarios.append(result.name)
                }
            }
        }
        if !statement.fails.isEmpty {
            statement.verdict = .refuted
            statement.evidence = statement.fails + statement.holds.map { "holds: " + $0 }
        } else if statement.holds.isEmpty {
            statement.evidence = ["no scenario passes \(name) here"]
        } else if atLow && belowLow && atHigh && aboveHigh {
            statement.verdict = .confirmed
            statement.evidence = statement.holds
        } else {
            statement.verdict = .partly
            var untried: [String] = []
            if !(atLow && belowLow) { untried.append("the lower bound \(range.lower)") }
            if !(atHigh && aboveHigh) { untried.append("the upper bound \(range.upper)") }
            statement.evidence = statement.holds + ["not tried at and beyond " + untried.joined(separator: " and ")]
        }
        return statement
    }
}
