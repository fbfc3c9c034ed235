import Foundation
import XCTest

/// `aioctl cancel` as a shell script sees it: exit status, stdout, stderr.
final class CancelCommandTests: XCTestCase {
    func testJSONDocumentFieldByField() throws {
        let result = try AioctlProcess.run(["cancel", "--poll", "pipe", "--json"])
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual(doc["command"] as? String, "cancel")
        XCTAssertEqual(doc["target"] as? String, "pipe")
        XCTAssertEqual(doc["request"] as? String, "POLL(in)")
        XCTAssertEqual(doc["via"] as? String, "libaio")
        XCTAssertEqual(doc["expect"] as? String, "kapi")
        XCTAssertEqual(doc["requested_delay_us"] as? Double, 10_000)
        let actual = try XCTUnwrap(doc["actual_delay_us"] as? Double)
        XCTAssertGreaterThanOrEqual(actual, 10_000)

        let calls = try XCTUnwrap(doc["calls"] as? [[String: Any]])
        XCTAssertEqual(calls.compactMap { $0["syscall"] as? String }.first, "io_setup")
        XCTAssertEqual(calls.compactMap { $0["syscall"] as? String }.last, "io_destroy")
        for call in calls {
            for key in ["syscall", "args", "return", "errno", "elapsed_us", "expected"] {
                XCTAssertNotNil(call[key], "call lacks \(key): \(call)")
            }
            for expected in call["expected"] as? [[String: Any]] ?? [] {
                for key in ["source", "return", "errno", "agrees"] { XCTAssertNotNil(expected[key], key) }
            }
        }
        let cancel = try XCTUnwrap(calls.first { $0["syscall"] as? String == "io_cancel" })
        let ret = try XCTUnwrap(cancel["return"] as? Int)
        let errno = cancel["errno"] as? String
        // libaio's convention: the return is the negated errno.
        if let errno {
            XCTAssertLessThan(ret, 0)
            XCTAssertEqual(errno, ret == -115 ? "EINPROGRESS" : errno)
        }
        let expected = try XCTUnwrap(cancel["expected"] as? [[String: Any]])
        XCTAssertEqual(Set(expected.compactMap { $0["source"] as? String }), ["kapi", "man2", "libaio"])
        let kapi = try XCTUnwrap(expected.first { $0["source"] as? String == "kapi" })
        XCTAssertEqual(kapi["agrees"] as? Bool, errno == "EINPROGRESS",
                       "kapi's verdict must follow the kernel's recorded answer")

        let events = try XCTUnwrap(doc["events"] as? [[String: Any]])
        XCTAssertEqual(events.count, 1)
        let event = try XCTUnwrap(events.first)
        for key in ["res", "res_errno", "res2", "obj_matches", "data_matches", "after_us"] {
            XCTAssertNotNil(event[key], "event lacks \(key)")
        }
        XCTAssertEqual(event["obj_matches"] as? Bool, true)
        XCTAssertEqual(event["data_matches"] as? Bool, true)
        let verdict = try XCTUnwrap(doc["verdict"] as? String)
        XCTAssertEqual(verdict, kapi["agrees"] as? Bool == true ? "agrees" : "differs")
        XCTAssertEqual(result.status, verdict == "agrees" ? 0 : 1)
    }

    func testSyscallConventionShowsMinusOneAndErrno() throws {
        let doc = try AioctlProcess.json(try AioctlProcess.run(["cancel", "--via", "syscall", "--json"]))
        let calls = try XCTUnwrap(doc["calls"] as? [[String: Any]])
        let cancel = try XCTUnwrap(calls.first { $0["syscall"] as? String == "io_cancel" })
        if cancel["errno"] is String { XCTAssertEqual(cancel["return"] as? Int, -1) }
        XCTAssertEqual(doc["via"] as? String, "syscall")
    }

