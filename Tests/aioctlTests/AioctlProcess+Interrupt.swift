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

