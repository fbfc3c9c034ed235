import AIOEngine
import Foundation
import XCTest

/// `aioctl check` stopped by SIGINT or SIGTERM part-way: the runs not made
/// are skips that say so, and the document is whole, for our own strict KTAP
/// checker, for the kernel's kunit_parser (when a copy is at hand), and for
/// a JSON parser.
final class CheckInterruptTests: XCTestCase {
    private var planned: Int { Scenarios.all.count * 2 }

    func testInterruptedKTAPIsWholeAndExits130() throws {
        let result = try AioctlProcess.runInterrupted(["check", "--format", "ktap"], after: 0.1, limit: 60)
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let summary = KTAP.validate(result.stdout)
        XCTAssertEqual(summary.plan, planned)
        let interrupted = result.stdout.components(separatedBy: "# skipped: interrupted by SIGINT").count - 1
        XCTAssertGreaterThan(interrupted, 0, "a check of \(planned) runs is not over 0.1s after it starts")
        XCTAssertTrue(result.stdout.contains("# interrupted by SIGINT: \(interrupted) run(s) not made or ended early"))
        try assertKunitParserReads(result.stdout, tests: planned)
    }

    func testTerminatedJSONIsAWholeArrayAndExits143() throws {
        let result = try AioctlProcess.run(["check", "--format", "json"], interruptAfter: 0.1, signal: SIGTERM, limit: 60)
        XCTAssertEqual(result.status, 143, result.stderr)
        let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]],
                                 "stdout is a JSON array")
        XCTAssertEqual(runs.count, planned, "one record per planned run")
        let reasons = runs.compactMap { $0["skip_reason"] as? String }
        XCTAssertTrue(reasons.contains { $0.hasPrefix("interrupted by SIGTERM") }, "some runs were taken by SIGTERM")
        for run in runs where (run["skip_reason"] as? String)?.hasPrefix("interrupted") == true {
            XCTAssertEqual(run["status"] as? String, "skipped")
            XCTAssertEqual(run["verdict"] as? String, "skip")
        }
    }

    func testInterruptedTextEndsWithItsSummary() throws {
        let result = try AioctlProcess.runInterrupted(["check"], after: 0.1, limit: 60)
        XCTAssertEqual(result.status, 130)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        // One line per run (two on a narrow terminal), then the summary.
        XCTAssertGreaterThanOrEqual(lines.prefix { !$0.isEmpty }.count, planned, result.stdout)
        XCTAssertTrue(lines.dropLast().last?.hasPrefix("interrupted by SIGINT: ") ?? false, result.stdout)
    }

    /// The kernel's own KTAP reader, tools/testing/kunit/kunit_parser.py,
    /// when python3 and a copy are here: `KUNIT_TOOL_DIR`, a kernel tree
    /// under /usr/src, or Debian's linux-source tarball there (the two files
    /// are taken out of it once, beside the built binary). It must read the
    /// document without an error and count every test.
    func assertKunitParserReads(_ document: String, tests: Int, file: StaticString = #filePath,
                                line: UInt = #line) throws {
        guard let python = Self.python3 else { throw XCTSkip("no python3 to run kunit_parser with") }
        guard let dir = Self.kunitToolDir() else {
            throw XCTSkip("kunit_parser.py not found: set KUNIT_TOOL_DIR, or install linux-source-6.12")
        }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(getpid()).ktap")
        try document.write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        // Before 6.13 parse_run_tests prints to stdout itself; after, to the Printer it is given.
        let driver = """
        import inspect, os, sys
        sys.path.insert(0, sys.argv[1])
        import kunit_parser
        lines = open(sys.argv[2]).readlines()
        if len(inspect.signature(kunit_parser.parse_run_tests).parameters) > 1:
            import kunit_printer
            test = kunit_parser.parse_run_tests(lines, kunit_printer.Printer(open(os.devnull, "w")))
        else:
            test = kunit_parser.parse_run_tests(lines)
        c = test.counts
        print("RESULT", test.status.name, c.passed, c.failed, c.crashed, c.skipped, c.errors, len(test.subtests))
        """
        let output = try Self.capture(python, ["-c", driver, dir, input.path])
        let result = output.split(separator: "\n").last { $0.hasPrefix("RESULT ") }.map(String.init) ?? ""
        let fields = result.split(separator: " ").dropFirst().map(String.init)
        XCTAssertEqual(fields.count, 7, "kunit_parser said: \(output)", file: file, line: line)
        let numbers = fields.dropFirst().compactMap { Int($0) }
        guard fields.count == 7, numbers.count == 6 else { return }
        XCTAssertFalse(["FAILURE_TO_PARSE_TESTS", "TEST_CRASHED", "NO_TESTS"].contains(fields[0]), result, file: file, line: line)
        XCTAssertEqual(numbers[2], 0, "kunit_parser found a crashed (missing) test: \(result)", file: file, line: line)
        XCTAssertEqual(numbers[4], 0, "kunit_parser reported errors: \(result)", file: file, line: line)
        XCTAssertEqual(numbers[0] + numbers[1] + numbers[3], tests, "every test counted: \(result)", file: file, line: line)
        XCTAssertEqual(numbers[5], tests, file: file, line: line)
    }

    /// Written by the reader thread, read after it signals.

    static var python3: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func kunitToolDir() -> String? {
        let fm = FileManager.default
        func has(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/kunit_parser.py") }
        if let dir = ProcessInfo.processInfo.environment["KUNIT_TOOL_DIR"], has(dir) { return dir }
        let src = (try? fm.contentsOfDirectory(atPath: "/usr/src")) ?? []
        for entry in src.sorted().reversed() where entry.hasPrefix("linux") {
            let dir = "/usr/src/\(entry)/tools/testing/kunit"
            if has(dir) { return dir }
        }
        let cache = AioctlProcess.binary.deletingLastPathComponent().appendingPathComponent("kunit-tool").path
        if has(cache) { return cache }
        guard let tarball = src.sorted().reversed().first(where: { $0.hasPrefix("linux-source-") && $0.contains(".tar") })
        else { return nil }
        let unpack = cache + ".partial"
        try? fm.removeItem(atPath: unpack)
        try? fm.createDirectory(atPath: unpack, withIntermediateDirectories: true)
        _ = try? capture("/bin/tar", ["-xf", "/usr/src/" + tarball, "-C", unpack, "--strip-components=4", "--wildcards",
                                      "*/tools/testing/kunit/kunit_parser.py", "*/tools/testing/kunit/kunit_printer.py"])
        guard has(unpack), (try? fm.moveItem(atPath: unpack, toPath: cache)) != nil else { return nil }
        return cache
    }

    static func capture(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
