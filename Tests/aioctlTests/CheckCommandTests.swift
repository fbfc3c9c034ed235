import AIOEngine
import AIODocuments
import AIOKernel
import Foundation
import XCTest

/// `aioctl check` and `aioctl spec` as a user runs them, against the real kernel.
final class CheckCommandTests: XCTestCase {
    private func array(_ result: AioctlProcess.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(object as? [[String: Any]], "stdout is not a JSON array", file: file, line: line)
    }

    /// An isolated child asked for a scenario that does not exist: one line and
    /// a usage status, whether its words are ChildRun's own (read before the
    /// parser) or a person's (through it), and no started line.
    func testAChildAskedForAnUnknownScenarioSaysSoInOneLine() throws {
        for words in [["check", "--run-one", "nope", "--via", "syscall", "--expect", "kapi", "--format", "json"],
                      ["check", "--run-one", "io_destroy.twice,nope", "--via", "libaio", "--expect", "man2",
                       "--format", "json", "--call-detail", "none"],
                      ["check", "--run-one", "nope", "--via", "syscall"]] {
            let result = try AioctlProcess.run(words)
            XCTAssertEqual(result.status, 64, words.joined(separator: " "))
            XCTAssertEqual(result.stdout, "", words.joined(separator: " "))
            XCTAssertEqual(result.stderr, "aioctl: no scenario named 'nope'\n", words.joined(separator: " "))
        }
    }

    func testFullRunInKTAPHasEveryScenarioTwiceAndAnExitStatusThatMatches() throws {
        let result = try AioctlProcess.run(["check", "--format", "ktap"], limit: 60)
        XCTAssertEqual(result.stderr, "")
        let s = KTAP.validate(result.stdout)
        XCTAssertEqual(s.plan, Scenarios.all.count * 2, "both conventions are counted in the plan")
        XCTAssertGreaterThanOrEqual(s.plan, 80)
        let expected: Int32 = s.notOK > 0 ? 1 : (s.skip == s.plan ? 4 : 0)
        XCTAssertEqual(result.status, expected, "kselftest exit status")
    }

    func testJSONHasStableFieldsAndVerdictsMatchTheExitStatus() throws {
        let result = try AioctlProcess.run(["check", "--format", "json", "--filter", "io_cancel*", "--expect", "man2"],
                                           limit: 60)
        let runs = try array(result)
        XCTAssertEqual(runs.count, Scenarios.all.filter { $0.syscall == .io_cancel }.count * 2)
        for run in runs {
            for key in ["name", "syscall", "situation", "via", "status", "verdict", "expect", "skip_reason", "observed",
                        "return", "errno", "events", "sources", "notes", "isolated", "elapsed_us", "calls"] {
                XCTAssertNotNil(run[key], "field \(key) missing in \(run["name"] ?? "?")")
            }
            XCTAssertEqual(run["syscall"] as? String, "io_cancel")
            XCTAssertEqual(run["expect"] as? String, "man2")
            XCTAssertTrue(["agrees", "differs", "no-claim", "skip"].contains(run["verdict"] as? String ?? ""))
            let sources = try XCTUnwrap(run["sources"] as? [[String: Any]])
            XCTAssertEqual(sources.compactMap { $0["source"] as? String }, ["kapi", "man2", "libaio"])
        }
        let differs = runs.contains { $0["verdict"] as? String == "differs" }
        XCTAssertEqual(result.status, differs ? 1 : 0)
    }

    func testACrashInAnIsolatedScenarioIsReportedAndTheRunGoesOn() throws {
        // libaio reads the ring at the handle's address in user space; an
        // unmapped handle is where it may crash. The runner makes that call in
        // a forked child, so the check process goes on; whatever it does is reported.
        let result = try AioctlProcess.run(["check", "--format", "json", "--via", "libaio",
                                            "--filter", "io_getevents.ctx-*"], limit: 60)
        let runs = try array(result)
        XCTAssertEqual(runs.count, Scenarios.all.filter { $0.name.hasPrefix("io_getevents.ctx-") }.count,
                       "every selected scenario has a result")
        let unmapped = try XCTUnwrap(runs.first { $0["name"] as? String == "io_getevents.ctx-garbage-unmapped" })
        XCTAssertEqual(unmapped["isolated"] as? Bool, false, "no process of its own: only the call is forked")
        if unmapped["status"] as? String == "crashed" {
            XCTAssertTrue((unmapped["observed"] as? String ?? "").hasPrefix("libaio: killed by SIG"))
            XCTAssertTrue((unmapped["notes"] as? [String] ?? []).contains("the call ran in a child process of its own"))
        } else {
            XCTAssertEqual(unmapped["status"] as? String, "ran")
        }
        XCTAssertTrue(runs.contains { $0["name"] as? String == "io_getevents.ctx-zero" && $0["status"] as? String == "ran" })
    }

