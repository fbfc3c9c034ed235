import AIOKernel
import XCTest

/// The recorder the race and bench loops call per request: what it keeps of
/// a latency past its range (a minute), and of one inside it.
final class LatencyRecorderTests: XCTestCase {
    func testALatencyPastTheRangeIsCountedAsClampedAndKeptAtTheTop() {
        var recorder = LatencyRecorder()
        recorder.record(1_500)
        recorder.record(LatencyRecorder.highestTrackableNs + 1)
        XCTAssertEqual(recorder.count, 2)
        XCTAssertEqual(recorder.clamped, 1)
        let summary = recorder.summary
        // HdrHistogram with three significant digits: within 0.1%.
        XCTAssertEqual(Double(summary.min), 1_500, accuracy: 2)
        XCTAssertEqual(Double(summary.max), Double(LatencyRecorder.highestTrackableNs),
                       accuracy: Double(LatencyRecorder.highestTrackableNs) / 1000)
    }

    func testAddKeepsCountsAndClamps() {
        var a = LatencyRecorder(), b = LatencyRecorder()
        a.record(10)
        b.record(20)
        b.record(.max)
        a.add(b)
        XCTAssertEqual(a.count, 3)
        XCTAssertEqual(a.clamped, 1)
    }
}
