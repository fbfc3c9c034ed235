import AIOEngine
import AIODocuments
import AIOKernel
import Foundation
import XCTest

/// KTAP version 1 (or TAP version 13) as `check` writes it, checked line by
/// line: each result line carries a short reason and is followed by its own
/// diagnostics, where LAVA's kselftest parser attaches them.
enum KTAP {
    struct Summary {
        var plan = 0
        var ok = 0, notOK = 0, skip = 0
        var totals: (pass: Int, fail: Int, skip: Int)?
    }

    /// Validates the document; returns what it counted, or fails the test.
    static func validate(_ text: String, version: String = "KTAP version 1",
                         file: StaticString = #filePath, line: UInt = #line) -> Summary {
        var summary = Summary()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, version, "first line", file: file, line: line)
        XCTAssertEqual(lines.last, "", "the document ends with a newline", file: file, line: line)
        guard lines.count > 2, lines[1].hasPrefix("1.."), let plan = Int(lines[1].dropFirst(3)) else {
            XCTFail("second line must be the plan 1..N: \(lines.dropFirst().first ?? "")", file: file, line: line)
            return summary
        }
        summary.plan = plan
        let result = try! NSRegularExpression(pattern: #"^(ok|not ok) ([0-9]+) ([^#]*[^# ])( # SKIP)?( # \S.*)?$"#)
        let totals = try! NSRegularExpression(
            pattern: #"^# Totals: pass:([0-9]+) fail:([0-9]+) xfail:0 xpass:0 skip:([0-9]+) error:0$"#)
        var expectedNumber = 1
        for (i, l) in lines.enumerated().dropFirst(2) where !l.isEmpty {
            let range = NSRange(l.startIndex..., in: l)
            if let m = totals.firstMatch(in: l, range: range) {
                XCTAssertEqual(i, lines.count - 2, "the totals line comes last", file: file, line: line)
                let n = (1...3).map { Int((l as NSString).substring(with: m.range(at: $0)))! }
                summary.totals = (n[0], n[1], n[2])
            } else if let m = result.firstMatch(in: l, range: range) {
                let number = Int((l as NSString).substring(with: m.range(at: 2)))!
                XCTAssertEqual(number, expectedNumber, "results are numbered in order: \(l)", file: file, line: line)
                expectedNumber += 1
                let isSkip = m.range(at: 4).location != NSNotFound
                let hasReason = m.range(at: 5).location != NSNotFound
                if (l as NSString).substring(with: m.range(at: 1)) == "not ok" {
                    XCTAssertFalse(isSkip, "a skip is reported as ok: \(l)", file: file, line: line)
                    XCTAssertTrue(hasReason, "a failure says why on its line: \(l)", file: file, line: line)
                    summary.notOK += 1
                    // The diagnostics that explain a failure follow it, up to the next result.
                    let after = lines[(i + 1)...].prefix { $0.hasPrefix("#") && !$0.hasPrefix("# Totals:") }
                    XCTAssertTrue(after.contains { $0.hasPrefix("# observed: ") }, "observed after \(l)", file: file, line: line)
                    XCTAssertTrue(after.contains { $0.contains("expected ") }, "expected after \(l)", file: file, line: line)
                } else if isSkip {
                    XCTAssertTrue(lines[i + 1].hasPrefix("# skipped: "), "the reason follows a skip: \(l)",
                                  file: file, line: line)
                    summary.skip += 1
                } else {
                    XCTAssertFalse(hasReason, "only SKIP follows a passing result: \(l)", file: file, line: line)
                    summary.ok += 1
                }
            } else {
                XCTAssertTrue(l.hasPrefix("# "), "not a KTAP line: \(l)", file: file, line: line)
            }
        }
        XCTAssertEqual(expectedNumber - 1, plan, "as many results as the plan says", file: file, line: line)
        if let t = summary.totals {
            XCTAssertEqual(t.pass, summary.ok, "totals pass", file: file, line: line)
            XCTAssertEqual(t.fail, summary.notOK, "totals fail", file: file, line: line)
            XCTAssertEqual(t.skip, summary.skip, "totals skip", file: file, line: line)
        } else {
            XCTFail("no totals line", file: file, line: line)
        }
        return summary
    }
}

final class CheckKTAPTests: XCTestCase {
    private func result(_ name: String, _ state: SourceVerdict.State?, skip: String? = nil) -> ScenarioResult {
        let verdicts = state.map { s in
            [SourceVerdict(source: .kapi, state: s, expected: s == .noClaim ? nil : "-EINVAL", claim: "EINVAL",
                           reference: "KAPI", differences: s == .differs ? ["said -EINVAL; the kernel returned 0"] : [])]
        } ?? []
        return ScenarioResult(name: name, syscall: .io_setup, situation: "io_setup.nr-zero", via: .syscall,
                              status: skip == nil ? .ran : .skipped, skipReason: skip, observed: "0",
                              observedReturn: 0, observedErrno: nil, events: [], verdicts: verdicts, calls: [],
                              callLines: [], notes: [], isolated: false, elapsedNs: 1000)
    }

