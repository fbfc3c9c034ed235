import Foundation
import XCTest

/// Colour only where it is wanted (--color, NO_COLOR, TERM=dumb) and text
/// that fits the terminal's width.
final class TerminalOutputTests: XCTestCase {
    let escape = "\u{1B}["

    func testColorFlagOverridesTheTerminalTest() throws {
        let always = try AioctlProcess.run(["check", "--filter", "io_setup.nr-1", "--color", "always"])
        XCTAssertTrue(always.stdout.contains(escape), always.stdout)
        let never = try AioctlProcess.run(["check", "--filter", "io_setup.nr-1", "--color", "never"])
        XCTAssertFalse(never.stdout.contains(escape))
        let piped = try AioctlProcess.run(["check", "--filter", "io_setup.nr-1"])
        XCTAssertFalse(piped.stdout.contains(escape), "a pipe gets no colour")
        let bad = try AioctlProcess.run(["check", "--color", "sometimes"])
        XCTAssertEqual(bad.status, 64)
    }

    /// On a terminal: colour by default, none with TERM=dumb or NO_COLOR.
    func testDumbTerminalAndNoColorGetNoEscapes() throws {
        let python = try Subprocess.require("python3")
        func onTerminal(_ environment: [String: String]) throws -> String {
            let driver = """
            import os, pty, sys
            pid, fd = pty.fork()
            if pid == 0:
                for k in ("NO_COLOR", "TERM", "COLUMNS"): os.environ.pop(k, None)
                os.environ.update(dict(a.split("=", 1) for a in sys.argv[2:]))
                os.execv(sys.argv[1], [sys.argv[1], "check", "--filter", "io_setup.nr-1"])
            out = b""
            while True:
                try: chunk = os.read(fd, 65536)
                except OSError: break
                if not chunk: break
                out += chunk
            os.waitpid(pid, 0)
            sys.stdout.write(out.decode(errors="replace"))
            """
            let result = try Subprocess.run(python, ["-c", driver, AioctlProcess.binary.path]
                                                + environment.map { "\($0.key)=\($0.value)" })
            XCTAssertEqual(result.status, 0, result.stderr)
            return result.stdout
        }
        XCTAssertTrue(try onTerminal(["TERM": "xterm"]).contains(escape), "a terminal gets colour")
        XCTAssertFalse(try onTerminal(["TERM": "dumb"]).contains(escape), "TERM=dumb")
        XCTAssertFalse(try onTerminal(["TERM": "xterm", "NO_COLOR": "1"]).contains(escape), "NO_COLOR")
    }

    func testCheckTextFitsColumns() throws {
        for columns in [60, 80] {
            let result = try AioctlProcess.run(["check", "--filter", "io_setup*"], environment: ["COLUMNS": "\(columns)"])
            let lines = result.stdout.split(separator: "\n")
            XCTAssertGreaterThan(lines.count, 10)
            for line in lines { XCTAssertLessThanOrEqual(line.count, columns, "\(columns) columns: \(line)") }
        }
        let wide = try AioctlProcess.run(["check", "--filter", "io_setup*"], environment: ["COLUMNS": "300"])
        XCTAssertTrue(wide.stdout.split(separator: "\n").contains { $0.count > 80 }, "a wide terminal keeps one line per run")
    }
}
