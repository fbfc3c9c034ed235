import Foundation
import XCTest

/// `aioctl shell` on a pseudo-terminal, driven the way a user's keys drive it:
/// history on Up, completion on Tab, Ctrl-C back to the prompt, Ctrl-D and
/// SIGTERM out, and no CPU while it waits for a key.
final class ShellLineEditorTests: XCTestCase {
    struct Session {
        var transcript: String
        var exitStatus: Int
        var observations: [String: Any]
        var history: String
    }

    /// Runs the shell under python3's pty with `steps` (a Python list of
    /// actions, see `driver`) and a fresh $XDG_STATE_HOME.
    func drive(_ steps: String, file: StaticString = #filePath, line: UInt = #line) throws -> Session {
        let python = try Subprocess.require("python3")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try Subprocess.run(python, ["-c", Self.driver + "\nrun(\(steps))\n",
                                                 AioctlProcess.binary.path, state.path], limit: 60)
        XCTAssertEqual(result.status, 0, "driver: \(result.stderr)", file: file, line: line)
        let parts = result.stdout.components(separatedBy: "\n--- transcript ---\n")
        let summary = try XCTUnwrap(parts.first?.data(using: .utf8), file: file, line: line)
        let observed = try XCTUnwrap(JSONSerialization.jsonObject(with: summary) as? [String: Any],
                                     "driver said: \(result.stdout)", file: file, line: line)
        let history = (try? String(contentsOf: state.appendingPathComponent("aioctl/history"), encoding: .utf8)) ?? ""
        return Session(transcript: parts.dropFirst().joined(), exitStatus: observed["exit"] as? Int ?? -1,
                       observations: observed, history: history)
    }

