import AIODocuments
import AIOKernel
/// Everything one setting counted. Updated in the hot loop, so nothing here
/// allocates once the (few) outcome keys exist.
public struct RaceTally: Sendable {
    public let setting: RaceSetting
    public private(set) var iterations = 0
    /// The few distinct outcomes seen, with their counts. A short array
    /// searched linearly: cheaper per iteration than hashing into a Dictionary.
    public private(set) var outcomeCounts: [(outcome: RaceOutcome, count: Int)] = []

    public var outcomes: [RaceOutcome: Int] {
        Dictionary(outcomeCounts.map { ($0.outcome, $0.count) }, uniquingKeysWith: +)
    }
    public var submitLatency = LatencyRecorder()
    public var cancelLatency = LatencyRecorder()
    /// From io_cancel's return to io_getevents returning the cancelled event.
    public var cancelledArrival = LatencyRecorder()
    /// Measured readiness minus measured cancel start (the write's start
    /// against io_cancel's call), over iterations that had both.
    public private(set) var measuredOffsetSumNs: Int64 = 0
    public private(set) var measuredOffsetCount = 0
    public private(set) var measuredOffsetMinNs = Int64.max
    public private(set) var measuredOffsetMaxNs = Int64.min
    /// Iterations whose iocb saw other than exactly one event, and events
    /// carrying an earlier iteration's aio_data (late duplicates).
    public private(set) var anomalies: [String] = []
    public var elapsedNs: UInt64 = 0

    public init(setting: RaceSetting) { self.setting = setting }

    @inline(__always)
    mutating func count(_ outcome: RaceOutcome, iteration: UInt64) {
        iterations += 1
        if let i = outcomeCounts.firstIndex(where: { $0.outcome == outcome }) {
            outcomeCounts[i].count += 1
        } else {
            outcomeCounts.append((outcome, 1))
        }
        if outcome.eventCount != 1 {
            noteAnomaly("iteration \(iteration): \(outcome.eventCount) events for one iocb (\(outcome.summary))")
        }
    }

    public private(set) var offsetBins = OffsetBins()

    @inline(__always)
    mutating func recordOffset(_ ns: Int64, category: RaceOutcome.Category, binned: Bool) {
        if binned { offsetBins.record(ns, category) }
        measuredOffsetSumNs += ns
        measuredOffsetCount += 1
        measuredOffsetMinNs = Swift.min(measuredOffsetMinNs, ns)
        measuredOffsetMaxNs = Swift.max(measuredOffsetMaxNs, ns)
    }

    /// Only the first few are kept word for word; the count says how many.
    mutating func noteAnomaly(_ text: @autoclosure () -> String) {
        lostOrDuplicatedEvents += 1
        if anomalies.count < 10 { anomalies.append(text()) }
    }

    /// Iterations with ≠1 event plus late events for earlier iterations.
    public private(set) var lostOrDuplicatedEvents = 0

    public func count(of category: RaceOutcome.Category) -> Int {
        outcomeCounts.reduce(0) { $0 + ($1.outcome.category == category ? $1.count : 0) }
    }

    /// Among iterations whose write and io_cancel were both quick (see
    /// RaceEngine.cleanCallNs), the share `category` took; nil without any.
    public func cleanShare(of category: RaceOutcome.Category) -> Double? {
        let total = offsetBins.total.reduce(0, +)
        guard total > 0 else { return nil }
        let counts = category == .cancelled ? offsetBins.cancelled : category == .completedFirst ? offsetBins.completed : []
        return Double(counts.reduce(0, +)) / Double(total)
    }

    public func share(of category: RaceOutcome.Category) -> Double {
        iterations == 0 ? 0 : Double(count(of: category)) / Double(iterations)
    }

    public var measuredOffsetMeanNs: Int64? {
        measuredOffsetCount == 0 ? nil : measuredOffsetSumNs / Int64(measuredOffsetCount)
    }

    public var iterationsPerSecond: Double {
        elapsedNs == 0 ? 0 : Double(iterations) * 1e9 / Double(elapsedNs)
    }

    /// The outcomes outside the two expected ones, most frequent first.
    public var otherOutcomes: [(RaceOutcome, Int)] {
        outcomes.filter { $0.key.category == .other || $0.key.category == .lostOrDuplicated }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.summary < $1.key.summary }
            .map { ($0.key, $0.value) }
    }
}
