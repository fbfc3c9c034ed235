import Foundation
import XCTest

extension AioctlProcess {
    /// Runs aioctl and sends SIGINT after `delay` seconds.
    static func runInterrupted(_ arguments: [String], after delay: TimeInterval, limit: TimeInterval = 30,
                               file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        try run(arguments, interruptAfter: delay, limit: limit, file: file, line: line)
    }
}

/// Bad input: each command line must fail with its status, print nothing on
/// stdout, and one line on stderr that starts "aioctl: " and names the
/// problem (contains `fragment`, when one is given).
func assertRejected(_ cases: [([String], Int32, String)], file: StaticString = #filePath, line: UInt = #line) throws {
    for (args, status, fragment) in cases {
        let result = try AioctlProcess.run(args)
        let name = args.joined(separator: " ")
        XCTAssertEqual(result.status, status, "\(name): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", "\(name): nothing on stdout", file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "\(name): stderr must be one line: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(lines.first?.hasPrefix("aioctl: ") ?? false, name, file: file, line: line)
        if !fragment.isEmpty {
            XCTAssertTrue(result.stderr.contains(fragment), "\(name): \(result.stderr)", file: file, line: line)
        }
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