    func testUpRecallsTheLastLineAndHistoryIsKeptInXDGStateHome() throws {
        let s = try drive(#"[("type", "show handles\r"), ("prompt",), ("type", "\x1b[A\r"), ("prompt",), ("type", "exit\r")]"#)
        XCTAssertEqual(s.exitStatus, 0, s.transcript)
        XCTAssertTrue(s.transcript.contains("1: show handles"), s.transcript)
        XCTAssertTrue(s.transcript.contains("2: show handles"), "Up then Enter runs the last line again:\n\(s.transcript)")
        XCTAssertFalse(s.transcript.contains("^[[A"), "the arrow is a key, not text")
        XCTAssertTrue(s.history.contains("show\\040handles"), "history file: \(s.history)")
    }

    func testTabCompletesKeywordsAndHandleNames() throws {
        let s = try drive(#"[("type", "ctx ring_buffer = setup 8\r"), ("prompt",), ("type", "hel\t\r"), ("prompt",),"#
                          + #" ("type", "show ring ring_b\t\r"), ("prompt",), ("type", "exit\r")]"#)
        XCTAssertEqual(s.exitStatus, 0, s.transcript)
        XCTAssertTrue(s.transcript.contains("show ring CTX"), "hel<Tab> ran help:\n\(s.transcript)")
        XCTAssertTrue(s.transcript.contains("3: show ring ring_buffer"), "a handle name completes:\n\(s.transcript)")
        XCTAssertTrue(s.transcript.contains("magic 0xa10a10a1"), s.transcript)
    }

    func testCtrlCClearsTheLineThenCtrlDLeavesDestroyingContexts() throws {
        let s = try drive(#"[("type", "ctx a = setup 8\r"), ("prompt",), ("type", "frobnicate"), ("type", "\x03"),"#
                          + #" ("prompt",), ("type", "show handles\r"), ("prompt",), ("type", "\x04")]"#)
        XCTAssertEqual(s.exitStatus, 0, s.transcript)
        XCTAssertFalse(s.transcript.contains("unknown statement"), "the cleared line never ran:\n\(s.transcript)")
        XCTAssertTrue(s.transcript.contains("2: show handles"), s.transcript)
        XCTAssertTrue(s.transcript.contains("end of script: destroying"), s.transcript)
        XCTAssertTrue(s.transcript.contains("io_destroy("), s.transcript)
    }

    func testCtrlCInterruptsABlockedStatementAndReturnsToThePrompt() throws {
        let s = try drive(#"[("type", "ctx a = setup 8\r"), ("prompt",),"#
                          + #" ("type", "getevents a min=1 max=1 timeout=none\r"), ("sleep", 0.5), ("signal", 2),"#
                          + #" ("prompt",), ("type", "show handles\r"), ("prompt",), ("type", "exit\r")]"#)
        XCTAssertEqual(s.exitStatus, 0, s.transcript)
        XCTAssertTrue(s.transcript.contains("-EINTR"), "the wait ended with EINTR:\n\(s.transcript)")
        XCTAssertTrue(s.transcript.contains("3: show handles"), "the shell went on:\n\(s.transcript)")
    }

    func testSIGTERMLeavesWith143AndDestroysContexts() throws {
        let s = try drive(#"[("type", "ctx a = setup 8\r"), ("prompt",), ("signal", 15)]"#)
        XCTAssertEqual(s.exitStatus, 143, s.transcript)
        XCTAssertTrue(s.transcript.contains("io_destroy("), s.transcript)
    }

    /// A spinning prompt costs about 100 clock ticks a second; a waiting one none.
    func testAnIdlePromptUsesNoCPU() throws {
        let s = try drive(#"[("type", "ctx a = setup 8\r"), ("prompt",), ("idle", 1.0), ("type", "\x03"), ("prompt",),"#
                          + #" ("idle", 1.0), ("type", "exit\r")]"#)
        XCTAssertEqual(s.exitStatus, 0, s.transcript)
        let ticks = try XCTUnwrap(s.observations["idle_ticks"] as? [Int])
        XCTAssertEqual(ticks.count, 2)
        for t in ticks { XCTAssertLessThanOrEqual(t, 2, "utime+stime ticks over a second of idling: \(ticks)") }
    }

    /// Steps: ("type", text) writes keys; ("prompt",) waits for a new prompt;
    /// ("signal", n) signals the shell; ("sleep", s); ("idle", s) measures
    /// utime+stime from /proc/PID/stat across s seconds. Prints a JSON summary,
    /// then the transcript.
    static let driver = #"""
        import json, os, pty, select, signal, sys, time
        binary, state = sys.argv[1], sys.argv[2]
        def run(steps):
            pid, fd = pty.fork()
            if pid == 0:
                os.environ.update(NO_COLOR="1", TERM="xterm", XDG_STATE_HOME=state, HOME=state)
                os.execv(binary, [binary, "shell", "--timeout", "50s"])
            out = bytearray()
            def pump(seconds):
                r, _, _ = select.select([fd], [], [], seconds)
                if r:
                    try: out.extend(os.read(fd, 65536))
                    except OSError: return False
                return True
            seen = [0]
            def wait_prompt():
                end = time.time() + 20
                while time.time() < end:
                    at = out.find(b"aioctl> ", seen[0])
                    if at >= 0:
                        seen[0] = at + 1
                        return
                    if not pump(0.1): return
                raise SystemExit("no prompt after: %r" % bytes(out[-400:]))
            def ticks():
                fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
                return int(fields[11]) + int(fields[12])
            summary = {"idle_ticks": []}
            wait_prompt()
            for step in steps:
                kind = step[0]
                if kind == "type":
                    os.write(fd, step[1].encode())
                    time.sleep(0.1)
                elif kind == "prompt": wait_prompt()
                elif kind == "signal": os.kill(pid, step[1])
                elif kind == "sleep": time.sleep(step[1])
                elif kind == "idle":
                    before = ticks(); time.sleep(step[1]); summary["idle_ticks"].append(ticks() - before)
            end = time.time() + 20
            status = None
            while time.time() < end:
                done, st = os.waitpid(pid, os.WNOHANG)
                pump(0.05)
                if done:
                    status = os.waitstatus_to_exitcode(st)
                    break
            if status is None:
                os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
            while pump(0.05) and select.select([fd], [], [], 0)[0]: pass
            summary["exit"] = status
            sys.stdout.write(json.dumps(summary) + "\n--- transcript ---\n" + out.decode(errors="replace"))
        """#
}