    func testKTAPOfKnownResultsFollowsTheFormatAndExitStatus() {
        let report = CheckReport(results: [
            result("io_setup.a", .agrees), result("io_setup.b", .differs),
            result("io_setup.c", .noClaim), result("io_setup.d", nil, skip: "cannot here"),
        ], expect: .kapi, elapsedNs: 1)
        let text = report.ktap(header: ["a header"])
        let s = KTAP.validate(text)
        XCTAssertEqual(s.plan, 4)
        XCTAssertEqual(s.ok, 2, "agrees and no-claim both pass")
        XCTAssertEqual(s.notOK, 1)
        XCTAssertEqual(s.skip, 1)
        XCTAssertTrue(text.contains("ok 4 io_setup.d syscall # SKIP\n# skipped: cannot here\n"))
        XCTAssertTrue(text.contains("not ok 2 io_setup.b syscall # kapi expected -EINVAL, got 0\n# situation "), text)
        XCTAssertTrue(text.contains("# kapi makes no claim about this situation: counted as a pass"))
        XCTAssertEqual(report.exitStatus, .differs)
    }

    func testAllSkippedIsFourAndAllAgreeingIsZero() {
        let skipped = CheckReport(results: [result("io_setup.a", nil, skip: "x")], expect: .kapi, elapsedNs: 1)
        XCTAssertEqual(skipped.exitStatus, .unavailable)
        let fine = CheckReport(results: [result("io_setup.a", .agrees), result("io_setup.b", nil, skip: "x")],
                               expect: .kapi, elapsedNs: 1)
        XCTAssertEqual(fine.exitStatus, .agrees)
        _ = KTAP.validate(fine.ktap())
    }

    func testHashInANameCannotStartADirective() {
        let report = CheckReport(results: [result("io_setup.a#b", .agrees)], expect: .kapi, elapsedNs: 1)
        let text = report.ktap()
        XCTAssertTrue(text.contains("ok 1 io_setup.a_b syscall\n"))
        _ = KTAP.validate(text)
    }
}

/// What LAVA's kselftest parser (Linaro test-definitions, parse-output.py)
/// and tappy make of `check`: the same names every run, each failure's log
/// its own, and TAP version 13 without a false failure.
final class CheckLAVATests: XCTestCase {
    /// The names LAVA gives results: the description, plus whatever follows
    /// SKIP (it keeps a skip's directive in the name, so check writes none).
    func lavaNames(_ ktap: String) -> [String] {
        ktap.split(separator: "\n").compactMap { line -> String? in
            guard let m = line.firstMatch(of: #/^(?:not )?ok [0-9]+ ([^#]*?)(?: # (SKIP.*|.*))?$/#) else { return nil }
            let directive = m.2.map(String.init) ?? ""
            return directive.hasPrefix("SKIP") ? "\(m.1) \(directive.dropFirst(4))" : String(m.1)
        }
    }

    func testTheSameNamesComeOutOfTwoRuns() throws {
        let first = try AioctlProcess.run(["check", "--format", "ktap", "--filter", "io_setup*"], limit: 120)
        let second = try AioctlProcess.run(["check", "--format", "ktap", "--filter", "io_setup*"], limit: 120)
        _ = KTAP.validate(first.stdout)
        let names = lavaNames(first.stdout)
        XCTAssertGreaterThan(names.count, 10)
        XCTAssertEqual(names, lavaNames(second.stdout))
        for name in names { XCTAssertNil(name.firstMatch(of: #/ [0-9]+( |$)/#), "a bare number in a name: \(name)") }
    }

    func testTAPVersion13ReadsWithoutAFalseFailure() throws {
        let result = try AioctlProcess.run(["check", "--format", "tap", "--filter", "io_setup*"], limit: 120)
        let summary = KTAP.validate(result.stdout, version: "TAP version 13")
        guard let tappy = Subprocess.find("tappy") else { throw XCTSkip("tappy (pip install tap.py) is not on PATH") }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-\(UUID().uuidString).tap")
        try result.stdout.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let read = try Subprocess.run(tappy, [url.path])
        let failures = read.stdout + read.stderr
        if summary.notOK == 0 {
            XCTAssertEqual(read.status, 0, failures)
        } else {
            XCTAssertTrue(failures.contains("failures=\(summary.notOK)"), "tappy counts only the not-ok lines: \(failures)")
        }
    }

    func testListPrintsJSONWhenAsked() throws {
        let result = try AioctlProcess.run(["check", "--list", "--format", "json", "--filter", "io_destroy*"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertFalse(list.isEmpty)
        XCTAssertTrue(list.allSatisfy { ($0["syscall"] as? String) == "io_destroy" && $0["name"] is String })
    }
}
