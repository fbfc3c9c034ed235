import Foundation
import XCTest

/// `aioctl setup`, `submit`, `getevents` and `destroy`: one interesting
/// call each, as a shell script would run them.
final class SingleCallCommandTests: XCTestCase {
    /// The subject call of each command line: its syscall, situation and
    /// the errno the kernel gave (nil for success), read from --json.
    func subject(_ args: [String], _ syscall: String) throws -> (situation: String?, errno: String?, status: Int32) {
        let result = try AioctlProcess.run(args + ["--json"])
        XCTAssertTrue([0, 1].contains(result.status), "\(args): \(result.stderr)")
        let doc = try AioctlProcess.json(result)
        // The script's own lines (not the clean-up at line 0); the subject is
        // the last call of its syscall there.
        let steps = (doc["steps"] as? [[String: Any]] ?? []).filter { ($0["line"] as? Int ?? 0) > 0 }
        let calls = steps.flatMap { $0["calls"] as? [[String: Any]] ?? [] }
        let call = try XCTUnwrap(calls.last { $0["syscall"] as? String == syscall }, "\(args): no \(syscall)")
        return (call["situation"] as? String, call["errno"] as? String, result.status)
    }

    func testEachCommandMakesItsCallInTheSituationAsked() throws {
        let cases: [([String], String, String)] = [
            (["setup", "8"], "io_setup", "io_setup.success"),
            (["setup", "0"], "io_setup", "io_setup.nr-zero"),
            (["setup", "--ctxp", "unmapped", "--via", "syscall"], "io_setup", "io_setup.bad-ctxp"),
            (["setup", "1", "--preset", "0x10"], "io_setup", "io_setup.ctxp-nonzero"),
            (["submit", "--ready"], "io_submit", "io_submit.success"),
            (["submit", "--reserved2", "1"], "io_submit", "io_submit.bad-iocb"),
            (["submit", "--op", "pread", "/etc/hostname"], "io_submit", "io_submit.success"),
            (["submit", "--op", "pwrite", "--length", "1", "fifo"], "io_submit", "io_submit.success"),
            (["submit", "--op", "42"], "io_submit", "io_submit.bad-iocb"),
            (["getevents", "--min", "2", "--max", "1"], "io_getevents", "io_getevents.bad-range"),
            (["getevents", "--ready", "2"], "io_getevents", "io_getevents.events"),
            (["getevents", "--min", "0", "--timeout", "0"], "io_getevents", "io_getevents.timeout"),
            (["destroy"], "io_destroy", "io_destroy.success"),
            (["destroy", "--ctx", "destroyed"], "io_destroy", "io_destroy.bad-ctx"),
            (["destroy", "--ctx", "garbage"], "io_destroy", "io_destroy.garbage-handle"),
            (["destroy", "--pending-poll"], "io_destroy", "io_destroy.success"),
        ]
        for (args, syscall, situation) in cases {
            let got = try subject(args, syscall)
            XCTAssertEqual(got.situation, situation, "\(args)")
        }
    }

    func testTextShowsOnlyTheInterestingCallUnlessVerbose() throws {
        let quiet = try AioctlProcess.run(["destroy", "--pending-poll"])
        XCTAssertEqual(quiet.stdout.components(separatedBy: "io_setup(").count, 1, quiet.stdout)
        XCTAssertTrue(quiet.stdout.contains("io_destroy("), quiet.stdout)
        let verbose = try AioctlProcess.run(["destroy", "--pending-poll", "-v"])
        XCTAssertTrue(verbose.stdout.contains("io_setup("), verbose.stdout)
        XCTAssertTrue(verbose.stdout.contains("io_submit("), verbose.stdout)
    }

    func testPrintScriptShowsTheEquivalentScriptAndItRuns() throws {
        let printed = try AioctlProcess.run(["submit", "--op", "pread", "--length", "16", "/etc/hostname", "--print-script"])
        XCTAssertEqual(printed.status, 0)
        XCTAssertTrue(printed.stdout.contains("iocb r = pread t len=16"), printed.stdout)
        let ran = try AioctlProcess.run(["run", "-"], stdin: printed.stdout)
        XCTAssertEqual(ran.status, 0, ran.stderr)
    }
}