    func testAioNrIsBackAfterACheck() throws {
        // aio-nr is system-wide: another process may move it meanwhile, so a
        // few attempts are allowed; a leak would show in every one of them.
        var attempts: [(Int, Int)] = []
        for _ in 0..<3 {
            let before = AioNr.read()
            try AioctlProcess.run(["check", "--format", "ktap"], limit: 60)
            let after = AioNr.read()
            attempts.append((before, after))
            if before == after { return }
        }
        XCTFail("aio-nr before and after check differed in every attempt: \(attempts)")
    }

    func testListAndFilter() throws {
        let all = try AioctlProcess.run(["check", "--list"])
        XCTAssertEqual(all.status, 0)
        let lines = all.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, Scenarios.all.count)
        let cancel = try AioctlProcess.run(["check", "--list", "--filter", "io_cancel"])
        let names = cancel.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(names, Scenarios.all.filter { $0.syscall == .io_cancel }.map(\.name))
        let glob = try AioctlProcess.run(["check", "--list", "--filter", "*pending-poll-*"])
        XCTAssertTrue(glob.stdout.split(separator: "\n").allSatisfy { $0.contains("pending-poll-") })
        let none = try AioctlProcess.run(["check", "--filter", "no-such-scenario"])
        XCTAssertEqual(none.status, 64)
        XCTAssertEqual(none.stdout, "")
        XCTAssertEqual(none.stderr.split(separator: "\n").count, 1, "one line on stderr")
        XCTAssertTrue(none.stderr.hasPrefix("aioctl: "))
    }

    func testEverythingSkippedExitsFour() throws {
        let result = try AioctlProcess.run(["check", "--format", "json", "--filter", "io_submit.ioprio-rt-unprivileged"])
        let runs = try array(result)
        let allSkipped = runs.allSatisfy { $0["status"] as? String == "skipped" }
        if allSkipped {
            XCTAssertEqual(result.status, 4)
            XCTAssertTrue(runs.allSatisfy { !(($0["skip_reason"] as? String) ?? "").isEmpty })
        } else {
            XCTAssertNotEqual(result.status, 4)
        }
    }

    func testTextHasOneLinePerRunAndASummary() throws {
        let result = try AioctlProcess.run(["check", "--filter", "io_destroy*"], limit: 60)
        let n = Scenarios.all.filter { $0.syscall == .io_destroy }.count * 2
        let lines = result.stdout.split(separator: "\n")
        XCTAssertTrue(lines.prefix(n).allSatisfy { $0.hasPrefix("ok") || $0.hasPrefix("DIFF") || $0.hasPrefix("SKIP") })
        XCTAssertTrue(result.stdout.contains("per syscall"))
        XCTAssertTrue(result.stdout.contains("per source"))
        for source in ["kapi", "man2", "libaio"] { XCTAssertTrue(result.stdout.contains("  \(source) ")) }
    }

    func testSpecJSONCoversEverySyscallAndSituation() throws {
        let result = try AioctlProcess.run(["spec", "--json"])
        XCTAssertEqual(result.status, 0)
        let doc = try AioctlProcess.json(result)
        let syscalls = try XCTUnwrap(doc["syscalls"] as? [[String: Any]])
        XCTAssertEqual(syscalls.compactMap { $0["syscall"] as? String }, AIOSyscall.allCases.map(\.rawValue))
        var ids: Set<String> = []
        for s in syscalls {
            for situation in try XCTUnwrap(s["situations"] as? [[String: Any]]) {
                let id = try XCTUnwrap(situation["id"] as? String)
                ids.insert(id)
                let scenarios = situation["scenarios"] as? [String] ?? []
                let reason = situation["not_provokable"] as? String
                XCTAssertTrue(!scenarios.isEmpty || reason != nil, "\(id): neither a scenario nor a reason")
                XCTAssertFalse(!scenarios.isEmpty && reason != nil, "\(id): both a scenario and a reason")
            }
        }
        XCTAssertEqual(ids, Set(Catalog.all.map(\.id)))
        let one = try AioctlProcess.run(["spec", "io_cancel"])
        XCTAssertTrue(one.stdout.contains("io_cancel.pending-poll"))
        XCTAssertFalse(one.stdout.contains("io_setup."))
        let bad = try AioctlProcess.run(["spec", "io_nothing"])
        XCTAssertEqual(bad.status, 64)
    }
}
