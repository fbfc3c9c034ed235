import Foundation
import XCTest

extension AioctlProcess {
    /// Runs aioctl and sends SIGINT after `delay` seconds.
    static func runInterrupted(_ arguments: [String], after delay: TimeInterval, limit: TimeInterval = 30,
                               file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        try run(arguments, interruptAfter: delay, limit: limit, file: file, line: line)
    }
}

/// aio-nr is machine-wide and other processes move it too, so "back to its
/// start" is checked as "returns to it within a few seconds".
func assertAioNrReturns(to start: Int, file: StaticString = #filePath, line: UInt = #line) {
    var now = AioNr.read()
    let deadline = Date().addingTimeInterval(5)
    while now != start && Date() < deadline {
        usleep(50_000)
        now = AioNr.read()
    }
    XCTAssertEqual(now, start, "aio-nr did not return to its starting value", file: file, line: line)
}
