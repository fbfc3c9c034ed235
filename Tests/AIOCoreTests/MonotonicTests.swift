@testable import AIOKernel
import XCTest

/// The clock every deadline is measured on.
final class MonotonicTests: XCTestCase {
    /// Time left is never negative: a deadline already passed (or passing
    /// between two readings, which once trapped in `run`) leaves 0.
    func testRemainingIsZeroOncePastAndBoundedBefore() {
        let now = Monotonic.now()
        XCTAssertEqual(Monotonic.remaining(until: 0), 0)
        XCTAssertEqual(Monotonic.remaining(until: now), 0)
        let left = Monotonic.remaining(until: now + 1_000_000_000)
        XCTAssertGreaterThan(left, 0)
        XCTAssertLessThanOrEqual(left, 1_000_000_000)
        XCTAssertGreaterThan(Monotonic.remaining(until: UInt64.max), 1 << 62)
    }
}
