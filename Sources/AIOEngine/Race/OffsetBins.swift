import AIODocuments
import AIOKernel
/// Outcomes by measured offset (the readiness write's start against
/// io_cancel's call), in fixed bins allocated once: the sweep only places
/// the moments roughly, and the threads' jitter spreads them, so binning by
/// what was measured shows the crossover more finely than the sweep step.
public struct OffsetBins: Sendable {
    public static let binNs: Int64 = 100
    public static let spanNs: Int64 = 100_000  // ±100us; farther offsets go to the end bins
    static let binCount = Int(2 * spanNs / binNs)

    public private(set) var cancelled: [Int]
    public private(set) var completed: [Int]
    public private(set) var total: [Int]

    public init() {
        cancelled = Array(repeating: 0, count: OffsetBins.binCount)
        completed = cancelled
        total = cancelled
    }

    @inline(__always)
    static func index(_ offsetNs: Int64) -> Int {
        let clamped = Swift.min(Swift.max(offsetNs, -spanNs), spanNs - 1)
        return Int((clamped + spanNs) / binNs)
    }

    /// The lower edge of bin `index`, in ns.
    public static func lowerEdge(_ index: Int) -> Int64 { Int64(index) * binNs - spanNs }

    @inline(__always)
    mutating func record(_ offsetNs: Int64, _ category: RaceOutcome.Category) {
        let i = OffsetBins.index(offsetNs)
        total[i] += 1
        if category == .cancelled { cancelled[i] += 1 }
        if category == .completedFirst { completed[i] += 1 }
    }

    mutating func add(_ other: OffsetBins) {
        for i in 0..<OffsetBins.binCount {
            cancelled[i] += other.cancelled[i]
            completed[i] += other.completed[i]
            total[i] += other.total[i]
        }
    }

    /// The middle of the bin holding the median sample; nil when empty.
    public var medianNs: Int64? {
        let count = total.reduce(0, +)
        guard count > 0 else { return nil }
        var seen = 0
        for i in 0..<OffsetBins.binCount {
            seen += total[i]
            if seen * 2 >= count { return OffsetBins.lowerEdge(i) + OffsetBins.binNs / 2 }
        }
        return nil
    }

    /// The span of measured offsets over bins (with at least `minSamples`
    /// iterations) where each outcome took at least `minShare` of them.
    /// A fraction of a percent lands on the wrong side at any offset when a
    /// thread is preempted, which a share threshold keeps out of the window.
    public func window(minShare: Double, minSamples: Int = 20) -> (fromNs: Int64, toNs: Int64)? {
        var low: Int?, high: Int?
        for i in 0..<OffsetBins.binCount where total[i] >= minSamples {
            let n = Double(total[i])
            guard Double(cancelled[i]) / n >= minShare, Double(completed[i]) / n >= minShare else { continue }
            low = low ?? i
            high = i
        }
        guard let low, let high else { return nil }
        return (OffsetBins.lowerEdge(low), OffsetBins.lowerEdge(high) + OffsetBins.binNs)
    }
}
