import AIOEngine
import Foundation
import XCTest

/// `aioctl check` where things run out or are refused: few descriptors, a
/// small address space, an unwritable TMPDIR, io_setup denied by seccomp.
/// It reports what it could not do as skips with the reason, keeps its
/// document whole, and exits 4 only when AIO itself is unavailable.
final class CheckPressureTests: XCTestCase {
    private var planned: Int { Scenarios.all.count * 2 }

    func testFewDescriptorsMakeSkipsNotACrash() throws {
        let result = try Self.run(limits: "ulimit -n 8", ["check", "--format", "ktap"])
        XCTAssertTrue([0, 1].contains(result.status), "exit \(result.status): \(result.stderr.prefix(500))")
        XCTAssertEqual(KTAP.validate(result.stdout).plan, planned)
        XCTAssertTrue(result.stdout.contains("EMFILE"), "the skips name what ran out")
    }

    func testASmallAddressSpaceIsNoCrash() throws {
        let result = try Self.run(limits: "ulimit -v 524288", ["check", "--format", "ktap"])
        XCTAssertTrue([0, 1].contains(result.status), "exit \(result.status): \(result.stderr.prefix(500))")
        XCTAssertEqual(KTAP.validate(result.stdout).plan, planned)
    }

    func testAnUnwritableTmpdirSkipsTheScenariosThatNeedAFile() throws {
        let result = try AioctlProcess.run(["check", "--format", "ktap"], environment: ["TMPDIR": "/proc"], limit: 120)
        XCTAssertTrue([0, 1].contains(result.status), "exit \(result.status): \(result.stderr.prefix(500))")
        XCTAssertEqual(KTAP.validate(result.stdout).plan, planned)
        XCTAssertTrue(result.stdout.contains("# skipped: line 3 (tmpfile f) could not run: cannot make a scratch file in /proc"),
                      "a scratch file goes where TMPDIR says, and its absence is a skip")
    }

    func testFifosAndScratchFilesGoToTmpdirAndLeaveNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("check-pressure-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = "fifo f\nwrite f.write 1\nread f.read 1\ntmpfile t\n"
        let refused = try AioctlProcess.run(["run", "-"], stdin: script, environment: ["TMPDIR": "/proc"])
        XCTAssertTrue(refused.stdout.contains("cannot make a FIFO in /proc (TMPDIR)"), refused.stdout)
        XCTAssertEqual(refused.status, 64)
        let made = try AioctlProcess.run(["run", "-"], stdin: script, environment: ["TMPDIR": dir.path])
        XCTAssertEqual(made.status, 0, made.stdout + made.stderr)
        let spill = try AioctlProcess.run(["cancel", "--count", "2", "--json", "fifo"], environment: ["TMPDIR": dir.path])
        XCTAssertTrue([0, 1].contains(spill.status), spill.stderr)
        let check = try AioctlProcess.run(["check", "--filter", "io_submit*", "--format", "json"],
                                          environment: ["TMPDIR": dir.path], limit: 120)
        XCTAssertTrue([0, 1].contains(check.status), check.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing left in TMPDIR")
    }

    func testIoSetupDeniedBySeccompExitsFour() throws {
        guard let python = CheckInterruptTests.python3 else { throw XCTSkip("no python3 to install a seccomp filter with") }
        for (errno, name) in [(1, "EPERM"), (38, "ENOSYS")] {
            let result = try Self.runCapturing(python, ["-c", Self.seccompDenyingIoSetup, String(errno),
                                                        AioctlProcess.binary.path, "check", "--format", "ktap"])
            if result.status == 3, result.stderr.hasPrefix("seccomp:") { throw XCTSkip(result.stderr) }
            XCTAssertEqual(result.status, 4, "\(name): \(result.stderr)")
            let summary = KTAP.validate(result.stdout)
            XCTAssertEqual(summary.skip, planned, "\(name): every run is a skip")
            XCTAssertTrue(result.stdout.contains("# skipped: AIO is unavailable here: io_setup(1) returned -1 errno=\(name)"))
        }
    }

    /// Installs a seccomp filter that fails io_setup with errno argv[1]
    /// (x86-64), then executes argv[2...]. Exits 3 with "seccomp: ..." when
    /// the filter cannot be installed.
    static let seccompDenyingIoSetup = """
        import ctypes, os, struct, sys
        libc = ctypes.CDLL(None, use_errno=True)
        insns = [(0x20, 0, 0, 4), (0x15, 1, 0, 0xc000003e), (0x06, 0, 0, 0x7fff0000),
                 (0x20, 0, 0, 0), (0x15, 0, 1, 206), (0x06, 0, 0, 0x00050000 | int(sys.argv[1])),
                 (0x06, 0, 0, 0x7fff0000)]
        code = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in insns))
        class Prog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
        prog = Prog(len(insns), ctypes.addressof(code))
        if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(prog), 0, 0) != 0:
            sys.stderr.write("seccomp: " + os.strerror(ctypes.get_errno()))
            sys.exit(3)
        os.execv(sys.argv[2], sys.argv[2:])
        """

    /// aioctl under the shell's resource limits (`ulimit ...`).
    static func run(limits: String, _ arguments: [String]) throws -> AioctlProcess.Result {
        try runCapturing("/bin/sh", ["-c", limits + " && exec \"$0\" \"$@\"", AioctlProcess.binary.path] + arguments)
    }

    static func runCapturing(_ executable: String, _ arguments: [String]) throws -> AioctlProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errData = Collected()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { errData.data = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        // A death by signal N is 128 + N, as a shell says it, never a plain N.
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
                                                                  : process.terminationStatus
        return AioctlProcess.Result(status: status, stdout: String(decoding: outData, as: UTF8.self),
                                    stderr: String(decoding: errData.data, as: UTF8.self))
    }

    private final class Collected: @unchecked Sendable { var data = Data() }
}