    /// --expect decides the verdict and the exit status; the kernel's answer
    /// is the same whichever source is chosen.
    func testExpectChangesVerdictAndExitStatusConsistently() throws {
        var verdicts: [String: (Int32, String)] = [:]
        for source in ["kapi", "man2", "libaio"] {
            let result = try AioctlProcess.run(["cancel", "--expect", source, "--json"])
            let doc = try AioctlProcess.json(result)
            let calls = try XCTUnwrap(doc["calls"] as? [[String: Any]])
            let allAgree = calls.allSatisfy { call in
                (call["expected"] as? [[String: Any]] ?? []).allSatisfy {
                    $0["source"] as? String != source || $0["agrees"] as? Bool == true
                }
            }
            let verdict = try XCTUnwrap(doc["verdict"] as? String)
            XCTAssertEqual(verdict, allAgree ? "agrees" : "differs", source)
            XCTAssertEqual(result.status, allAgree ? 0 : 1, source)
            verdicts[source] = (result.status, verdict)
        }
        // kapi and man2 make opposite claims about a pending poll's cancel.
        XCTAssertNotEqual(verdicts["kapi"]?.1, verdicts["man2"]?.1)
    }

    func testTextNamesEverySyscallAndTheVerdict() throws {
        let result = try AioctlProcess.run(["cancel", "--read", "pipe"])
        for name in ["io_setup(", "io_submit(", "io_cancel(", "io_getevents(", "io_destroy(", "verdict (kapi)"] {
            XCTAssertTrue(result.stdout.contains(name), "missing \(name) in:\n\(result.stdout)")
        }
        XCTAssertTrue(result.stdout.contains("while io_submit was blocked"), result.stdout)
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colour when NO_COLOR is set or stdout is a pipe")
        for args in [["--read", "pipe"], ["--poll", "pipe"], ["--ready", "eventfd"], ["--count", "2", "fifo"]] {
            let output = try AioctlProcess.run(["cancel"] + args).stdout
            for line in output.split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(args): wider than 80 columns: \(line)")
            }
        }
    }

    func testQuietPrintsNothing() throws {
        let result = try AioctlProcess.run(["cancel", "--quiet", "--expect", "man2"])
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.status, 1)
    }

    func testCountEndsWithASummary() throws {
        let result = try AioctlProcess.run(["cancel", "--count", "3", "--after", "0", "--json"])
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual((doc["runs"] as? [Any])?.count, 3)
        let summary = try XCTUnwrap(doc["summary"] as? [String: Any])
        let cancels = try XCTUnwrap(summary["io_cancel"] as? [String: Int])
        XCTAssertEqual(cancels.values.reduce(0, +), 3)
        let text = try AioctlProcess.run(["cancel", "--count", "2", "--after", "0"])
        XCTAssertTrue(text.stdout.contains("summary of 2 runs"), text.stdout)
    }

    func testDescriptorPassedByTheCaller() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$0\" cancel --json fd:3 3</dev/zero", AioctlProcess.binary.path]
        let out = Pipe()
        process.standardOutput = out
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(doc["target"] as? String, "fd:3")
        XCTAssertEqual((doc["events"] as? [Any])?.count, 1, "a poll on /dev/zero completes at once")
    }

    func testReadyPollMeetsAFinishedRequest() throws {
        let doc = try AioctlProcess.json(try AioctlProcess.run(["cancel", "--ready", "socketpair", "--json"]))
        let events = try XCTUnwrap(doc["events"] as? [[String: Any]])
        XCTAssertEqual(events.first?["res_poll"] as? String, "in")
        let calls = try XCTUnwrap(doc["calls"] as? [[String: Any]])
        let cancel = try XCTUnwrap(calls.first { $0["syscall"] as? String == "io_cancel" })
        XCTAssertEqual(cancel["situation"] as? String, "io_cancel.completed")
    }

    /// Bad input: one line on stderr naming the problem, a documented status.
    func testBadInputGetsOneLineAndItsStatus() throws {
        let dir = FileManager.default.temporaryDirectory.path
        let cases: [([String], Int32, String)] = [
            (["nosuch"], 64, "unknown target 'nosuch'"),
            (["/nonexistent/file"], 66, "no such file"),
            ([dir], 66, "is a directory"),
            (["fd:97"], 66, "descriptor 97 is not open"),
            (["fd:x"], 64, "fd: takes a descriptor number"),
            (["--after=-5ms"], 64, "cannot be negative"),
            (["--after", "10"], 64, "not a duration"),
            (["--after", "soon"], 64, "not a duration"),
            (["--timeout", "0"], 64, "--timeout must be longer than 0"),
            (["--after", "2s", "--timeout", "1s"], 64, "is not shorter than --timeout"),
            (["--read", "--length", "0"], 64, "--length must be at least 1 byte"),
            (["--read", "--length", "99999999999"], 64, "larger than the 1 GiB"),
            (["--read", "--events", "in"], 64, "--events goes with --poll"),
            (["--nowait"], 64, "--nowait goes with --read"),
            (["--length", "10"], 64, "--length and --offset go with --read"),
            (["--poll", "--read"], 64, "--read"),
            (["--events", "bogus"], 64, "unknown poll bit 'bogus'"),
            (["--json", "--quiet"], 64, "conflict"),
            (["--via", "bogus"], 64, "bogus"),
            (["--expect", "posix"], 64, "posix"),
            (["--read", "--unblock", "close", "eventfd"], 64, "eventfd has no separate write end"),
            (["--count", "0"], 64, "--count must be at least 1"),
            (["--nr-events", "0"], 64, "--nr-events"),
            (["--no-such-flag"], 64, "no-such-flag"),
        ]
        // One line on stderr also rules out a crash, whose report takes many.
        try assertRejected(cases.map { (["cancel"] + $0.0, $0.1, $0.2) })
    }

    func testUnreadableFileIsNoInput() throws {
        // Root reads any mode-000 file, so use a kernfs attribute without a
        // read method when running as root; a chmod-000 file otherwise.
        let path: String
        if getuid() == 0 {
            guard let found = ["/sys/bus/cpu/uevent", "/sys/bus/pci/rescan", "/sys/module/kernel/uevent"]
                .first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw XCTSkip("no write-only sysfs attribute on this machine")
            }
            path = found
        } else {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-unreadable-\(getpid())").path
            _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8), attributes: [.posixPermissions: 0])
        }
        defer { if getuid() != 0 { try? FileManager.default.removeItem(atPath: path) } }
        let result = try AioctlProcess.run(["cancel", path])
        XCTAssertEqual(result.status, 66, result.stderr)
        XCTAssertTrue(result.stderr.contains("permission denied") || result.stderr.contains("cannot open"), result.stderr)
    }

    /// SIGINT and SIGTERM: clean up, report what happened, exit 130/143.
    func testSignalsDestroyTheContextAndExitWithTheirStatus() throws {
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let process = Process()
            process.executableURL = AioctlProcess.binary
            process.arguments = ["cancel", "--after", "never", "--reap-timeout", "20s", "--json"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // Wait until the child's own context is mapped, then interrupt the reaping wait.
            let maps = "/proc/\(process.processIdentifier)/maps"
            let deadline = Date().addingTimeInterval(5)
            while !((try? String(contentsOfFile: maps, encoding: .utf8)) ?? "").contains("[aio]") && Date() < deadline {
                usleep(1_000)
            }
            usleep(50_000)
            kill(process.processIdentifier, signal)
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, status)
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            XCTAssertEqual(doc["interrupted_by"] as? String, signal == SIGINT ? "SIGINT" : "SIGTERM")
            let calls = try XCTUnwrap(doc["calls"] as? [[String: Any]])
            XCTAssertEqual(calls.last?["syscall"] as? String, "io_destroy")
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertFalse(stderr.contains("still mapped at exit"), stderr)
        }
    }

    func testHelpDocumentsTheExitStatuses() throws {
        let result = try AioctlProcess.run(["cancel", "--help"])
        XCTAssertEqual(result.status, 0)
        for fragment in ["EXIT STATUS", "64", "66", "70", "--unblock", "--expect"] {
            XCTAssertTrue(result.stdout.contains(fragment), fragment)
        }
    }
}
