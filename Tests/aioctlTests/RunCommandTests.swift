import Foundation
import XCTest

/// `aioctl run`, `aioctl shell` and the example scripts, as processes.
final class RunCommandTests: XCTestCase {
    static var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
    }

    func testEveryExampleRunsAndReportsEachCall() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).filter { $0.hasSuffix(".aio") }
        XCTAssertGreaterThanOrEqual(files.count, 4)
        for file in files.sorted() {
            let path = Self.examples.appendingPathComponent(file).path
            let result = try AioctlProcess.run(["run", path, "--json"])
            XCTAssertTrue([0, 1].contains(result.status), "\(file): \(result.status) \(result.stderr)")
            XCTAssertEqual(result.stderr, "", file)
            let doc = try AioctlProcess.json(result)
            let steps = try XCTUnwrap(doc["steps"] as? [[String: Any]], file)
            XCTAssertFalse(steps.isEmpty, file)
            let calls = steps.flatMap { $0["calls"] as? [[String: Any]] ?? [] }
            XCTAssertTrue(calls.contains { $0["syscall"] as? String == "io_setup" }, file)
            XCTAssertTrue(calls.contains { $0["syscall"] as? String == "io_destroy" }, file)
            XCTAssertNil(steps.first { $0["error"] is String }, "\(file): a step failed")
            let verdict = try XCTUnwrap(doc["verdict"] as? String)
            XCTAssertEqual(result.status, verdict == "agrees" ? 0 : 1, file)
        }
    }

    func testCancelPollExampleShowsTheCancelBesideEachDocument() throws {
        let result = try AioctlProcess.run(["run", Self.examples.appendingPathComponent("cancel-poll.aio").path])
        XCTAssertTrue(result.stdout.contains("io_cancel("), result.stdout)
        XCTAssertTrue(result.stdout.contains("situation: a pending IOCB_CMD_POLL is cancelled")
                      || result.stdout.contains("all agree"), result.stdout)
        XCTAssertTrue(result.stdout.contains("(from a timer)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("event: req1 res="), result.stdout)
    }

    func testScriptFromStandardInput() throws {
        let result = try AioctlProcess.run(["run", "-", "--json"], stdin: "ctx a = setup 0 via=syscall\n")
        let doc = try AioctlProcess.json(result)
        let step = try XCTUnwrap((doc["steps"] as? [[String: Any]])?.first)
        let call = try XCTUnwrap((step["calls"] as? [[String: Any]])?.first)
        XCTAssertEqual(call["return"] as? Int, -1)
        XCTAssertEqual(call["errno"] as? String, "EINVAL")
        XCTAssertEqual(doc["script"] as? String, "<stdin>")
    }

    func testSyntaxErrorRunsNothingAndNamesLineAndColumn() throws {
        let before = AioNr.read()
        let result = try AioctlProcess.run(["run", "-"], stdin: "ctx a = setup 8\nsubmit a r1 nr=x\n")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, "aioctl: <stdin>:2:16: nr takes a number, found 'x'\n")
        XCTAssertEqual(result.stdout, "", "nothing ran")
        XCTAssertEqual(AioNr.read(), before)
    }

    func testUndefinedHandleIsReportedBeforeRunning() throws {
        let result = try AioctlProcess.run(["run", "-"], stdin: "pipe p\ndestroy p\n")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, "aioctl: <stdin>:2:1: 'p' is a pipe, not a context\n")
    }

    func testMissingScriptIsNoInput() throws {
        let result = try AioctlProcess.run(["run", "/nonexistent/script.aio"])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1)
    }

    func testStepThatCannotRunStopsWithItsLine() throws {
        let script = "ctx a = setup 8\nopen f /nonexistent rdonly\nctx b = setup 8\n"
        let stopped = try AioctlProcess.run(["run", "-", "--json"], stdin: script)
        XCTAssertEqual(stopped.status, 64)
        XCTAssertEqual(stopped.stderr, "aioctl: <stdin>:2: open /nonexistent: ENOENT\n")
        let doc = try AioctlProcess.json(stopped)
        let calls = (doc["steps"] as? [[String: Any]] ?? []).flatMap { $0["calls"] as? [[String: Any]] ?? [] }
        XCTAssertEqual(calls.filter { $0["syscall"] as? String == "io_setup" }.count, 1, "line 3 did not run")
        XCTAssertEqual(calls.last?["syscall"] as? String, "io_destroy", "a is destroyed at the end")
        let kept = try AioctlProcess.run(["run", "-", "--keep-going"], stdin: script)
        XCTAssertEqual(kept.status, 0)
    }

    func testSIGINTStopsTheScriptAndDestroysItsContexts() throws {
        let script = "ctx a = setup 8\ngetevents a min=1 max=1 timeout=20s\nctx b = setup 8\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-int-\(getpid()).aio").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try AioctlProcess.run(["run", path, "--json"], interruptAfter: 0.5)
        XCTAssertEqual(result.status, 130, result.stderr)
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual(doc["interrupted_by"] as? String, "SIGINT")
        let calls = (doc["steps"] as? [[String: Any]] ?? []).flatMap { $0["calls"] as? [[String: Any]] ?? [] }
        XCTAssertEqual(calls.map { $0["syscall"] as? String ?? "" }, ["io_setup", "io_getevents", "io_destroy"],
                       "the wait ends with EINTR, line 3 never runs, a is destroyed")
        XCTAssertEqual(calls[1]["errno"] as? String, "EINTR")
    }

    func testShellReadsStandardInputLikeRun() throws {
        let result = try AioctlProcess.run(["shell"], stdin: "ctx a = setup 8\nshow ring a\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("magic 0xa10a10a1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("end of script: destroying"), result.stdout)
    }

    /// The interactive shell on a pseudo-terminal: prompt, help, live handles
    /// between lines, an error line that does not end the session.
    func testInteractiveShellOnAPseudoTerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("python3 is needed for the pty test") }
            throw XCTSkip("python3 is needed to drive a pseudo-terminal")
        }
        let driver = """
        import os, pty, sys, time, select
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["NO_COLOR"] = "1"
            os.execv(sys.argv[1], [sys.argv[1], "shell"])
        out = b""
        def wait_for(marker, limit=10):
            global out
            end = time.time() + limit
            while marker not in out and time.time() < end:
                r, _, _ = select.select([fd], [], [], 0.1)
                if r:
                    try: out += os.read(fd, 4096)
                    except OSError: break
        wait_for(b"aioctl> ")
        for line in [b"ctx a = setup 8", b"frobnicate", b"pipe p", b"iocb r = poll p.read in", b"submit a r", b"cancel a r", b"help", b"exit"]:
            os.write(fd, line + b"\\n")
            time.sleep(0.05)
        wait_for(b"verdict (")
        os.waitpid(pid, 0)
        sys.stdout.write(out.decode(errors="replace"))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", driver, AioctlProcess.binary.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("aioctl> "), text)
        XCTAssertTrue(text.contains("unknown statement 'frobnicate'"), text)
        XCTAssertTrue(text.contains("io_cancel("), "handles live between lines:\n\(text)")
        XCTAssertTrue(text.contains("show ring CTX"), "help lists the statements")
        XCTAssertTrue(text.contains("verdict (kapi)"), text)
    }
}

/// Nothing a script says may crash or hang aioctl.
final class HostileScriptTests: XCTestCase {
    func testEveryBadArgumentIsReportedNeverACrash() throws {
        let before = AioNr.read()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Scripts/hostile.aio").path
        for via in ["libaio", "syscall"] {
            let result = try AioctlProcess.run(["run", script, "--via", via, "--timeout", "20s"], limit: 40)
            XCTAssertTrue([0, 1].contains(result.status), "\(via): exit \(result.status)\n\(result.stderr.prefix(2000))")
            XCTAssertFalse(result.stderr.contains("crashed"), via)
            XCTAssertFalse(result.stdout.contains("timeout passed"), "\(via): a step hung")
            XCTAssertTrue(result.stdout.contains("verdict ("), via)
            XCTAssertEqual(AioNr.read(), before, via)
        }
    }
}
