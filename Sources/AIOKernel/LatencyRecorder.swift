import Histogram

/// Nanosecond latencies in an HdrHistogram: recording never allocates, so
/// it belongs in hot loops; percentiles come out at the end.
public struct LatencyRecorder: Sendable {
    /// A minute: anything longer is clamped, and says so through `clamped`.
    public static let highestTrackableNs: UInt64 = 60_000_000_000

    @usableFromInline
    var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1,
                                      highestTrackableValue: LatencyRecorder.highestTrackableNs,
                                      numberOfSignificantValueDigits: .three)
    public private(set) var clamped = 0

    public init() {}

    // Inlinable, with the histogram's own inlinable record: the engines'
    // loops (race, bench) record two or three latencies per request, and a
    // call into this module for each was 1.5-3% of their time.
    @inlinable
    public mutating func record(_ ns: UInt64) {
        guard ns <= LatencyRecorder.highestTrackableNs else { return recordClamped() }
        _ = histogram.record(ns)
    }

    @usableFromInline
    mutating func recordClamped() {
        clamped += 1
        _ = histogram.record(LatencyRecorder.highestTrackableNs)
    }

    public mutating func add(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
        clamped += other.clamped
    }

    public var count: UInt64 { histogram.totalCount }

    /// Every bucket holding samples, lowest first: (its highest value, count).
    public var buckets: [(value: UInt64, count: UInt64)] {
        histogram.recordedValues().map { ($0.value, UInt64($0.count)) }
    }

    public var summary: LatencySummary { summary(percentiles: LatencySummary.reported) }

    public func summary(percentiles: [Double]) -> LatencySummary {
        guard histogram.totalCount > 0 else { return LatencySummary() }
        return LatencySummary(count: histogram.totalCount, min: histogram.min, mean: histogram.mean,
                              stddev: histogram.stdDeviation,
                              percentiles: percentiles.map { ($0, histogram.valueAtPercentile($0)) },
                              max: histogram.max)
    }
}

/// Percentiles of a LatencyRecorder, frozen for reports.
public struct LatencySummary: Sendable {
    /// The percentiles every report shows.
    public static let reported: [Double] = [50, 90, 99, 99.9]

    public var count: UInt64 = 0
    public var min: UInt64 = 0
    public var mean: Double = 0
    public var stddev: Double = 0
    public var percentiles: [(Double, UInt64)] = []
    public var max: UInt64 = 0

    public func value(at percentile: Double) -> UInt64? {
        percentiles.first { $0.0 == percentile }?.1
    }

    /// "p50 1.2us  p90 …  max 40us", or "no samples".
    public var text: String {
        guard count > 0 else { return "no samples" }
        let parts = percentiles.map { "p\(LatencySummary.label($0.0)) \(formatDuration($0.1))" }
        return (parts + ["max \(formatDuration(max))"]).joined(separator: "  ")
    }

    /// "50", "99.9": the way percentiles are named in text and JSON keys.
    public static func label(_ percentile: Double) -> String {
        percentile == percentile.rounded() ? String(Int(percentile)) : String(percentile)
    }

    /// {"count", "p50", "p90", "p99", "p99_9", "max"} in nanoseconds.
    public var json: JSON {
        var members: [(String, JSON)] = [("count", .uint(count))]
        for (p, v) in percentiles {
            members.append(("p" + LatencySummary.label(p).replacingDots(), .uint(v)))
        }
        members.append(("max", count > 0 ? .uint(max) : .null))
        return .object(members)
    }
}

extension String {
    func replacingDots() -> String { String(map { $0 == "." ? "_" : $0 }) }
}
