import Foundation
import XCTest

/// Hostile input to the front ends (issue 11): each bad value gets one line on
/// stderr and the README's exit status; nothing crashes, hangs or loses output.
final class RobustnessTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-robust-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Runs `command` under sh with $AIOCTL naming the built binary.
    private func shell(_ command: String, limit: TimeInterval = 30, file: StaticString = #filePath,
                       line: UInt = #line) throws -> Subprocess.Result {
        try Subprocess.run("sh", ["-c", command], environment: ["AIOCTL": AioctlProcess.binary.path, "NO_COLOR": "1"],
                           directory: scratch, limit: limit, file: file, line: line)
    }

    private func assertOneLine(_ result: Subprocess.Result, status: Int32, containing fragment: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "stderr must be one line: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("aioctl: ") && result.stderr.contains(fragment),
                      "stderr: \(result.stderr)", file: file, line: line)
    }

    // MARK: arithmetic overflow and unbounded sizes (5, 6)

    func testOverflowingAndUnboundedValuesAreUsageErrors() throws {
        try assertRejected([
            (["getevents", "--ready", "9223372036854775807", "--pending", "1"], 64, "--ready and --pending"),
            (["getevents", "--ready", "1", "--pending", "9223372036854775807"], 64, "--ready and --pending"),
            (["submit", "--op", "pread", "--length", "9223372036854775807", "/etc/hostname"], 64, "--length"),
            (["submit", "--op", "pread", "--length", "17179869184", "/dev/zero"], 64, "1 GiB"),
            (["submit", "--op", "pread", "--length", "-1", "/dev/zero"], 64, "--length"),
            (["submit", "--nr", "9223372036854775807"], 64, "--nr"),
            (["submit", "--op", "opcode 70000"], 64, "opcode"),
            (["setup", "9223372036854775807"], 64, "out of range"),
            (["setup", "--", "-9223372036854775808"], 64, "out of range"),
        ])
    }

    func testRunReadsAtMostOneMebibyteOfScript() throws {
        let result = try shell("\"$AIOCTL\" run /dev/zero", limit: 20)
        assertOneLine(result, status: 66, containing: "larger than 1024 KiB")
        XCTAssertEqual(result.stdout, "")
    }

    // MARK: option values never become statements (10)

    func testOptionValuesAreNeverPastedIntoTheScript() throws {
        try assertRejected([
            (["submit", "--events", "in\nctx b = setup 8"], 64, "unknown poll bit"),
            (["submit", "--op", "pread", "--rw-flags", "nowait\nctx b = setup 8", "/etc/hostname"], 64, "--rw-flags"),
            (["submit", "--events", "in\nctx b = setup 8", "--print-script"], 64, "\\n"),
        ])
        let printed = try AioctlProcess.run(["submit", "--events", "in,out", "--print-script"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, """
            ctx a = setup 8
            pipe t
            iocb r = poll t.read in|out
            submit a r
            getevents a min=0 max=8 timeout=100ms

            """)
        let ran = try AioctlProcess.run(["run", "-"], stdin: printed.stdout)
        XCTAssertEqual(ran.status, 0, ran.stderr)
    }

    func testPrintScriptWithJSONIsJSON() throws {
        let result = try AioctlProcess.run(["getevents", "--print-script", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual(doc["command"] as? String, "getevents")
        XCTAssertTrue((doc["script"] as? String)?.contains("getevents a min=1 max=8") ?? false, result.stdout)
    }

    // MARK: targets: 66 before anything, FIFOs, raw bytes (10)

    func testTargetThatCannotBeOpenedExits66BeforeAnythingPrints() throws {
        try assertRejected([
            (["submit", "/nonexistent/target"], 66, "no such file"),
            (["submit", "file:/nonexistent"], 66, "no such file"),
            (["submit", "fd:987"], 66, "not open"),
            (["submit", "/tmp"], 66, "directory"),
            (["cancel", "/nonexistent/target"], 66, "no such file"),
        ])
    }

    func testFifoTargetsNeverWaitForTheirPeer() throws {
        let fifo = scratch.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // Reading: opened without waiting for a writer; the poll is judged.
        let read = try AioctlProcess.run(["submit", fifo], limit: 20)
        XCTAssertTrue([0, 1].contains(read.status), read.stderr)
        XCTAssertTrue(read.stdout.contains("io_submit("), read.stdout)
        // Writing with no reader would wait forever: refused, with the reason.
        try assertRejected([
            (["submit", "--op", "pwrite", fifo], 66, "no reader"),
            (["bench", "--file", fifo, "--ios", "1"], 66, "not a regular file"),
        ])
        let run = try shell("\"$AIOCTL\" run '\(fifo)' --timeout 300ms", limit: 20)
        assertOneLine(run, status: 66, containing: "nothing to read within 300ms")
    }

    func testSIGINTEndsTheWaitForAScriptWith130() throws {
        let fifo = scratch.appendingPathComponent("silent-fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let result = try AioctlProcess.runInterrupted(["run", fifo, "--timeout", "20s"], after: 0.5, limit: 10)
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("interrupted while reading"), result.stderr)
    }

    func testRunReadsAScriptFromAFifoOnceAWriterComes() throws {
        let fifo = scratch.appendingPathComponent("script-fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let result = try shell("(sleep 0.3; printf 'pipe p\\nwrite p.write 1\\n' > '\(fifo)') & \"$AIOCTL\" run '\(fifo)' --timeout 10s",
                               limit: 20)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("wrote 1 byte"), result.stdout)
    }

    func testNonUTF8PathsAreOpenedByteForByte() throws {
        // café.txt in Latin-1: the é is the single byte 0xE9, not UTF-8.
        let setup = "name=$(printf 'caf\\351.txt'); printf 'hello' > \"$name\"; "
        let submit = try shell(setup + "\"$AIOCTL\" submit -v --op pread --length 5 \"$name\"")
        XCTAssertEqual(submit.status, 0, submit.stderr)
        XCTAssertTrue(submit.stdout.contains("res=5"), submit.stdout)
        let cancel = try shell(setup + "\"$AIOCTL\" cancel --read --length 5 \"file:$name\"")
        XCTAssertTrue([0, 1].contains(cancel.status), cancel.stderr)
        XCTAssertFalse(cancel.stderr.contains("no such file"), cancel.stderr)
        let script = try shell("name=$(printf 'script\\351.aio'); printf 'pipe p\\n' > \"$name\"; \"$AIOCTL\" run \"$name\"")
        XCTAssertEqual(script.status, 0, script.stderr)
        let bench = try shell(setup + "\"$AIOCTL\" bench --file \"$PWD/$name\" --size 4k --bs 4k --ios 2")
        XCTAssertEqual(bench.status, 0, bench.stderr)
    }

    // MARK: AIO unavailable (10)

    /// io_setup denied by a seccomp filter (as a container runtime does), and
    /// EAGAIN as a full aio-max-nr gives it: 4 from every front end here.
    func testAIOUnavailableIsExit4Everywhere() throws {
        let python = try Subprocess.require("python3")
        let deny = Subprocess.repository.appendingPathComponent("Tests/aioctlTests/Scripts/deny-io-setup.py").path
        let bench = scratch.appendingPathComponent("bench.dat").path
        let commands = [["setup"], ["submit"], ["getevents"], ["destroy"], ["cancel"], ["race", "--iterations", "1"],
                        ["bench", "--file", bench, "--size", "4k", "--bs", "4k", "--ios", "1"], ["info"]]
        for errno in ["EPERM", "ENOSYS", "EAGAIN"] {
            for command in commands {
                let result = try Subprocess.run(python, [deny, errno, AioctlProcess.binary.path] + command,
                                                environment: ["NO_COLOR": "1"], limit: 30)
                let name = "\(errno) \(command.joined(separator: " "))"
                if result.stderr.hasPrefix("deny-io-setup: x86_64 only") { throw XCTSkip("the filter is for x86_64") }
                XCTAssertEqual(result.status, 4, "\(name): \(result.stderr)")
                if command != ["info"] {
                    let lines = result.stderr.split(separator: "\n")
                    XCTAssertEqual(lines.count, 1, "\(name): \(result.stderr)")
                    XCTAssertTrue(result.stderr.contains("AIO is unavailable here"), "\(name): \(result.stderr)")
                    XCTAssertFalse(result.stdout.contains("verdict"), "\(name): no verdict without AIO")
                }
            }
        }
        // nr_events too large on its own: EAGAIN is the kernel's answer to the probe.
        let huge = try AioctlProcess.run(["setup", "4294967295"])
        XCTAssertNotEqual(huge.status, 4, huge.stdout + huge.stderr)
    }

    // MARK: output errors and signals (8, 11)

    func testAFullDiskIsExit74WithOneLineForEveryCommand() throws {
        let commands = [
            "info", "spec", "cancel", "cancel --json", "cancel --count 2 --ready eventfd", "setup", "submit --ready",
            "getevents --ready 1", "destroy", "race --iterations 10", "check --filter 'io_setup.nr-1*'", "--help",
            "run /dev/stdin < /dev/null",
        ]
        for command in commands {
            let result = try shell("\"$AIOCTL\" \(command) > /dev/full")
            assertOneLine(result, status: 74, containing: "cannot write standard output")
        }
    }

    func testQuietCancelHasNothingToLoseOnAFullDisk() throws {
        let result = try shell("\"$AIOCTL\" cancel --quiet > /dev/full")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
    }

    func testAClosedPipeEndIsReportedNotAKillingSIGPIPE() throws {
        let result = try AioctlProcess.run(["run", "-"], stdin: "pipe p\nclose p.read\nwrite p.write 1\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("EPIPE"), result.stdout)
    }

    func testAReaderThatGoesAwayIsExit74NotSIGPIPE() throws {
        // head leaves after one byte; the later runs' lines meet EPIPE.
        let result = try shell("""
            { "$AIOCTL" cancel --count 3 --ready eventfd 2>err; echo $? > status; } | head -c 1 > /dev/null
            cat status; cat err
            """, limit: 30)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "74", "a closed pipe is an output error, not a death by SIGPIPE (141): \(result.stdout)")
        XCTAssertEqual(lines.count, 2, result.stdout)
        XCTAssertTrue(lines.last?.hasPrefix("aioctl: cannot write standard output: Broken pipe") ?? false, result.stdout)
    }

    func testSIGQUITTakesItsDefaultActionWithNoCrashReport() throws {
        let result = try shell("""
            ulimit -c 0
            printf 'sleep 10s\n' > quit.aio
            "$AIOCTL" run quit.aio --timeout 20s > /dev/null 2> err &
            pid=$!
            sleep 0.5
            kill -QUIT $pid
            wait $pid
            echo $?
            cat err
            """, limit: 20)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "131", "SIGQUIT's default action ends the process (128 + 3): \(result.stdout)")
        XCTAssertFalse(result.stdout.contains("crashed"), result.stdout)
    }

    // MARK: race and cancel --count (11, 12)

    func testAShortReapTimeoutIsNotAKernelBug() throws {
        let result = try AioctlProcess.run(["race", "--iterations", "200", "--reap-timeout", "1us", "--json"], limit: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("KERNEL BUG"), result.stderr)
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual(doc["lost_or_duplicated"] as? Int, 0)
        XCTAssertEqual(doc["iterations"] as? Int, 200)
        XCTAssertNotNil(doc["late_events"] as? Int)
    }

    func testRaceDelaysAreBoundedSinceTheySpinACore() throws {
        // --cancel-after 3599s spun a core for an hour, deaf to SIGINT.
        try assertRejected([
            (["race", "--iterations", "1", "--cancel-after", "3599s"], 64, "--cancel-after 3599s is longer than 1s"),
            (["race", "--iterations", "1", "--ready-after", "2s"], 64, "later than 1s"),
            (["race", "--iterations", "1", "--sweep=0..2s/1s"], 64, "later than 1s"),
        ])
    }

    func testEveryCountedCancelRunHasItsOwnTimeout() throws {
        // One 150ms deadline for the whole job stopped after two or three
        // runs (each waits ~40ms in io_destroy) and still exited 0.
        let result = try AioctlProcess.run(["cancel", "--count", "8", "--timeout", "150ms", "--json"], limit: 60)
        XCTAssertTrue([0, 1].contains(result.status), result.stderr)
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual(doc["count"] as? Int, 8)
        XCTAssertEqual((doc["runs"] as? [Any])?.count, 8)
        XCTAssertEqual(Array(doc.keys).count, 10)
        let text = try AioctlProcess.run(["cancel", "--count", "3", "--timeout", "150ms"], limit: 60)
        XCTAssertTrue(text.stdout.contains("run 3 of 3"), text.stdout)
        XCTAssertTrue(text.stdout.contains("summary of 3 runs"), text.stdout)
    }

    func testCountedCancelJSONNeedsNoTemporaryFile() throws {
        // Without a writable $TMPDIR the runs wait in memory, serialized.
        let result = try AioctlProcess.run(["cancel", "--count", "3", "--ready", "eventfd", "--json"],
                                           environment: ["TMPDIR": scratch.appendingPathComponent("missing").path],
                                           limit: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        let doc = try AioctlProcess.json(result)
        XCTAssertEqual((doc["runs"] as? [Any])?.count, 3)
        XCTAssertEqual((doc["summary"] as? [String: Any])?["runs_agreeing"] as? Int, 3)
    }

    func testCountedCancelMemoryStaysFlat() throws {
        // Maximum RSS of the child, as the kernel counts it (ru_maxrss, KiB).
        func maxRSS(_ count: Int) throws -> Int {
            let result = try Subprocess.run("python3", ["-c", """
                import resource, subprocess, sys
                subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
                print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
                """, AioctlProcess.binary.path, "cancel", "--count", "\(count)", "--after", "0", "--json"], limit: 300)
            return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        let small = try maxRSS(50)
        let large = try maxRSS(500)
        XCTAssertGreaterThan(small, 0)
        // Records kept per run grew ~15 KiB each: 450 more runs were ~6.6 MiB.
        XCTAssertLessThan(large - small, 1024, "RSS \(small) KiB at 50 runs, \(large) KiB at 500")
    }
}
