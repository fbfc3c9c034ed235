import AIOEngine
import AIODocuments
import AIOKernel
import XCTest

/// Command-line values the core parses: durations, poll bits, targets.
final class ParsingTests: XCTestCase {
    func testDurationsParseToNanoseconds() throws {
        let cases: [(String, DelaySpec)] = [
            ("0", .nanoseconds(0)), ("250us", .nanoseconds(250_000)), ("10ms", .nanoseconds(10_000_000)),
            ("1.5s", .nanoseconds(1_500_000_000)), ("never", .never), ("830ns", .nanoseconds(830)),
            (" 2ms ", .nanoseconds(2_000_000)),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try DelaySpec(parsing: text), expected, text)
        }
    }

    func testMalformedDurationsAreUsageErrors() {
        for text in ["", "10", "-5ms", "abc", "1.2.3s", "ms", "5 ms", "2h", "99999s", "1e3ms"] {
            XCTAssertThrowsError(try DelaySpec(parsing: text), text) { error in
                XCTAssertEqual((error as? AioctlError)?.status, .usage, text)
            }
        }
        XCTAssertThrowsError(try DelaySpec(parsing: "never", allowNever: false))
    }

    func testDurationsFormatShortestHonestSpelling() {
        XCTAssertEqual(formatDuration(0), "0")
        XCTAssertEqual(formatDuration(830), "830ns")
        XCTAssertEqual(formatDuration(250_000), "250us")
        XCTAssertEqual(formatDuration(10_090_000), "10.09ms")
        XCTAssertEqual(formatDuration(999_999_999), "1s")
        XCTAssertEqual(formatDuration(1_500_000_000), "1.5s")
    }

    func testPollEventsByNameNumberAndSeparator() throws {
        XCTAssertEqual(try PollEvents(parsing: "in").rawValue, 0x1)
        XCTAssertEqual(try PollEvents(parsing: "in,out").rawValue, 0x5)
        XCTAssertEqual(try PollEvents(parsing: "POLLIN|rdhup").rawValue, 0x2001)
        XCTAssertEqual(try PollEvents(parsing: "0x40").rawValue, 0x40)
        XCTAssertEqual(PollEvents(rawValue: 0x2041).description, "in|rdnorm|rdhup")
        XCTAssertEqual(PollEvents(rawValue: 0x10000).description, "0x10000")
        XCTAssertThrowsError(try PollEvents(parsing: "inn"))
        XCTAssertThrowsError(try PollEvents(parsing: ","))
    }

    func testTargetsParseOrNameTheProblem() throws {
        XCTAssertEqual(try TargetSpec(parsing: "pipe"), .pipe)
        XCTAssertEqual(try TargetSpec(parsing: "socketpair"), .socketpair)
        XCTAssertEqual(try TargetSpec(parsing: "eventfd"), .eventfd)
        XCTAssertEqual(try TargetSpec(parsing: "fifo"), .fifo)
        XCTAssertEqual(try TargetSpec(parsing: "file:/dev/zero"), .path("/dev/zero"))
        XCTAssertEqual(try TargetSpec(parsing: "/dev/null"), .path("/dev/null"))
        XCTAssertEqual(try TargetSpec(parsing: "fd:3"), .fd(3))
        for bad in ["pip", "fd:", "fd:-1", "fd:x", "file:"] {
            XCTAssertThrowsError(try TargetSpec(parsing: bad), bad) { error in
                XCTAssertEqual((error as? AioctlError)?.status, .usage, bad)
            }
        }
    }
}
